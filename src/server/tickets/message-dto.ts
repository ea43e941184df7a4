import type { MessageDto } from '../../shared/api/tickets';
import type { MessageRow } from './messages.repo';
import { iso } from './ticket-dto';

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
    deliveredAt: row.delivered_at === null ? null : iso(row.delivered_at),
    readAt: row.read_at === null ? null : iso(row.read_at),
  };
}
