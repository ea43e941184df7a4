import type { z } from 'zod';
import type { createTicketRequestSchema, CreateTicketResponse } from '../../shared/api/tickets';
import type { FindingCode } from '../../shared/health/finding';
import { priorityFor } from '../../shared/priority';
import type { TicketCategory } from '../../shared/ticket-fields';
import type { DeviceIdentity } from '../auth/guards';
import type { ServerContext } from '../context';
import { isUniqueViolation } from '../db/database';
import { prepareSnapshot, savePreparedSnapshot, type PreparedSnapshot } from '../devices/snapshot-store';
import { unprocessable } from '../errors';
import { computeSla } from '../sla/sla.service';
import { insertKeyQuery, insertTicketQuery } from '../snapshots/ticket-queries';
import { decodeAttachments, insertAttachments } from './attachments';
import { recordTicketEvents } from './ticket-events';
import { selectDeviceTickets, toDeviceTicketDto } from './ticket-dto';

/** The route has applied the default category when the device named none. */
type CreateTicketBody = z.output<typeof createTicketRequestSchema> & { category: TicketCategory };

/** What a submission yields: the ticket, and whether it was a replay of an earlier submission. */
export interface CreatedTicket {
  ticket: CreateTicketResponse;
  replay: boolean;
}

/**
 * Files a device's ticket exactly once per idempotency key. Everything that needs no database
 * (snapshot validation and compression, attachment decoding, SLA due times) happens first; then the
 * ticket, its snapshot, the key, attachments and the 'created' event go in one transaction. When two
 * submissions with the same key race, the key's primary key lets one commit and the other roll back
 * and answer with the winner's ticket.
 */
export async function createTicket(
  ctx: ServerContext,
  device: DeviceIdentity,
  body: CreateTicketBody,
  key: string,
  requestHash: string,
): Promise<CreatedTicket> {
  // An agent whose collection failed may send null: the ticket goes in without a snapshot.
  const prepared =
    body.snapshot === undefined || body.snapshot === null ? null : await prepareSnapshot(ctx, body.snapshot);
  const files = decodeAttachments(body.attachments);
  const now = ctx.now();
  const priority = priorityFor(body.urgency, body.impact);
  const sla = await computeSla(ctx, priority, now);
  const findingCodes = reportedFindingCodes(prepared);

  const insert = () =>
    ctx.db.kysely.transaction().execute(async (trx) => {
      const stored = prepared ? await savePreparedSnapshot(ctx, device.id, prepared, trx) : null;
      const snapshotId = stored?.snapshotId ?? null;
      const inserted = await insertTicketQuery.execute(ctx.db, trx, {
        deviceId: device.id,
        requesterName: body.requester?.name ?? null,
        requesterEmail: body.requester?.email ?? null,
        subject: body.subject,
        description: body.description,
        category: body.category,
        urgency: body.urgency,
        impact: body.impact,
        priority,
        snapshotId,
        findingCodes: JSON.stringify(findingCodes),
        now,
        slaPolicyId: sla.policyId,
        firstResponseDueAt: sla.firstResponseDueAt,
        resolutionDueAt: sla.resolutionDueAt,
        slaState: sla.state,
      });
      const id = inserted.rows[0]?.id;
      if (id === undefined) throw new Error('INSERT INTO tickets returned no id');
      // Straight after the ticket: a losing racer fails here, before storing attachments.
      await insertKeyQuery.execute(ctx.db, trx, { deviceId: device.id, key, requestHash, ticketId: id, now });
      await insertAttachments(trx, id, null, files, now);
      await recordTicketEvents(trx, [
        {
          ticketId: id,
          type: 'created',
          actorType: 'device',
          actorId: device.id,
          data: { priority, snapshotId, findingCodes },
          at: now,
        },
      ]);
      return { id, snapshotId };
    });

  // Two rounds at most: a unique violation that is not our key (a concurrent twin snapshot) settles on retry.
  for (let attempt = 1; ; attempt++) {
    try {
      const { id, snapshotId } = await insert();
      ctx.metrics.ticketsCreated.inc();
      const ticket = toDeviceTicketDto({
        id,
        device_id: device.id,
        subject: body.subject,
        description: body.description,
        category: body.category,
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
      if (attempt >= 2) throw error;
    }
  }
}

/** The ticket an earlier submission with this key created, or null; 422 when the key came with another body. */
export async function replayOf(
  ctx: ServerContext,
  deviceId: string,
  key: string,
  requestHash: string,
): Promise<CreateTicketResponse | null> {
  const row = await selectDeviceTickets(ctx.db.kysely)
    .innerJoin('idempotency_keys', 'idempotency_keys.ticket_id', 'tickets.id')
    .select('idempotency_keys.request_hash')
    .where('idempotency_keys.device_id', '=', deviceId)
    .where('idempotency_keys.key', '=', key)
    .executeTakeFirst();
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
