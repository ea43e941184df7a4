import type { TicketDto } from '../../shared/api/tickets';
import { onlineSince } from '../../shared/presence';
import type { Db } from '../db/database';
import { encodeCursor, NO_DUE, queueRows, type QueueQuery } from './queue.repo';
import { toTicketDto } from './ticket-dto';

/** One page of the queue, the cursor of the next page (null on the last) and the size of the filtered set. */
export async function queuePage(
  db: Db,
  query: QueueQuery,
  staffId: number,
  now: number = Date.now(),
): Promise<{ tickets: TicketDto[]; nextCursor: string | null; total: number }> {
  const { rows, total } = await queueRows(db, query, staffId, onlineSince(now));
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last ? encodeCursor([last.resolution_due_at ?? NO_DUE, last.priority, last.id]) : null;
  return { tickets: page.map(toTicketDto), nextCursor, total };
}
