import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call } from './http';

/*
 * Network records (issue 14): a ticket's stored 24 hours, a device's bandwidth tests and asking its agent for
 * one, a server-side check's history.
 */

export const netmonHistoryKeys = {
  all: ['netmon', 'history'] as const,
  ticket: (ticketId: number) => [...netmonHistoryKeys.all, 'ticket', ticketId] as const,
  bandwidth: (deviceId: string) => [...netmonHistoryKeys.all, 'bandwidth', deviceId] as const,
  check: (slug: string, days: number) => [...netmonHistoryKeys.all, 'check', slug, days] as const,
};

/** What was stored with the ticket when it was filed (summary null: none, read the live history). */
export function useTicketNetmonSummary(ticketId: number) {
  return useQuery({
    queryKey: netmonHistoryKeys.ticket(ticketId),
    queryFn: ({ signal }) => call('getTicketNetmonSummary', { params: { id: ticketId }, signal }),
    staleTime: Infinity,
  });
}

/**
 * A device's bandwidth tests; while `waitingSince` is set (a test was asked for), re-read every 2 s until a
 * newer result is there.
 */
export function useDeviceBandwidth(deviceId: string, waitingSince: number | null) {
  return useQuery({
    queryKey: netmonHistoryKeys.bandwidth(deviceId),
    queryFn: ({ signal }) => call('getDeviceBandwidth', { params: { id: deviceId }, signal }),
    refetchInterval: (query) => {
      const newest = query.state.data?.results[0]?.at ?? 0;
      return waitingSince !== null && newest < waitingSince - 5_000 ? 2_000 : 60_000;
    },
  });
}

/** Asks the device's agent for a bandwidth test now; answers when it was asked. */
export function useRequestBandwidth(deviceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call('requestDeviceBandwidth', { params: { id: deviceId } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: netmonHistoryKeys.bandwidth(deviceId) }),
  });
}

/** A server-side check's state changes, round trips and latest runs over the last `days`. */
export function useCheckHistory(slug: string, days: number) {
  return useQuery({
    queryKey: netmonHistoryKeys.check(slug, days),
    queryFn: ({ signal }) => call('getNetmonCheckHistory', { params: { slug }, query: { days }, signal }),
    refetchInterval: 30_000,
  });
}
