import type { Kysely, Transaction, Updateable } from 'kysely';
import type { TicketStatus } from '../../shared/api/tickets';
import type { Database, TicketsTable } from '../db/schema';
import { ACTIVE_STATUSES, finalState, livePlan, resumedDueAt, type LiveState, type SlaTicketFields } from './sla-clock';
import { selectRecentStatusChanges, selectStatusChangeFields } from './sla-tickets.repo';
import type { SlaPolicy } from './sla.service';

/*
 * What a status change does to a ticket's SLA. The resolution clock stops while a ticket waits
 * (pending) or is resolved/closed, and the ticket keeps the business time it had left: on its
 * return to new/open the resolution due instant moves by the paused time. The first-response clock
 * never stops. Resolving fixes the final state from the timestamps.
 *
 * Anything that changes a ticket's status should add slaColumnsForStatus to its update in the same
 * transaction, then call evaluateTicketSla after commit so a target now due fires its rules.
 */

const PAUSED: readonly TicketStatus[] = ['pending', 'resolved', 'closed'];
const isActive = (s: TicketStatus) => ACTIVE_STATUSES.includes(s);

/** The ticket columns a status change reads. */
export type SlaStatusFields = SlaTicketFields & { id: number; resolved_at: number | null; closed_at: number | null };

/**
 * When the ticket's clock stopped. Pending: the last 'status_changed' event into pending from an
 * active status. Resolved or closed: the resolution, because resolving brings the due instant up to
 * date (see slaForStatusChange). Null when unknown: the due instant then stays as it is.
 */
export async function pausedSince(
  db: Kysely<Database>,
  t: Pick<SlaStatusFields, 'id' | 'status' | 'resolved_at' | 'closed_at'>,
): Promise<number | null> {
  if (t.status !== 'pending') return t.resolved_at ?? t.closed_at;
  const rows = await selectRecentStatusChanges(db, t.id, 20);
  for (const row of rows) {
    try {
      const data = JSON.parse(row.data) as { from?: TicketStatus; to?: TicketStatus };
      if (data.to === 'pending' && data.from !== undefined && isActive(data.from)) return row.created_at;
    } catch {
      // A malformed event says nothing about the pause.
    }
  }
  return null;
}

const RANK: Record<LiveState, number> = { ok: 0, warning: 1, breached: 2 };

/**
 * The state to store when the clock starts again: the live state when it is no worse than the stored
 * one, else the stored one, so that the SLA evaluation makes the move up itself and fires its rules.
 */
export function restartedState(stored: SlaTicketFields['sla_state'], live: LiveState): LiveState {
  const was: LiveState = stored === 'warning' || stored === 'breached' ? stored : 'ok';
  return RANK[live] <= RANK[was] ? live : was;
}

/**
 * The SLA columns to set when ticket `t` moves to status `to` at `now`; `t` carries any due times
 * changed in the same update. Resolving fixes the final state, and from pending first moves the due
 * instant by the paused time; returning to new/open moves it by the paused time and stores a state no
 * worse than before. Empty when nothing changes for the SLA or the ticket has none.
 */
export async function slaForStatusChange(
  db: Kysely<Database>,
  t: SlaStatusFields,
  to: TicketStatus,
  policy: SlaPolicy | undefined,
  now: number,
): Promise<Updateable<TicketsTable>> {
  if (t.sla_state === 'none' || to === t.status) return {};
  if ((isActive(t.status) && to === 'pending') || (t.status === 'resolved' && to === 'closed')) return {};
  let due = t.resolution_due_at;
  if (PAUSED.includes(t.status)) {
    const since = await pausedSince(db, t);
    if (since !== null) due = resumedDueAt(due, since, now, policy?.businessHours ?? null);
  }
  const set: Updateable<TicketsTable> = due === t.resolution_due_at ? {} : { resolution_due_at: due };
  const shifted = { ...t, status: to, resolution_due_at: due };
  if (to === 'resolved' || to === 'closed') set.sla_state = finalState(shifted, now);
  else if (isActive(to)) set.sla_state = restartedState(t.sla_state, livePlan(shifted, policy, now).state);
  return set;
}

/**
 * For any module that changes a ticket's status inside a transaction: the SLA columns to add to its
 * update when ticket `ticketId` moves to `to` at `now` (read before the status is written). Policies
 * come from loadSlaPolicies() called BEFORE the transaction: on SQLite the transaction holds Kysely's
 * only connection, so a query on the outer instance inside it would wait for itself forever.
 */
export async function slaColumnsForStatus(
  trx: Transaction<Database>,
  policies: readonly SlaPolicy[],
  ticketId: number,
  to: TicketStatus,
  now: number,
): Promise<Updateable<TicketsTable>> {
  const t = await selectStatusChangeFields(trx, ticketId);
  if (!t) return {};
  return slaForStatusChange(
    trx,
    t,
    to,
    policies.find((p) => p.id === t.sla_policy_id),
    now,
  );
}
