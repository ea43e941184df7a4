import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { call, type AnswerOf, type QueryOf } from './http';

/** A stored snapshot and its facts (id, device, when, size, findings). */
export type SnapshotDetail = AnswerOf<'getSnapshot'>;
export type SnapshotInfo = SnapshotDetail['info'];

/** How often device lists and pages re-read online state and last seen. */
export const PRESENCE_REFRESH_MS = 30_000;

export const deviceKeys = {
  all: ['devices'] as const,
  list: (query: QueryOf<'listDevices'>) => [...deviceKeys.all, 'list', query] as const,
  detail: (id: string) => [...deviceKeys.all, 'detail', id] as const,
  snapshots: (id: string, query: QueryOf<'listDeviceSnapshots'>) =>
    [...deviceKeys.all, 'snapshots', id, query] as const,
};

export const snapshotKeys = {
  all: ['snapshots'] as const,
  detail: (id: number) => [...snapshotKeys.all, 'detail', id] as const,
  diff: (id: number, against: number | 'previous') => [...snapshotKeys.all, 'diff', id, against] as const,
};

/** A page of the inventory; the previous page stays on screen while the next loads. */
export function useDevices(query: QueryOf<'listDevices'>) {
  return useQuery({
    queryKey: deviceKeys.list(query),
    queryFn: ({ signal }) => call('listDevices', { query, signal }),
    placeholderData: keepPreviousData,
    // Online and last seen change on their own: fresh every 30 s while shown.
    refetchInterval: PRESENCE_REFRESH_MS,
  });
}

export function useDevice(id: string) {
  return useQuery({
    queryKey: deviceKeys.detail(id),
    queryFn: ({ signal }) => call('getDevice', { params: { id }, signal }),
    refetchInterval: PRESENCE_REFRESH_MS,
  });
}

export function useDeviceSnapshots(id: string, query: QueryOf<'listDeviceSnapshots'>) {
  return useQuery({
    queryKey: deviceKeys.snapshots(id, query),
    queryFn: ({ signal }) => call('listDeviceSnapshots', { params: { id }, query, signal }),
  });
}

/** A snapshot never changes once stored: read once per console session. */
export function useSnapshot(id: number) {
  return useQuery({
    queryKey: snapshotKeys.detail(id),
    queryFn: ({ signal }) => call('getSnapshot', { params: { id }, signal }),
    staleTime: Infinity,
  });
}

/** What changed since the device's previous snapshot (or against `against`). */
export function useSnapshotDiff(id: number, against: number | 'previous') {
  return useQuery({
    queryKey: snapshotKeys.diff(id, against),
    queryFn: ({ signal }) => call('diffSnapshot', { params: { id }, query: { against }, signal }),
    staleTime: Infinity,
  });
}
