import type { MessageDto } from '../../shared/api/tickets';
import type { ServerContext } from '../context';
import { MESSAGE_COLUMNS, withAttachments } from './message-dto';
import { MESSAGE_PAGE } from './messages.service';

/*
 * The agent's long poll. This process's TicketBus wakes a waiting agent the moment a reply is posted
 * here; a reply posted through another server process cannot reach this bus, so the database is also
 * re-read every second. Either way an online agent sees a reply within about a second.
 */

/** How often a waiting poll re-reads the database. */
export const RECHECK_MS = 1000;

/** Staff and system messages a device may see, on any of its tickets, after a cursor. */
export async function findUpdates(ctx: ServerContext, deviceId: string, after: number): Promise<MessageDto[]> {
  const rows = await ctx.db.kysely
    .selectFrom('messages')
    .innerJoin('tickets', 'tickets.id', 'messages.ticket_id')
    .select(MESSAGE_COLUMNS)
    .where('tickets.device_id', '=', deviceId)
    .where('messages.id', '>', after)
    .where('messages.internal', '=', 0)
    .where('messages.author_type', '!=', 'device')
    .orderBy('messages.id')
    .limit(MESSAGE_PAGE)
    .execute();
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
  for (;;) {
    const messages = await findUpdates(ctx, deviceId, after);
    const remaining = deadline - Date.now();
    if (messages.length > 0 || remaining <= 0 || signal.aborted) return messages;
    // Read once per poll: a ticket filed meanwhile is still covered by the re-check.
    ticketIds ??= (
      await ctx.db.kysely.selectFrom('tickets').select('id').where('device_id', '=', deviceId).execute()
    ).map((t) => t.id);
    await ctx.bus.wait(ticketIds, Math.min(RECHECK_MS, remaining), signal);
  }
}
