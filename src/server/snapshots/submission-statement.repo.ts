import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import { prepareByName } from '../db/named-statements';
import type { Database, DevicesTable, TicketsTable } from '../db/schema';

/*
 * A ticket submission with its snapshot as ONE PostgreSQL statement: snapshot insert-or-nothing by
 * (device, hash), the device update, the ticket, its Idempotency-Key and its 'created' event, chained
 * by data-modifying CTEs. A single statement is atomic on its own, so this is one round trip instead
 * of BEGIN, five statements and COMMIT, and the device row is locked only for that one statement.
 * It does exactly what the transaction in ticket-create.service.ts does on SQLite (same rows, same
 * values, same event text); see the notes in the SQL for the two places where that takes care.
 */

type T = Insertable<TicketsTable>;

/** Everything the statement writes. */
export interface SubmissionValues {
  deviceId: string;
  // The snapshot, and the device update it brings.
  hash: string;
  data: Buffer;
  rawSize: number;
  collectedAt: number;
  receivedAt: number;
  findings: string;
  healthStatus: DevicesTable['health_status'];
  healthSummary: string;
  agentVersion: string;
  /** null when the snapshot has no os section: hostname and OS are then left as they are. */
  os: { hostname: string; osName: string; osVersion: string | null } | null;
  // The ticket.
  requesterName: T['requester_name'];
  requesterEmail: T['requester_email'];
  subject: string;
  description: string;
  category: string;
  urgency: T['urgency'];
  impact: T['impact'];
  priority: T['priority'];
  findingCodes: string;
  now: number;
  slaPolicyId: T['sla_policy_id'];
  firstResponseDueAt: T['first_response_due_at'];
  resolutionDueAt: T['resolution_due_at'];
  slaState: T['sla_state'];
  // The key, and the event's data as JSON around the snapshot id only the statement knows.
  key: string;
  requestHash: string;
  eventDataBeforeSnapshotId: string;
  eventDataAfterSnapshotId: string;
}

// Notes:
// - The statement sees the tables as they were when it started, so it cannot read back a twin
//   snapshot that a concurrent submission committed meanwhile (ON CONFLICT then yields no row and
//   the SELECT does not see it either). Everything after hangs on the snapshot row, so the statement
//   then writes nothing and returns no row; the caller runs it again, and the new run sees the twin.
// - Data-modifying CTEs always run to completion, referenced or not (the device update is not).
const SUBMISSION_SQL = `WITH new_snapshot AS (
  INSERT INTO snapshots (device_id, hash, data, raw_size, collected_at, received_at, findings)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (device_id, hash) DO NOTHING
  RETURNING id
), snapshot AS (
  SELECT id FROM new_snapshot
  UNION ALL
  SELECT id FROM snapshots WHERE device_id = $1 AND hash = $2 AND NOT EXISTS (SELECT FROM new_snapshot)
), device AS (
  UPDATE devices SET
    last_snapshot_id = snapshot.id,
    health_status = $8::text,
    health_summary = $9::text,
    agent_version = $10::text,
    hostname = CASE WHEN $11::boolean THEN $12::text ELSE devices.hostname END,
    os_name = CASE WHEN $11::boolean THEN $13::text ELSE devices.os_name END,
    os_version = CASE WHEN $11::boolean THEN $14::text ELSE devices.os_version END
  FROM snapshot
  WHERE devices.id = $1 AND NOT EXISTS (
    SELECT FROM snapshots newer WHERE newer.id = devices.last_snapshot_id AND newer.collected_at > $5
  )
), ticket AS (
  INSERT INTO tickets (device_id, requester_name, requester_email, subject, description, category, urgency, impact,
    priority, status, assignee_id, group_name, snapshot_id, finding_codes, created_at, updated_at, sla_policy_id,
    first_response_due_at, resolution_due_at, sla_state, escalation_level, last_message_at)
  SELECT $1, $15::text, $16::text, $17::text, $18::text, $19::text, $20::text, $21::text,
    $22::text, 'new'::text, NULL::bigint, NULL::text, snapshot.id, $23::text, $24::bigint, $24::bigint, $25::bigint,
    $26::bigint, $27::bigint, $28::text, 0::integer, $24::bigint
  FROM snapshot
  RETURNING id, snapshot_id
), idempotency_key AS (
  INSERT INTO idempotency_keys (device_id, key, request_hash, ticket_id, created_at)
  SELECT $1, $29::text, $30::text, ticket.id, $24::bigint FROM ticket
), created_event AS (
  INSERT INTO ticket_events (ticket_id, type, actor_type, actor_id, data, created_at)
  SELECT ticket.id, 'created'::text, 'device'::text, $1, $31::text || ticket.snapshot_id || $32::text, $24::bigint FROM ticket
)
SELECT id, snapshot_id FROM ticket`;

prepareByName(SUBMISSION_SQL);

/**
 * Runs the submission statement (PostgreSQL only). Returns the new ticket's id and snapshot id, or
 * null when a concurrent twin snapshot kept it from writing anything (run it again). A unique
 * violation means the Idempotency-Key is taken, as in the transaction it replaces.
 */
export async function insertSubmission(
  db: Kysely<Database>,
  v: SubmissionValues,
): Promise<{ id: number; snapshotId: number } | null> {
  const parameters = [
    v.deviceId,
    v.hash,
    v.data,
    v.rawSize,
    v.collectedAt,
    v.receivedAt,
    v.findings,
    v.healthStatus,
    v.healthSummary,
    v.agentVersion,
    v.os !== null,
    v.os?.hostname ?? null,
    v.os?.osName ?? null,
    v.os?.osVersion ?? null,
    v.requesterName,
    v.requesterEmail,
    v.subject,
    v.description,
    v.category,
    v.urgency,
    v.impact,
    v.priority,
    v.findingCodes,
    v.now,
    v.slaPolicyId,
    v.firstResponseDueAt,
    v.resolutionDueAt,
    v.slaState,
    v.key,
    v.requestHash,
    v.eventDataBeforeSnapshotId,
    v.eventDataAfterSnapshotId,
  ];
  const result = await db.executeQuery(
    CompiledQuery.raw(SUBMISSION_SQL, parameters) as CompiledQuery<{ id: number; snapshot_id: number }>,
  );
  const row = result.rows[0];
  return row ? { id: row.id, snapshotId: row.snapshot_id } : null;
}
