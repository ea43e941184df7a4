import type { MessageDto } from '../../shared/api/tickets';
import type { ServerContext } from '../context';
import { listReplyRowsOfDevice } from './messages.repo';
import { MESSAGE_PAGE, withAttachments } from './messages.service';
import { ticketIdsOfDevice } from './tickets.repo';

/*
 * The agent's long poll, the fallback where a proxy blocks the live channel's WebSocket. The event bus
 * wakes a waiting agent the moment a reply is posted through any server process (LISTEN/NOTIFY on
 * PostgreSQL, the cluster primary on SQLite), or asks it to re-read after the bus lost its link (resync);
 * the database is otherwise read once per poll, not per second.
 */

/** Staff and system messages a device may see, on any of its tickets, after a cursor. */
export async function findUpdates(ctx: ServerContext, deviceId: string, after: number): Promise<MessageDto[]> {
  const rows = await listReplyRowsOfDevice(ctx.db.kysely, deviceId, after, MESSAGE_PAGE);
  return withAttachments(ctx.db.kysely, rows);
}

/**
 * Returns new updates at once if there are any; otherwise waits up to `waitMs` for one, waking on the
 * bus or the periodic re-check, and gives up early when `signal` aborts (the agent went away).
 */
export async function waitForUpdates(
  ctx: ServerContext,
  deviceId: string,
  after: number,
  waitMs: number,
  signal: AbortSignal,
): Promise<MessageDto[]> {
  // Real time, not ctx.now(): the wait is about this connection, not about business time.
  const deadline = Date.now() + waitMs;
  let ticketIds: number[] | null = null;
  let parked = false;
  try {
    for (;;) {
      const messages = await findUpdates(ctx, deviceId, after);
      const remaining = deadline - Date.now();
      if (messages.length > 0 || remaining <= 0 || signal.aborted) return messages;
      // Read once per poll: a ticket filed meanwhile gets its replies on the next poll (at most wait seconds).
      ticketIds ??= await ticketIdsOfDevice(ctx.db.kysely, deviceId);
      if (!parked) ctx.metrics.longPollsWaiting.inc();
      parked = true;
      await ctx.bus.wait(ticketIds, remaining, signal);
    }
  } finally {
    if (parked) ctx.metrics.longPollsWaiting.dec();
  }
}

/** The long poll's answer: the updates after `after` (waiting up to `waitSeconds` for one) and the new cursor. */
export async function pollUpdates(
  ctx: ServerContext,
  deviceId: string,
  after: number,
  waitSeconds: number,
  signal: AbortSignal,
): Promise<{ messages: MessageDto[]; cursor: number }> {
  const messages = await waitForUpdates(ctx, deviceId, after, waitSeconds * 1000, signal);
  return { messages, cursor: messages.at(-1)?.id ?? after };
}
