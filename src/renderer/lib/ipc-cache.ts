import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { IpcArg, IpcChannel, IpcResult, TicketThread } from '../../shared/ipc/contract';
import { subscribe } from './bridge';

/*
 * What changes the cache besides a query's own fetch: the main process's pushed events, and the
 * window's own mutations. Both are tables here, in one place, so "who refreshes what" is readable at
 * a glance and a new channel cannot be forgotten on one screen and remembered on another.
 */

/** The cache key of one channel call; `[channel]` alone matches every argument (for invalidation). */
export const ipcKey = <C extends IpcChannel>(channel: C, arg: IpcArg<C>): readonly [C, IpcArg<C>] => [channel, arg];

/**
 * Marks queries stale and refetches the ones on screen. A first load already on its way (no data yet)
 * may have read the data before the change, and TanStack joins a refetch to it rather than starting
 * again: it is let finish — the screen shows at once, as fast as without the event — and then loaded
 * once more, so the change still shows. A refresh of a query that has data cancels and refetches.
 */
function refresh(client: QueryClient, queryKey: readonly unknown[]): void {
  const firstLoads = client
    .getQueryCache()
    .findAll({ queryKey, fetchStatus: 'fetching', predicate: (query) => query.state.data === undefined });
  void client.invalidateQueries({ queryKey });
  for (const query of firstLoads) {
    void client
      .refetchQueries({ queryKey: query.queryKey, exact: true }, { cancelRefetch: false })
      .then(() => client.invalidateQueries({ queryKey: query.queryKey, exact: true }));
  }
}

const invalidate = (client: QueryClient, ...channels: IpcChannel[]): void => {
  for (const channel of channels) refresh(client, [channel]);
};

/** A thread a ticket action answered with: it is the new state of that ticket, for every screen. */
function putThread(client: QueryClient, ticketId: number, thread: TicketThread): void {
  client.setQueryData(ipcKey('tickets:get', { ticketId }), thread);
  invalidate(client, 'tickets:list');
}

/** Updates or invalidates what a successful call of `channel` changed. */
export function applyMutation<C extends IpcChannel>(
  client: QueryClient,
  channel: C,
  arg: IpcArg<C>,
  value: IpcResult<C>,
): void {
  switch (channel) {
    case 'tickets:reply':
    case 'tickets:solve':
    case 'tickets:reopen':
    case 'tickets:rate':
      return putThread(client, (arg as IpcArg<'tickets:reply'>).ticketId, value as TicketThread);
    case 'ticket:submit':
    case 'outbox:retry':
    case 'outbox:discard':
      return invalidate(client, 'tickets:list');
    case 'settings:set':
      // The answer is the new settings view; the agent state (enrollment, server) follows by its event.
      client.setQueryData(ipcKey('settings:get', {}), value as IpcResult<'settings:set'>);
      return;
    default:
      return;
  }
}

/**
 * Follows the main process's events for the window's lifetime: `state` replaces the cached agent
 * state, `ticket:presence` replaces that ticket's presence, `tickets:changed` and `content:changed`
 * invalidate what they name (open screens refetch).
 */
export function useIpcEventSync(): void {
  const client = useQueryClient();
  useEffect(() => {
    const offs = [
      subscribe('state', (state) => {
        // A pushed state is newer than an answer still on its way: drop that answer.
        void client.cancelQueries({ queryKey: ipcKey('agent:state', {}) });
        client.setQueryData(ipcKey('agent:state', {}), state);
      }),
      subscribe('tickets:changed', ({ ticketId }) => {
        invalidate(client, 'tickets:list');
        if (ticketId === null) invalidate(client, 'tickets:get');
        else refresh(client, ipcKey('tickets:get', { ticketId }));
      }),
      subscribe('ticket:presence', (presence) => {
        client.setQueryData(ipcKey('ticket:presence', { ticketId: presence.ticketId }), presence);
      }),
      subscribe('commands:pending', (pending) => {
        client.setQueryData(ipcKey('commands:pending', {}), pending);
      }),
      subscribe('remote:session', (current) => {
        client.setQueryData(ipcKey('remote:current', {}), current);
      }),
      subscribe('content:changed', ({ kind }) => {
        if (kind === 'announcements') invalidate(client, 'announcements:list');
        else invalidate(client, 'articles:list', 'articles:get', 'articles:search');
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client]);
}
