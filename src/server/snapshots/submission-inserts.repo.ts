import type { Insertable } from 'kysely';
import type { TicketsTable } from '../db/schema';
import { precompile } from './precompiled-query';

/*
 * The two inserts of every ticket submission besides its snapshot, compiled once per database
 * (see precompiled-query.ts). A new ticket starts unassigned, status new, escalation level 0.
 */

type T = Insertable<TicketsTable>;

/** A device's new ticket, returning its id. */
export const insertTicketQuery = precompile<
  {
    deviceId: T['device_id'];
    requesterName: T['requester_name'];
    requesterEmail: T['requester_email'];
    subject: T['subject'];
    description: T['description'];
    category: T['category'];
    urgency: T['urgency'];
    impact: T['impact'];
    priority: T['priority'];
    snapshotId: T['snapshot_id'];
    findingCodes: T['finding_codes'];
    now: number;
    slaPolicyId: T['sla_policy_id'];
    firstResponseDueAt: T['first_response_due_at'];
    resolutionDueAt: T['resolution_due_at'];
    slaState: T['sla_state'];
  },
  { id: number }
>(
  [
    'deviceId',
    'requesterName',
    'requesterEmail',
    'subject',
    'description',
    'category',
    'urgency',
    'impact',
    'priority',
    'snapshotId',
    'findingCodes',
    'now',
    'slaPolicyId',
    'firstResponseDueAt',
    'resolutionDueAt',
    'slaState',
  ],
  (db, v) =>
    db
      .insertInto('tickets')
      .values({
        device_id: v.deviceId,
        requester_name: v.requesterName,
        requester_email: v.requesterEmail,
        subject: v.subject,
        description: v.description,
        category: v.category,
        urgency: v.urgency,
        impact: v.impact,
        priority: v.priority,
        status: 'new',
        assignee_id: null,
        group_name: null,
        snapshot_id: v.snapshotId,
        finding_codes: v.findingCodes,
        created_at: v.now,
        updated_at: v.now,
        sla_policy_id: v.slaPolicyId,
        first_response_due_at: v.firstResponseDueAt,
        resolution_due_at: v.resolutionDueAt,
        sla_state: v.slaState,
        escalation_level: 0,
        last_message_at: v.now,
      })
      .returning('id'),
);

/** The submission's Idempotency-Key; its primary key is what makes a racing twin roll back. */
export const insertKeyQuery = precompile<
  { deviceId: string; key: string; requestHash: string; ticketId: number; now: number },
  never
>(['deviceId', 'key', 'requestHash', 'ticketId', 'now'], (db, v) =>
  db.insertInto('idempotency_keys').values({
    device_id: v.deviceId,
    key: v.key,
    request_hash: v.requestHash,
    ticket_id: v.ticketId,
    created_at: v.now,
  }),
);
