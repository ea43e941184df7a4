import type { z } from 'zod';
import type { createTicketRequestSchema, CreateTicketResponse } from '../../shared/api/tickets';
import type { FindingCode } from '../../shared/health/finding';
import { priorityFor, type Priority } from '../../shared/priority';
import type { TicketCategory } from '../../shared/ticket-fields';
import type { DeviceIdentity } from '../auth/guards';
import type { ServerContext } from '../context';
import { isUniqueViolation } from '../db/database';
import { rowsOf, runInTransaction, type StatementProgram } from '../db/statement-program';
import {
  deviceStateOf,
  prepareSnapshot,
  snapshotStatements,
  type PreparedSnapshot,
} from '../devices/snapshots.service';
import { unprocessable } from '../errors';
import { jsonMemberText } from '../http/json-member-text';
import { defaultTicketCategory } from '../settings/categories.service';
import { computeSla } from '../sla/sla.service';
import { insertKeyQuery, insertTicketQuery } from '../snapshots/submission-inserts.repo';
import { insertSubmission, type SubmissionValues } from '../snapshots/submission-statement.repo';
import { attachmentRowsInsert } from './attachments.repo';
import { decodeAttachments, type DecodedAttachment } from './attachments.service';
import type { BodyDigest } from './idempotency';
import { toDeviceTicketDto } from './ticket-dto';
import { ticketEventsInsert } from './ticket-events.repo';
import { findTicketOfKey } from './tickets.repo';

/** As validated; without a category, the ticket goes under the help desk's default one. */
type CreateTicketBody = z.output<typeof createTicketRequestSchema>;
type TicketValues = Omit<Parameters<typeof insertTicketQuery.compile>[2], 'snapshotId' | 'deviceId'> & {
  deviceId: string;
};
type CreatedEvent = { priority: Priority; findingCodes: FindingCode[] };

const MAX_ATTEMPTS = 3;

/** What a submission yields: the ticket, and whether it was a replay of an earlier submission. */
export interface CreatedTicket {
  ticket: CreateTicketResponse;
  replay: boolean;
}

/**
 * Files a device's ticket exactly once per idempotency key. Everything that needs no database
 * (snapshot validation and compression, attachment decoding, SLA due times) happens first; then the
 * ticket, its snapshot, the key, attachments and the 'created' event go in one transaction — on
 * PostgreSQL, for a submission with a snapshot and no attachment, in one statement. When two
 * submissions with the same key race, the key's primary key lets one commit and the other roll back
 * and answer with the winner's ticket.
 */
export async function createTicket(
  ctx: ServerContext,
  device: DeviceIdentity,
  body: CreateTicketBody,
  key: string,
  digest: BodyDigest,
): Promise<CreatedTicket> {
  const requestHash = digest.hash;
  const category: TicketCategory = body.category ?? (await defaultTicketCategory(ctx.db));
  // An agent whose collection failed may send null: the ticket goes in without a snapshot.
  const prepared =
    body.snapshot === undefined || body.snapshot === null
      ? null
      : await prepareSnapshot(ctx, body.snapshot, {
          mayHoldUnsafeText: digest.mayHoldUnsafeText,
          sentText: () => (digest.body ? jsonMemberText(digest.body, 'snapshot') : null),
        });
  const files = decodeAttachments(body.attachments);
  const now = ctx.now();
  const priority = priorityFor(body.urgency, body.impact);
  const sla = await computeSla(ctx, priority, now);
  const findingCodes = reportedFindingCodes(prepared);

  const values: TicketValues = {
    deviceId: device.id,
    requesterName: body.requester?.name ?? null,
    requesterEmail: body.requester?.email ?? null,
    subject: body.subject,
    description: body.description,
    category,
    urgency: body.urgency,
    impact: body.impact,
    priority,
    findingCodes: JSON.stringify(findingCodes),
    now,
    slaPolicyId: sla.policyId,
    firstResponseDueAt: sla.firstResponseDueAt,
    resolutionDueAt: sla.resolutionDueAt,
    slaState: sla.state,
  };
  const event = { priority, findingCodes };
  // PostgreSQL: the usual submission (a snapshot, no attachment) is one statement, one round trip.
  // SQLite: one transaction with no await inside, so the write lock is held for the writes alone.
  const insert =
    ctx.db.dialect === 'postgres' && prepared && files.length === 0
      ? () => insertSubmission(ctx.db.kysely, submissionValues(ctx, values, prepared, key, requestHash, event))
      : () =>
          runInTransaction(ctx.db, () => submissionStatements(ctx, values, prepared, files, key, requestHash, event));

  // A few rounds at most: a unique violation that is not our key, or a submission statement that found a
  // concurrent twin snapshot it could not see yet, settles on retry.
  for (let attempt = 1; ; attempt++) {
    try {
      const inserted = await insert();
      if (!inserted) {
        if (attempt >= MAX_ATTEMPTS) throw new Error('The submission statement found no snapshot row, several times');
        continue;
      }
      const { id, snapshotId } = inserted;
      ctx.metrics.ticketsCreated.inc();
      const ticket = toDeviceTicketDto({
        id,
        device_id: device.id,
        subject: body.subject,
        description: body.description,
        category,
        urgency: body.urgency,
        priority,
        status: 'new',
        created_at: now,
        updated_at: now,
        resolved_at: null,
        closed_at: null,
        last_message_at: now,
        satisfaction: null,
        last_staff_message_id: null,
        snapshot_id: snapshotId,
        assignee_name: null,
      });
      return { ticket: { ...ticket, snapshotId }, replay: false };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const replay = await replayOf(ctx, device.id, key, requestHash);
      if (replay) return { ticket: replay, replay: true };
      if (attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/**
 * The ticket, its snapshot, key, attachments and 'created' event: the statements of one transaction
 * (SQLite, synchronously; PostgreSQL with attachments or without a snapshot, awaited).
 */
function* submissionStatements(
  ctx: ServerContext,
  ticket: TicketValues,
  prepared: PreparedSnapshot | null,
  files: readonly DecodedAttachment[],
  key: string,
  requestHash: string,
  event: CreatedEvent,
): StatementProgram<{ id: number; snapshotId: number | null }> {
  const db = ctx.db.kysely;
  const snapshotId = prepared ? yield* snapshotStatements(ctx, ticket.deviceId, prepared) : null;
  const inserted = yield insertTicketQuery.compile(ctx.db, db, { ...ticket, snapshotId });
  const id = rowsOf<{ id: number }>(inserted)[0]?.id;
  if (id === undefined) throw new Error('INSERT INTO tickets returned no id');
  // Straight after the ticket: a losing racer fails here, before storing attachments.
  const { deviceId, now } = ticket;
  yield insertKeyQuery.compile(ctx.db, db, { deviceId, key, requestHash, ticketId: id, now });
  if (files.length > 0) yield attachmentRowsInsert(db, id, null, files, now).compile();
  yield ticketEventsInsert(db, [
    {
      ticketId: id,
      type: 'created',
      actorType: 'device',
      actorId: deviceId,
      data: { priority: event.priority, snapshotId, findingCodes: event.findingCodes },
      at: now,
    },
  ]).compile();
  return { id, snapshotId };
}

/** The values of the one-statement submission: the same rows, down to the event's JSON text, as insertInTransaction writes. */
function submissionValues(
  ctx: ServerContext,
  ticket: TicketValues,
  prepared: PreparedSnapshot,
  key: string,
  requestHash: string,
  event: CreatedEvent,
): SubmissionValues {
  return {
    ...ticket,
    hash: prepared.hash,
    data: prepared.data,
    rawSize: prepared.rawSize,
    collectedAt: prepared.collectedAt,
    receivedAt: ctx.now(),
    findings: JSON.stringify(prepared.findings),
    ...deviceStateOf(prepared),
    key,
    requestHash,
    // JSON.stringify({ priority, snapshotId, findingCodes }), around the id the statement fills in.
    eventDataBeforeSnapshotId: `{"priority":${JSON.stringify(event.priority)},"snapshotId":`,
    eventDataAfterSnapshotId: `,"findingCodes":${JSON.stringify(event.findingCodes)}}`,
  };
}

/** The ticket an earlier submission with this key created, or null; 422 when the key came with another body. */
export async function replayOf(
  ctx: ServerContext,
  deviceId: string,
  key: string,
  requestHash: string,
): Promise<CreateTicketResponse | null> {
  const row = await findTicketOfKey(ctx.db.kysely, deviceId, key);
  if (!row) return null;
  if (row.request_hash !== requestHash) {
    throw unprocessable(
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different ticket; use a new key for a new ticket',
    );
  }
  return { ...toDeviceTicketDto(row), snapshotId: row.snapshot_id };
}

// Info findings are context, not problems; the queue and reports only care about warnings and worse.
function reportedFindingCodes(prepared: PreparedSnapshot | null): FindingCode[] {
  if (!prepared) return [];
  return [...new Set(prepared.findings.filter((f) => f.severity !== 'info').map((f) => f.code))];
}
