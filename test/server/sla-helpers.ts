import type { TicketStatus } from '../../src/shared/api/tickets';
import { priorityFor, type Impact, type Priority, type Urgency } from '../../src/shared/priority';
import { computeSla, ensureDefaultSlaPolicies } from '../../src/server/sla/sla.service';
import type { StaffSession, TestServer } from './harness';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** What a test ticket differs in; everything else has a plain default. */
export interface TicketSeed {
  subject?: string;
  description?: string;
  requesterName?: string | null;
  requesterEmail?: string | null;
  urgency?: Urgency;
  impact?: Impact;
  /** Defaults to the matrix priority of urgency and impact. */
  priority?: Priority;
  status?: TicketStatus;
  assigneeId?: number | null;
  group?: string | null;
  deviceId?: string | null;
  createdAt?: number;
  /** Due times as computeSla gives them (default), or none at all. */
  sla?: boolean;
  firstResponseAt?: number | null;
}

/**
 * Inserts a ticket row directly, with SLA due times from the live policies, so these suites do not
 * depend on the device ticket route (another module).
 */
export async function insertTicket(s: TestServer, seed: TicketSeed = {}): Promise<number> {
  const urgency = seed.urgency ?? 'medium';
  const impact = seed.impact ?? 'low';
  const priority = seed.priority ?? priorityFor(urgency, impact);
  const createdAt = seed.createdAt ?? s.clock.now;
  const sla = seed.sla === false ? null : await computeSla(s.ctx, priority, createdAt);
  const { id } = await s.db.kysely
    .insertInto('tickets')
    .values({
      device_id: seed.deviceId ?? null,
      requester_name: seed.requesterName === undefined ? 'Dana Whitfield' : seed.requesterName,
      requester_email: seed.requesterEmail === undefined ? 'dana@example.com' : seed.requesterEmail,
      subject: seed.subject ?? 'Printer on floor 3 is offline',
      description: seed.description ?? 'It shows a paper jam but there is none.',
      category: 'printing',
      urgency,
      impact,
      priority,
      status: seed.status ?? 'new',
      assignee_id: seed.assigneeId ?? null,
      group_name: seed.group ?? null,
      snapshot_id: null,
      finding_codes: '[]',
      created_at: createdAt,
      updated_at: createdAt,
      first_response_at: seed.firstResponseAt ?? null,
      resolved_at: null,
      closed_at: null,
      sla_policy_id: sla?.policyId ?? null,
      first_response_due_at: sla?.firstResponseDueAt ?? null,
      resolution_due_at: sla?.resolutionDueAt ?? null,
      sla_state: sla?.state ?? 'none',
      escalation_level: 0,
      last_message_at: createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The ticket row as stored. */
export function ticketRow(s: TestServer, id: number) {
  return s.db.kysely.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The types of a ticket's events, oldest first (optionally only some types). */
export async function eventsOf(
  s: TestServer,
  id: number,
  types?: string[],
): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  const rows = await s.db.kysely
    .selectFrom('ticket_events')
    .select(['type', 'data'])
    .where('ticket_id', '=', id)
    .$if(types !== undefined, (qb) => qb.where('type', 'in', types ?? []))
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ type: r.type, data: JSON.parse(r.data) as Record<string, unknown> }));
}

/** Monday 2 March 2026, 09:00 UTC: where the harness clock starts. */
export const MONDAY_9 = '2026-03-02T09:00:00.000Z';

/**
 * Keeps the signed-in sessions alive across fake-clock jumps; signing in again would cost a scrypt
 * hash each time (128 MiB, most of a second on a busy machine).
 */
export async function refreshSessions(s: TestServer): Promise<void> {
  await s.db.kysely
    .updateTable('sessions')
    .set({ last_seen_at: s.clock.now, expires_at: s.clock.now + 12 * HOUR })
    .execute();
}

/** A clean slate on a shared test server: no tickets, rules or audit entries, default policies, the clock at Monday 09:00. */
export async function resetServer(s: TestServer): Promise<void> {
  s.clock.now = Date.parse(MONDAY_9);
  await s.db.kysely.deleteFrom('tickets').execute();
  await s.db.kysely.deleteFrom('escalation_rules').execute();
  await s.db.kysely.deleteFrom('audit_log').execute();
  await s.db.kysely.deleteFrom('sla_policies').execute();
  await ensureDefaultSlaPolicies(s.db, s.clock.now);
  await refreshSessions(s);
}

/** A request as a staff member, whatever the fake clock did to the session. */
export async function asStaff(
  s: TestServer,
  who: StaffSession,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  await refreshSessions(s);
  return s.inject({
    method,
    url,
    headers: who.headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

/** PATCH /api/v1/tickets/:id as a staff member. */
export function patchTicket(s: TestServer, who: StaffSession, id: number | string, payload: unknown) {
  return asStaff(s, who, 'PATCH', `/api/v1/tickets/${id}`, payload);
}

/** Sets the fake clock to an ISO instant. */
export function setClock(s: TestServer, isoInstant: string): void {
  s.clock.now = Date.parse(isoInstant);
}
