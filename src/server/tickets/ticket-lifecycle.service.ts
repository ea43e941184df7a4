import type { Transaction, Updateable } from 'kysely';
import type { DeviceTicketDto } from '../../shared/api/tickets';
import type { DeviceIdentity } from '../auth/guards';
import type { ServerContext } from '../context';
import type { Database, TicketsTable } from '../db/schema';
import { conflict } from '../errors';
import { evaluateTicketSla } from '../sla/sla-evaluate.service';
import { slaColumnsForStatus } from '../sla/sla-status.service';
import { loadSlaPolicies } from '../sla/sla.service';
import { ticketNotFound, toDeviceTicketDto } from './ticket-dto';
import { recordTicketEvents, type TicketEvent } from './ticket-events.repo';
import { findDeviceTicketRow, updateTicketRow, type DeviceTicketRow } from './tickets.repo';

/** How long after closing an employee may still reopen a ticket instead of filing a new one. */
export const REOPEN_WINDOW_MS = 14 * 24 * 3_600_000;

type Change = {
  set: Updateable<TicketsTable>;
  events: Array<Omit<TicketEvent, 'ticketId' | 'actorType' | 'actorId' | 'at'>>;
} | null;

/**
 * Applies a device's change to one of its own tickets in a transaction (row-locked on PostgreSQL),
 * records the events, wakes listeners, and returns the ticket as the device now sees it.
 */
async function changeOwnTicket(
  ctx: ServerContext,
  device: DeviceIdentity,
  ticketId: number,
  decide: (row: DeviceTicketRow, now: number) => Change,
): Promise<DeviceTicketDto> {
  const now = ctx.now();
  // Loaded before the transaction: see slaColumnsForStatus.
  const policies = await loadSlaPolicies(ctx.db);
  const result = await ctx.db.kysely.transaction().execute(async (trx: Transaction<Database>) => {
    const row = await findDeviceTicketRow(trx, device.id, ticketId, ctx.db.dialect === 'postgres');
    if (!row) throw ticketNotFound();
    const change = decide(row, now);
    if (!change) return { row, changed: false };
    // A status change moves SLA clocks: resolving settles the result, reopening resumes a paused clock.
    const to = change.set.status;
    const sla = to && to !== row.status ? await slaColumnsForStatus(trx, policies, ticketId, to, now) : {};
    const set = { ...change.set, ...sla, updated_at: now };
    await updateTicketRow(trx, ticketId, set);
    await recordTicketEvents(
      trx,
      change.events.map((e) => ({ ...e, ticketId, actorType: 'device' as const, actorId: device.id, at: now })),
    );
    return { row: { ...row, ...set } as DeviceTicketRow, changed: true };
  });
  if (result.changed) {
    await evaluateTicketSla(ctx, ticketId);
    ctx.bus.notify(ticketId, { changed: true });
  }
  return toDeviceTicketDto(result.row);
}

/** The employee says it is fixed: resolved now. Solving a resolved ticket again changes nothing (outbox retries). */
export function solveTicket(ctx: ServerContext, device: DeviceIdentity, ticketId: number): Promise<DeviceTicketDto> {
  return changeOwnTicket(ctx, device, ticketId, (row, now) => {
    if (row.status === 'resolved') return null;
    if (row.status === 'closed') throw conflict('ticket_closed', 'This ticket is already closed');
    return {
      set: { status: 'resolved', resolved_at: now },
      events: [{ type: 'status_changed', data: { from: row.status, to: 'resolved', reason: 'solved_by_requester' } }],
    };
  });
}

/** The problem came back: a resolved ticket, or one closed in the last 14 days, opens again. */
export function reopenTicket(ctx: ServerContext, device: DeviceIdentity, ticketId: number): Promise<DeviceTicketDto> {
  return changeOwnTicket(ctx, device, ticketId, (row, now) => {
    const recentlyClosed = row.status === 'closed' && row.closed_at !== null && now - row.closed_at <= REOPEN_WINDOW_MS;
    if (row.status === 'closed' && !recentlyClosed)
      throw conflict('reopen_window_passed', 'This ticket was closed more than 14 days ago; file a new ticket');
    if (row.status !== 'resolved' && row.status !== 'closed')
      throw conflict('not_resolved', 'Only a resolved or recently closed ticket can be reopened');
    return {
      set: { status: 'open', resolved_at: null, closed_at: null },
      events: [{ type: 'status_changed', data: { from: row.status, to: 'open', reason: 'reopened_by_requester' } }],
    };
  });
}

/** The employee rates the help they got (1-5), once the ticket is resolved or closed; a new rating replaces the old. */
export function rateTicket(
  ctx: ServerContext,
  device: DeviceIdentity,
  ticketId: number,
  satisfaction: number,
  comment: string | null,
): Promise<DeviceTicketDto> {
  return changeOwnTicket(ctx, device, ticketId, (row) => {
    if (row.status !== 'resolved' && row.status !== 'closed')
      throw conflict('not_resolved', 'A ticket can be rated once it is resolved');
    return {
      set: { satisfaction, satisfaction_comment: comment },
      events: [{ type: 'rated', data: { satisfaction } }],
    };
  });
}
