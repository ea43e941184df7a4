import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { DeviceDetail, DeviceSummary } from '../../shared/api/devices';
import { pathOf } from '../../shared/api/endpoint-routes';
import type { snapshotInfoSchema } from '../../shared/api/tickets';
import type { SnapshotChange } from '../../shared/snapshot/diff';
import type { Snapshot } from '../../shared/snapshot/snapshot';
import { api, type Query } from './http';

/** A stored snapshot's facts (id, device, when, size, findings). */
export type SnapshotInfo = z.infer<typeof snapshotInfoSchema>;
export type SnapshotDetail = { info: SnapshotInfo; snapshot: Snapshot };
export type SnapshotDiff = { from: number; to: number; changes: SnapshotChange[] };

export const deviceKeys = {
  all: ['devices'] as const,
  list: (query: Query) => [...deviceKeys.all, 'list', query] as const,
  detail: (id: string) => [...deviceKeys.all, 'detail', id] as const,
  snapshots: (id: string, query: Query) => [...deviceKeys.all, 'snapshots', id, query] as const,
};

export const snapshotKeys = {
  all: ['snapshots'] as const,
  detail: (id: number) => [...snapshotKeys.all, 'detail', id] as const,
  diff: (id: number, against: number | 'previous') => [...snapshotKeys.all, 'diff', id, against] as const,
};

/** A page of the inventory; the previous page stays on screen while the next loads. */
export function useDevices(query: Query) {
  return useQuery({
    queryKey: deviceKeys.list(query),
    queryFn: ({ signal }) =>
      api.get<{ devices: DeviceSummary[]; total: number }>(pathOf('listDevices'), query, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useDevice(id: string) {
  return useQuery({
    queryKey: deviceKeys.detail(id),
    queryFn: ({ signal }) => api.get<DeviceDetail>(pathOf('getDevice', { id }), undefined, { signal }),
  });
}

export function useDeviceSnapshots(id: string, query: Query) {
  return useQuery({
    queryKey: deviceKeys.snapshots(id, query),
    queryFn: ({ signal }) =>
      api.get<{ snapshots: SnapshotInfo[]; total: number }>(pathOf('listDeviceSnapshots', { id }), query, {
        signal,
      }),
  });
}

/** A snapshot never changes once stored: read once per console session. */
export function useSnapshot(id: number) {
  return useQuery({
    queryKey: snapshotKeys.detail(id),
    queryFn: ({ signal }) => api.get<SnapshotDetail>(pathOf('getSnapshot', { id }), undefined, { signal }),
    staleTime: Infinity,
  });
}

/** What changed since the device's previous snapshot (or against `against`). */
export function useSnapshotDiff(id: number, against: number | 'previous') {
  return useQuery({
    queryKey: snapshotKeys.diff(id, against),
    queryFn: ({ signal }) => api.get<SnapshotDiff>(pathOf('diffSnapshot', { id }), { against }, { signal }),
    staleTime: Infinity,
  });
}
