import type { Transaction, Updateable } from 'kysely';
import { priorityFor } from '../../shared/priority';
import { DEFAULT_URGENCY } from '../../shared/ticket-fields';
import type { ServerContext } from '../context';
import type { Database, TicketsTable } from '../db/schema';
import { defaultTicketCategory } from '../settings/categories.service';
import { slaColumnsForStatus } from '../sla/sla-status.service';
import { computeSla, loadSlaPolicies } from '../sla/sla.service';
import { insertAttachments, type DecodedAttachment } from './attachments.service';
import { insertMessage } from './messages.repo';
import { recordTicketEvents, type TicketEvent } from './ticket-events.repo';
import { findTicketForReply, updateTicketRow } from './tickets.repo';

/*
 * Tickets and replies that arrive by email (issue 15), written inside the importer's transaction so the
 * mail's import row commits with what it made. The requester side of a ticket: a reply by mail counts as
 * the employee answering (it reopens a pending or resolved ticket, as the tray's reply does); the message
 * names its sender, and its device when the sender is known to have one.
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
 * The sender's reply as a message on the ticket; a pending or resolved ticket opens again. Null when the
 * ticket is gone or closed (the importer then opens a new ticket). `slaTouched`: evaluate the SLA after commit.
 */
export async function insertEmailReply(
  trx: Trx,
  plan: EmailTicketPlan,
  reply: {
    ticketId: number;
    sender: EmailSender;
    body: string;
    files: DecodedAttachment[];
    now: number;
    lock: boolean;
  },
): Promise<{ messageId: number; slaTouched: boolean } | null> {
  const { ticketId, now, sender } = reply;
  const ticket = await findTicketForReply(trx, ticketId, reply.lock);
  if (!ticket || ticket.status === 'closed') return null;
  const messageId = await insertMessage(trx, {
    ticketId,
    authorType: 'device',
    authorId: sender.deviceId,
    authorName: sender.name === sender.email ? sender.email : `${sender.name} <${sender.email}>`,
    body: reply.body,
    internal: 0,
    at: now,
  });
  await insertAttachments(trx, ticketId, messageId, reply.files, now);
  const actor = { ticketId, actorType: 'device' as const, actorId: sender.deviceId, at: now };
  const events: TicketEvent[] = [
    { ...actor, type: 'message_posted', data: { messageId, internal: false, source: 'email' } },
  ];
  const set: Updateable<TicketsTable> = { updated_at: now, last_message_at: now };
  const reopen = ticket.status === 'pending' || ticket.status === 'resolved';
  if (reopen) {
    Object.assign(set, await slaColumnsForStatus(trx, plan.slaPolicies, ticketId, 'open', now));
    set.status = 'open';
    set.resolved_at = null;
    events.push({ ...actor, type: 'status_changed', data: { from: ticket.status, to: 'open' } });
  }
  await updateTicketRow(trx, ticketId, set);
  await recordTicketEvents(trx, events);
  return { messageId, slaTouched: reopen };
}
