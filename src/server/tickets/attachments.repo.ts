import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

/* The attachments table: files filed with a ticket or one of its messages. */

type Executor = Kysely<Database> | Transaction<Database>;

/** An attachment as listed (never the bytes). */
export interface AttachmentMetaRow {
  id: number;
  message_id: number | null;
  kind: 'screenshot' | 'file';
  filename: string;
  content_type: string;
  size: number;
}

/** A file to store. */
export interface AttachmentValues {
  kind: 'screenshot' | 'file';
  filename: string;
  contentType: string;
  data: Buffer;
}

/** Stores files of a ticket (messageId null) or of one of its messages; returns their ids in the files' order. */
export async function insertAttachmentRows(
  db: Executor,
  ticketId: number,
  messageId: number | null,
  files: readonly AttachmentValues[],
  now: number,
): Promise<number[]> {
  if (files.length === 0) return [];
  const rows = await attachmentRowsInsert(db, ticketId, messageId, files, now).execute();
  // Ids are handed out in row order; RETURNING's own order is not promised, so sort before pairing.
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** The INSERT of files (at least one) of a ticket or message, returning their ids. */
export function attachmentRowsInsert(
  db: Executor,
  ticketId: number,
  messageId: number | null,
  files: readonly AttachmentValues[],
  now: number,
) {
  return db
    .insertInto('attachments')
    .values(
      files.map((f) => ({
        ticket_id: ticketId,
        message_id: messageId,
        kind: f.kind,
        filename: f.filename,
        content_type: f.contentType,
        size: f.data.length,
        data: f.data,
        created_at: now,
      })),
    )
    .returning('id');
}

/** Attachment metadata of the given messages of the given tickets, by id. */
export function listAttachmentsOfMessages(
  db: Executor,
  ticketIds: readonly number[],
  messageIds: readonly number[],
): Promise<AttachmentMetaRow[]> {
  return (
    db
      .selectFrom('attachments')
      .select(['id', 'message_id', 'kind', 'filename', 'content_type', 'size'])
      // The ticket filter lets the ticket index do the work; message_id has none of its own.
      .where('ticket_id', 'in', [...new Set(ticketIds)])
      .where('message_id', 'in', messageIds)
      .orderBy('id')
      .execute()
  );
}

/** Attachment metadata filed with the ticket itself (no message), by id. */
export function listAttachmentsOfTicket(
  db: Executor,
  ticketId: number,
): Promise<Omit<AttachmentMetaRow, 'message_id'>[]> {
  return db
    .selectFrom('attachments')
    .select(['id', 'kind', 'filename', 'content_type', 'size'])
    .where('ticket_id', '=', ticketId)
    .where('message_id', 'is', null)
    .orderBy('id')
    .execute();
}

/** An attachment's bytes with what decides who may see it: its ticket's device and whether its message is internal. */
export function findAttachmentFile(db: Executor, id: number) {
  return db
    .selectFrom('attachments')
    .innerJoin('tickets', 'tickets.id', 'attachments.ticket_id')
    .leftJoin('messages', 'messages.id', 'attachments.message_id')
    .select([
      'attachments.filename',
      'attachments.content_type',
      'attachments.data',
      'tickets.device_id',
      'messages.internal',
    ])
    .where('attachments.id', '=', id)
    .executeTakeFirst();
}
