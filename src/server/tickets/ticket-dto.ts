import type { DeviceTicketDto, TicketDto } from '../../shared/api/tickets';
import { parseFindingCodes } from '../db/json-columns';
import { notFound } from '../errors';
import type { DeviceTicketRow, TicketRow } from './tickets.repo';

/*
 * Tickets as the API shows them: the staff view (every field, with the device's hostname and the
 * assignee's name) and the device view (no internal fields).
 */

/** 404 for a ticket that does not exist or is not the caller's: the same answer, so existence never leaks. */
export const ticketNotFound = () => notFound('Ticket', 'ticket_not_found');

/** Epoch milliseconds as ISO 8601; null stays null. */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** A tickets.repo selectTickets row as the staff API shows it (ticketSchema). */
export function toTicketDto(row: TicketRow): TicketDto {
  return {
    ...sharedTicketFields(row),
    impact: row.impact,
    requester: { name: row.requester_name, email: row.requester_email },
    // A ticket outlives a deleted device (device_id set null); a dangling id without a row shows as none.
    device:
      row.device_id !== null && row.device_hostname !== null
        ? { id: row.device_id, hostname: row.device_hostname }
        : null,
    assignee:
      row.assignee_id !== null && row.assignee_name !== null ? { id: row.assignee_id, name: row.assignee_name } : null,
    group: row.group_name,
    snapshotId: row.snapshot_id,
    findingCodes: parseFindingCodes(row.finding_codes),
    firstResponseAt: iso(row.first_response_at),
    closedAt: iso(row.closed_at),
    sla: {
      policyId: row.sla_policy_id,
      firstResponseDueAt: iso(row.first_response_due_at),
      resolutionDueAt: iso(row.resolution_due_at),
      state: row.sla_state,
    },
    escalationLevel: row.escalation_level,
    satisfactionComment: row.satisfaction_comment,
  };
}

/** A ticket as its device sees it: no internal fields. */
export function toDeviceTicketDto(row: DeviceTicketRow): DeviceTicketDto {
  return {
    ...sharedTicketFields(row),
    assigneeName: row.assignee_name,
    lastStaffMessageId: row.last_staff_message_id,
  };
}

/** The fields both views show, mapped the same way for staff and device. */
function sharedTicketFields(row: Omit<DeviceTicketRow, 'last_staff_message_id' | 'assignee_name'>) {
  return {
    id: row.id,
    subject: row.subject,
    description: row.description,
    category: row.category,
    urgency: row.urgency,
    priority: row.priority,
    status: row.status,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    resolvedAt: iso(row.resolved_at),
    lastMessageAt: iso(row.last_message_at),
    satisfaction: row.satisfaction,
  };
}
