import { keepPreviousData, useQuery, type QueryClient } from '@tanstack/react-query';
import { fleetKeys } from './fleet.queries';
import { call, type AnswerOf, type QueryOf } from './http';

/** A stored snapshot and its facts (id, device, when, size, findings). */
export type SnapshotDetail = AnswerOf<'getSnapshot'>;
export type SnapshotInfo = SnapshotDetail['info'];

/**
 * How often device lists and pages re-read online state and last seen. Devices on the live channel are
 * announced the moment they come or go (`devicesChanged`); this catches the ones without it (long poll,
 * offline because no longer seen) within the online window.
 */
export const PRESENCE_REFRESH_MS = 30_000;

export const deviceKeys = {
  all: ['devices'] as const,
  list: (query: QueryOf<'listDevices'>) => [...deviceKeys.lists(), query] as const,
  lists: () => [...deviceKeys.all, 'list'] as const,
  details: () => [...deviceKeys.all, 'detail'] as const,
  detail: (id: string) => [...deviceKeys.all, 'detail', id] as const,
  snapshots: (id: string, query: QueryOf<'listDeviceSnapshots'>) =>
    [...deviceKeys.all, 'snapshots', id, query] as const,
};

export const snapshotKeys = {
  all: ['snapshots'] as const,
  detail: (id: number) => [...snapshotKeys.all, 'detail', id] as const,
  diff: (id: number, against: number | 'previous') => [...snapshotKeys.all, 'diff', id, against] as const,
};

/**
 * Devices came online or went offline (a staff event; null: too many to name): what shows online state
 * is re-read (device lists, those devices' pages, the fleet's counts and lists).
 */
export function devicesChanged(client: QueryClient, deviceIds: string[] | null): void {
  void client.invalidateQueries({ queryKey: deviceKeys.lists() });
  if (deviceIds === null) void client.invalidateQueries({ queryKey: deviceKeys.details() });
  else for (const id of deviceIds) void client.invalidateQueries({ queryKey: deviceKeys.detail(id) });
  void client.invalidateQueries({ queryKey: fleetKeys.all });
}

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
