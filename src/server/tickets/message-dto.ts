import type { Kysely, Selectable, Transaction } from 'kysely';
import type { MessageDto } from '../../shared/api/tickets';
import type { Database, MessagesTable } from '../db/schema';
import { attachmentsOfMessages } from './attachments';
import { iso } from './ticket-dto';

type Executor = Kysely<Database> | Transaction<Database>;

/** The message columns a DTO needs. */
export const MESSAGE_COLUMNS = [
  'messages.id',
  'messages.ticket_id',
  'messages.author_type',
  'messages.author_name',
  'messages.body',
  'messages.internal',
  'messages.created_at',
] as const;

/** A message row as selected with MESSAGE_COLUMNS. */
export type MessageRow = Pick<
  Selectable<MessagesTable>,
  'id' | 'ticket_id' | 'author_type' | 'author_name' | 'body' | 'internal' | 'created_at'
>;

/** A message as the API shows it. */
export function toMessageDto(row: MessageRow, attachments: MessageDto['attachments'] = []): MessageDto {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    author: { type: row.author_type, name: row.author_name },
    body: row.body,
    internal: row.internal === 1,
    createdAt: iso(row.created_at),
    attachments,
  };
}

/** Messages as DTOs with their attachment metadata, in one extra query at most. */
export async function withAttachments(db: Executor, rows: readonly MessageRow[]): Promise<MessageDto[]> {
  const attachments = await attachmentsOfMessages(
    db,
    rows.map((r) => r.ticket_id),
    rows.map((r) => r.id),
  );
  return rows.map((row) => toMessageDto(row, attachments.get(row.id)));
}
