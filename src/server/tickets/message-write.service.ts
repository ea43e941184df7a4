import type { Transaction, Updateable } from 'kysely';
import type { Database, TicketsTable } from '../db/schema';
import { slaColumnsForStatus } from '../sla/sla-status.service';
import type { loadSlaPolicies } from '../sla/sla.service';
import { insertAttachments, type DecodedAttachment } from './attachments.service';
import { insertMessage } from './messages.repo';
import { recordTicketEvents, type TicketEvent } from './ticket-events.repo';
import { updateTicketRow, type findTicketForReply } from './tickets.repo';

/*
 * What a message means for its ticket, in the caller's transaction, whoever wrote it and however it came (the
 * console, the tray, or mail): the employee answering a pending or resolved ticket reopens it; a staff reply
 * is the first response and opens a new ticket. Internal notes leave the ticket row alone, so nothing the
 * employee can see changes.
 */

export interface MessageAuthor {
  type: 'device' | 'staff';
  /** The device id (null: an employee known only by email), or the staff member's id. */
  id: string | null;
  name: string;
}

export interface WrittenMessage {
  id: number;
  attachments: Awaited<ReturnType<typeof insertAttachments>>;
  /** A first response or a status change: evaluate the ticket's SLA after the commit. */
  slaTouched: boolean;
}

export async function writeMessage(
  trx: Transaction<Database>,
  policies: Awaited<ReturnType<typeof loadSlaPolicies>>,
  ticket: NonNullable<Awaited<ReturnType<typeof findTicketForReply>>>,
  message: {
    author: MessageAuthor;
    body: string;
    internal: boolean;
    files: DecodedAttachment[];
    now: number;
    /** Where it came from, when not the console or the tray (recorded on the event). */
    source?: 'email';
  },
): Promise<WrittenMessage> {
  const { author, now } = message;
  const ticketId = ticket.id;
  const id = await insertMessage(trx, {
    ticketId,
    authorType: author.type,
    authorId: author.id,
    authorName: author.name,
    body: message.body,
    internal: message.internal ? 1 : 0,
    at: now,
  });
  const attachments = await insertAttachments(trx, ticketId, id, message.files, now);

  const actor = { ticketId, actorType: author.type, actorId: author.id, at: now };
  const events: TicketEvent[] = [
    {
      ...actor,
      type: 'message_posted',
      data: { messageId: id, internal: message.internal, ...(message.source ? { source: message.source } : {}) },
    },
  ];
  let slaTouched = false;
  if (!message.internal) {
    const set: Updateable<TicketsTable> = { updated_at: now, last_message_at: now };
    let status = ticket.status;
    if (author.type === 'device' && (status === 'pending' || status === 'resolved')) {
      status = 'open';
      set.resolved_at = null;
    }
    if (author.type === 'staff') {
      if (status === 'new') status = 'open';
      set.last_staff_message_id = id;
      if (ticket.first_response_at === null) {
        set.first_response_at = now;
        events.push({ ...actor, type: 'first_response', data: { messageId: id } });
      }
    }
    if (status !== ticket.status) {
      // Read the SLA columns before the status is written: leaving pending resumes the resolution clock.
      Object.assign(set, await slaColumnsForStatus(trx, policies, ticketId, status, now));
      set.status = status;
      events.push({ ...actor, type: 'status_changed', data: { from: ticket.status, to: status } });
    }
    slaTouched = status !== ticket.status || set.first_response_at !== undefined;
    await updateTicketRow(trx, ticketId, set);
  }
  await recordTicketEvents(trx, events);
  return { id, attachments, slaTouched };
}
