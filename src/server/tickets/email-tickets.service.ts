import type { Transaction } from 'kysely';
import { priorityFor } from '../../shared/priority';
import { DEFAULT_URGENCY } from '../../shared/ticket-fields';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { defaultTicketCategory } from '../settings/categories.service';
import { computeSla, loadSlaPolicies } from '../sla/sla.service';
import { insertAttachments, type DecodedAttachment } from './attachments.service';
import { writeMessage, type MessageAuthor } from './message-write.service';
import { recordTicketEvents } from './ticket-events.repo';
import { findTicketForReply } from './tickets.repo';

/*
 * Tickets and replies that arrive by email (issue 15), written inside the importer's transaction so the
 * mail's import row commits with what it made. The requester side of a ticket: a reply by mail counts as
 * the employee answering (it reopens a pending or resolved ticket, as the tray's reply does); the message
 * names its sender, and its device when the sender is known to have one. A technician answering the mail
 * Deskside sent them is a staff reply, as from the console.
 */

type Trx = Transaction<Database>;

export interface EmailSender {
  name: string;
  email: string;
  /** The sender's device, when an earlier ticket of theirs had one. */
  deviceId: string | null;
}

/** What the importer computes before its transaction (category and SLA need reads of their own). */
export interface EmailTicketPlan {
  category: string;
  sla: Awaited<ReturnType<typeof computeSla>>;
  priority: ReturnType<typeof priorityFor>;
  slaPolicies: Awaited<ReturnType<typeof loadSlaPolicies>>;
}

export async function planEmailWrite(ctx: ServerContext): Promise<EmailTicketPlan> {
  const priority = priorityFor(DEFAULT_URGENCY, 'low');
  const [category, sla, slaPolicies] = await Promise.all([
    defaultTicketCategory(ctx.db),
    computeSla(ctx, priority, ctx.now()),
    loadSlaPolicies(ctx.db),
  ]);
  return { category, sla, priority, slaPolicies };
}

/** A new ticket for the sender: default category, normal urgency, their words as the description. */
export async function insertEmailTicket(
  trx: Trx,
  plan: EmailTicketPlan,
  ticket: { sender: EmailSender; subject: string; description: string; files: DecodedAttachment[]; now: number },
): Promise<number> {
  const { now, sender } = ticket;
  const { id } = await trx
    .insertInto('tickets')
    .values({
      device_id: sender.deviceId,
      requester_name: sender.name,
      requester_email: sender.email,
      subject: ticket.subject,
      description: ticket.description,
      category: plan.category,
      urgency: DEFAULT_URGENCY,
      impact: 'low',
      priority: plan.priority,
      status: 'new',
      assignee_id: null,
      group_name: null,
      snapshot_id: null,
      finding_codes: '[]',
      created_at: now,
      updated_at: now,
      sla_policy_id: plan.sla.policyId,
      first_response_due_at: plan.sla.firstResponseDueAt,
      resolution_due_at: plan.sla.resolutionDueAt,
      sla_state: plan.sla.state,
      escalation_level: 0,
      last_message_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertAttachments(trx, id, null, ticket.files, now);
  await recordTicketEvents(trx, [
    {
      ticketId: id,
      type: 'created',
      actorType: 'device',
      actorId: sender.deviceId,
      data: { priority: plan.priority, snapshotId: null, findingCodes: [], source: 'email' },
      at: now,
    },
  ]);
  return id;
}

/**
 * The sender's reply as a message on the ticket (message-write.service.ts: an employee's reopens a pending or
 * resolved ticket; a technician's is a staff reply). Null when the ticket is gone or closed (the importer then
 * opens a new ticket). `slaTouched`: evaluate the SLA after commit.
 */
export async function insertEmailReply(
  trx: Trx,
  plan: EmailTicketPlan,
  reply: {
    ticketId: number;
    sender: EmailSender;
    /** The technician it comes from, when the importer established that (mail-import.service.ts). */
    staff: { id: number; name: string } | null;
    body: string;
    files: DecodedAttachment[];
    now: number;
    lock: boolean;
  },
): Promise<{ messageId: number; slaTouched: boolean } | null> {
  const { sender, staff } = reply;
  const ticket = await findTicketForReply(trx, reply.ticketId, reply.lock);
  if (!ticket || ticket.status === 'closed') return null;
  const author: MessageAuthor = staff
    ? { type: 'staff', id: String(staff.id), name: staff.name }
    : {
        type: 'device',
        id: sender.deviceId,
        name: sender.name === sender.email ? sender.email : `${sender.name} <${sender.email}>`,
      };
  const written = await writeMessage(trx, plan.slaPolicies, ticket, {
    author,
    body: reply.body,
    internal: false,
    files: reply.files,
    now: reply.now,
    source: 'email',
  });
  return { messageId: written.id, slaTouched: written.slaTouched };
}
