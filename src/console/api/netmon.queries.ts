import {
  keepPreviousData,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import type { StaffEvent } from '../../shared/channel/staff-events';
import type { NetmonWindow } from '../../shared/netmon/netmon-limits';
import { call, type BodyOf, type QueryOf } from './http';

/*
 * Network monitoring (issue 14): a device's series for a chart window, the fleet grid, who else is
 * affected around a ticket, the server-side checks, and IT's plan, retention and sites. The staff event
 * `{type:'netmon', what}` refreshes what it names (netmonChanged, called by the live stream).
 */

export const netmonKeys = {
  all: ['netmon'] as const,
  device: (id: string, window: NetmonWindow) => [...netmonKeys.all, 'device', id, window] as const,
  fleet: () => [...netmonKeys.all, 'fleet'] as const,
  affected: (ticketId: number, query: QueryOf<'getTicketNetmonAffected'>) =>
    [...netmonKeys.all, 'affected', ticketId, query] as const,
  checks: () => [...netmonKeys.all, 'checks'] as const,
  settings: () => [...netmonKeys.all, 'settings'] as const,
  sites: () => [...netmonKeys.all, 'sites'] as const,
};

/** A device's series per target, Wi-Fi signal and latest link for a window (re-read every minute while shown). */
export function useDeviceNetmon(deviceId: string, window: NetmonWindow) {
  return useQuery({
    queryKey: netmonKeys.device(deviceId, window),
    queryFn: ({ signal }) => call('getDeviceNetmon', { params: { id: deviceId }, query: { window }, signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}

/** Several windows of one device at once (the ticket's "24 hours before" spans the 5-minute and hourly tables). */
export function useDeviceNetmonWindows(deviceId: string, windows: readonly NetmonWindow[]) {
  return useQueries({
    queries: windows.map((window) => ({
      queryKey: netmonKeys.device(deviceId, window),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        call('getDeviceNetmon', { params: { id: deviceId }, query: { window }, signal }),
    })),
  });
}

/** Targets × sites by health over the last 15 minutes (live: the job announces each change). */
export function useNetmonFleet() {
  return useQuery({
    queryKey: netmonKeys.fleet(),
    queryFn: ({ signal }) => call('getNetmonFleet', { signal }),
    refetchInterval: 60_000,
  });
}

/** Other devices degraded at the same site or on the same target around the ticket. */
export function useTicketNetmonAffected(ticketId: number, query: QueryOf<'getTicketNetmonAffected'> = {}) {
  return useQuery({
    queryKey: netmonKeys.affected(ticketId, query),
    queryFn: ({ signal }) => call('getTicketNetmonAffected', { params: { id: ticketId }, query, signal }),
  });
}

/** The services the server checks itself, with their last result. */
export function useNetmonChecks() {
  return useQuery({
    queryKey: netmonKeys.checks(),
    queryFn: ({ signal }) => call('listNetmonChecks', { signal }),
    select: (answer) => answer.checks,
  });
}

/** IT's probe plan and retention (staff read them: the device tab says how often agents probe). */
export function useNetmonSettings() {
  return useQuery({ queryKey: netmonKeys.settings(), queryFn: ({ signal }) => call('getNetmonSettings', { signal }) });
}

/** IT-named sites. */
export function useNetmonSites() {
  return useQuery({
    queryKey: netmonKeys.sites(),
    queryFn: ({ signal }) => call('getNetmonSites', { signal }),
    select: (answer) => answer.sites,
  });
}

/** Admin: save the plan and retention; the answer is the new settings. */
export function useSaveNetmonSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<'putNetmonSettings'>) => call('putNetmonSettings', { body }),
    onSuccess: (saved) => client.setQueryData(netmonKeys.settings(), saved),
  });
}

/** Admin: replace the sites; devices are placed again, so the grid and device views follow. */
export function useSaveNetmonSites() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<'putNetmonSites'>) => call('putNetmonSites', { body }),
    onSuccess: (saved) => {
      client.setQueryData(netmonKeys.sites(), saved);
      void client.invalidateQueries({ queryKey: netmonKeys.fleet() });
    },
  });
}

/** Admin: add, change or remove a server-side check. */
export function useNetmonCheckMutations() {
  const client = useQueryClient();
  const onSuccess = () => void client.invalidateQueries({ queryKey: netmonKeys.checks() });
  return {
    save: useMutation({
      mutationFn: ({ slug, body }: { slug: string; body: BodyOf<'putNetmonCheck'> }) =>
        call('putNetmonCheck', { params: { slug }, body }),
      onSuccess,
    }),
    remove: useMutation({
      mutationFn: (slug: string) => call('deleteNetmonCheck', { params: { slug } }),
      onSuccess,
    }),
  };
}

/** The live stream said network monitoring changed: re-read what the event names. */
export function netmonChanged(client: QueryClient, event: Extract<StaffEvent, { type: 'netmon' }> | null): void {
  const what = event?.what ?? null;
  if (what === null || what === 'fleet') void client.invalidateQueries({ queryKey: netmonKeys.fleet() });
  if (what === null || what === 'checks') void client.invalidateQueries({ queryKey: netmonKeys.checks() });
  if (what === null || what === 'config') {
    void client.invalidateQueries({ queryKey: netmonKeys.settings() });
    void client.invalidateQueries({ queryKey: netmonKeys.sites() });
    void client.invalidateQueries({ queryKey: netmonKeys.fleet() });
  }
}
