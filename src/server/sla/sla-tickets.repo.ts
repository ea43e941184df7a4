import type { Kysely, Transaction, Updateable } from 'kysely';
import type { Dialect } from '../db/database';
import type { Database, TicketsTable } from '../db/schema';
import type { LiveState, SlaTicketFields } from './sla-clock';

/*
 * The SLA's reads and writes of the tickets and ticket_events tables (the tickets domain's tables):
 * the candidates of an SLA pass, the conditional updates that claim a change, the SLA history of
 * fired triggers, and the columns an escalation or a status change reads.
 */

/** The ticket columns an SLA pass reads. */
export const SLA_CANDIDATE_COLUMNS = [
  'id',
  'status',
  'priority',
  'sla_state',
  'sla_policy_id',
  'first_response_at',
  'first_response_due_at',
  'resolution_due_at',
  'resolved_at',
  'closed_at',
] as const;

/** The ticket columns a status change reads. */
const STATUS_CHANGE_COLUMNS = [
  'id',
  'status',
  'sla_state',
  'sla_policy_id',
  'first_response_at',
  'first_response_due_at',
  'resolution_due_at',
  'resolved_at',
  'closed_at',
] as const;

/** The largest IN list of one query: PostgreSQL and SQLite both cap bound parameters. */
const IN_LIST_MAX = 500;

/** Tickets whose SLA clocks run: in an active status, with an SLA. */
export async function selectRunningSlaTickets(
  db: Kysely<Database>,
  activeStatuses: readonly SlaTicketFields['status'][],
) {
  return db
    .selectFrom('tickets')
    .select(SLA_CANDIDATE_COLUMNS)
    .where('status', 'in', [...activeStatuses])
    .where('sla_state', '!=', 'none')
    .execute();
}

/** Resolved or closed tickets still showing a live SLA state (e.g. solved by the employee). */
export async function selectUnfinishedSlaTickets(db: Kysely<Database>) {
  return db
    .selectFrom('tickets')
    .select(SLA_CANDIDATE_COLUMNS)
    .where('sla_state', 'in', ['ok', 'warning'])
    .where('status', 'in', ['resolved', 'closed'])
    .execute();
}

/** One ticket as an SLA pass reads it. */
export async function selectSlaCandidate(db: Kysely<Database>, ticketId: number) {
  return db.selectFrom('tickets').select(SLA_CANDIDATE_COLUMNS).where('id', '=', ticketId).executeTakeFirst();
}

/** The SLA history events of the tickets (fired triggers and restarts), oldest first. */
export async function selectSlaHistory(
  db: Kysely<Database>,
  ticketIds: readonly number[],
  types: readonly string[],
): Promise<Array<{ ticket_id: number; type: string; data: string }>> {
  const rows: Array<{ ticket_id: number; type: string; data: string }> = [];
  for (let i = 0; i < ticketIds.length; i += IN_LIST_MAX) {
    rows.push(
      ...(await db
        .selectFrom('ticket_events')
        .select(['ticket_id', 'type', 'data'])
        .where('ticket_id', 'in', ticketIds.slice(i, i + IN_LIST_MAX))
        .where('type', 'in', [...types])
        .orderBy('id')
        .execute()),
    );
  }
  return rows;
}

/** What an SLA pass saw of a ticket when it planned a change. */
export interface SlaClaim {
  id: number;
  priority: 'p1' | 'p2' | 'p3' | 'p4';
  sla_state: SlaTicketFields['sla_state'];
  first_response_at: number | null;
  first_response_due_at: number | null;
  resolution_due_at: number | null;
}

/**
 * Sets the live SLA state if the ticket still holds what the pass saw (an active status, the same
 * state, priority and due times); returns whether this process won the row.
 */
export async function claimSlaState(
  trx: Transaction<Database>,
  t: SlaClaim,
  activeStatuses: readonly SlaTicketFields['status'][],
  state: LiveState,
  now: number,
): Promise<boolean> {
  const stateChanges = state !== t.sla_state;
  const claim = await trx
    .updateTable('tickets')
    .set(stateChanges ? { sla_state: state, updated_at: now } : { sla_state: state })
    .where('id', '=', t.id)
    .where('sla_state', '=', t.sla_state)
    .where('status', 'in', [...activeStatuses])
    .where('priority', '=', t.priority)
    .where('first_response_due_at', 'is not distinct from', t.first_response_due_at)
    .where('resolution_due_at', 'is not distinct from', t.resolution_due_at)
    .where('first_response_at', t.first_response_at === null ? 'is' : 'is not', null)
    .executeTakeFirst();
  return Number(claim.numUpdatedRows) === 1;
}

/** Sets the final SLA state if the ticket still holds the state and status seen; returns whether it did. */
export async function claimFinalSlaState(
  trx: Transaction<Database>,
  t: { id: number; sla_state: SlaTicketFields['sla_state']; status: SlaTicketFields['status'] },
  to: SlaTicketFields['sla_state'],
): Promise<boolean> {
  const res = await trx
    .updateTable('tickets')
    .set({ sla_state: to })
    .where('id', '=', t.id)
    .where('sla_state', '=', t.sla_state)
    .where('status', '=', t.status)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The newest 'status_changed' events of a ticket (data and time), newest first. */
export async function selectRecentStatusChanges(
  db: Kysely<Database>,
  ticketId: number,
  limit: number,
): Promise<Array<{ data: string; created_at: number }>> {
  return db
    .selectFrom('ticket_events')
    .select(['data', 'created_at'])
    .where('ticket_id', '=', ticketId)
    .where('type', '=', 'status_changed')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The columns a status change reads of a ticket. */
export async function selectStatusChangeFields(db: Kysely<Database>, ticketId: number) {
  return db.selectFrom('tickets').select(STATUS_CHANGE_COLUMNS).where('id', '=', ticketId).executeTakeFirst();
}

/** The columns an escalation reads, the row locked on PostgreSQL so two escalations never raise from the same priority. */
export async function selectTicketForEscalation(trx: Transaction<Database>, dialect: Dialect, ticketId: number) {
  return trx
    .selectFrom('tickets')
    .select(['priority', 'group_name', 'assignee_id', 'escalation_level'])
    .where('id', '=', ticketId)
    .$if(dialect === 'postgres', (qb) => qb.forUpdate())
    .executeTakeFirstOrThrow();
}

/** Writes an escalation's changes to a ticket. */
export async function updateEscalatedTicket(
  trx: Transaction<Database>,
  ticketId: number,
  set: Updateable<TicketsTable>,
): Promise<void> {
  await trx.updateTable('tickets').set(set).where('id', '=', ticketId).execute();
}
