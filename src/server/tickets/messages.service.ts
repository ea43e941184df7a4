import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { attachmentSchema, MessageDto, postMessageRequestSchema } from '../../shared/api/tickets';
import type { Auth } from '../auth/guards';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { conflict, forbidden } from '../errors';
import { evaluateTicketSla } from '../sla/sla-evaluate.service';
import { loadSlaPolicies } from '../sla/sla.service';
import { listAttachmentsOfTicket } from './attachments.repo';
import { attachmentsOfMessages, decodeAttachments } from './attachments.service';
import { toMessageDto } from './message-dto';
import { writeMessage, type MessageAuthor } from './message-write.service';
import { listMessageRows, type MessageRow } from './messages.repo';
import { ticketNotFound } from './ticket-dto';
import { findTicketForReply, findTicketOwner } from './tickets.repo';

type PostMessageBody = z.output<typeof postMessageRequestSchema>;
type AttachmentDto = z.infer<typeof attachmentSchema>;

/** Most messages one page returns; the cursor fetches the rest. */
export const MESSAGE_PAGE = 200;

/** Messages as DTOs with their attachment metadata, in one extra query at most. */
export async function withAttachments(
  db: Kysely<Database> | Transaction<Database>,
  rows: readonly MessageRow[],
): Promise<MessageDto[]> {
  const attachments = await attachmentsOfMessages(
    db,
    rows.map((r) => r.ticket_id),
    rows.map((r) => r.id),
  );
  return rows.map((row) => toMessageDto(row, attachments.get(row.id)));
}

/** A ticket's messages after a cursor, oldest first; a device never sees internal notes nor other devices' tickets. */
export async function listMessages(
  ctx: ServerContext,
  auth: Auth,
  ticketId: number,
  after: number,
): Promise<{ messages: MessageDto[]; cursor: number }> {
  const db = ctx.db.kysely;
  const ticket = await findTicketOwner(db, ticketId);
  if (!ticket || (auth.kind === 'device' && ticket.device_id !== auth.device.id)) throw ticketNotFound();
  const rows = await listMessageRows(db, ticketId, after, auth.kind === 'device', MESSAGE_PAGE);
  return { messages: await withAttachments(db, rows), cursor: rows.at(-1)?.id ?? after };
}

/** Attachments filed with the ticket itself (the screenshot the agent sends with it), not with a message. */
export async function listTicketAttachments(
  ctx: ServerContext,
  auth: Auth,
  ticketId: number,
): Promise<{ attachments: AttachmentDto[] }> {
  const db = ctx.db.kysely;
  const ticket = await findTicketOwner(db, ticketId);
  if (!ticket || (auth.kind === 'device' && ticket.device_id !== auth.device.id)) throw ticketNotFound();
  const rows = await listAttachmentsOfTicket(db, ticketId);
  return {
    attachments: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      filename: r.filename,
      contentType: r.content_type,
      size: r.size,
    })),
  };
}

/** Adds a message to a ticket and applies what it means for the ticket (message-write.service.ts). */
export async function postMessage(
  ctx: ServerContext,
  auth: Auth,
  ticketId: number,
  body: PostMessageBody,
): Promise<MessageDto> {
  if (auth.kind === 'device' && body.internal)
    throw forbidden('Devices cannot post internal notes', 'internal_not_allowed');
  const files = decodeAttachments(body.attachments);
  const now = ctx.now();
  let slaTouched = false;
  // Loaded before the transaction: see slaColumnsForStatus.
  const policies = await loadSlaPolicies(ctx.db);
  const message = await ctx.db.kysely.transaction().execute(async (trx) => {
    // Two replies at once must not both think they are the first response: locked on PostgreSQL.
    const ticket = await findTicketForReply(trx, ticketId, ctx.db.dialect === 'postgres');
    if (!ticket || (auth.kind === 'device' && ticket.device_id !== auth.device.id)) throw ticketNotFound();
    if (ticket.status === 'closed')
      throw conflict('ticket_closed', 'This ticket is closed; reopen it or file a new ticket');

    const author: MessageAuthor =
      auth.kind === 'device'
        ? { type: 'device', id: auth.device.id, name: ticket.requester_name ?? auth.device.hostname }
        : { type: 'staff', id: String(auth.user.id), name: auth.user.name };
    const internal = body.internal ? 1 : 0;
    const written = await writeMessage(trx, policies, ticket, {
      author,
      body: body.body,
      internal: body.internal,
      files,
      now,
    });
    slaTouched = written.slaTouched;
    const { id, attachments } = written;
    return toMessageDto(
      {
        id,
        ticket_id: ticketId,
        author_type: author.type,
        author_name: author.name,
        body: body.body,
        internal,
        created_at: now,
        delivered_at: null,
        read_at: null,
      },
      attachments,
    );
  });
  // A first response or a status change can settle or restart an SLA target at once, not at the next job pass.
  if (slaTouched) await evaluateTicketSla(ctx, ticketId);
  ctx.metrics.messagesPosted.inc({ author: auth.kind });
  ctx.bus.notify(ticketId);
  return message;
}
