import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, MessagesTable } from '../db/schema';

/* The messages table: a ticket's conversation, and the replies a device's long poll waits for. */

type Executor = Kysely<Database> | Transaction<Database>;

/** The message columns a DTO needs. */
const MESSAGE_COLUMNS = [
  'messages.id',
  'messages.ticket_id',
  'messages.author_type',
  'messages.author_name',
  'messages.body',
  'messages.internal',
  'messages.created_at',
  'messages.delivered_at',
  'messages.read_at',
] as const;

/** A message row as the DTO mapper takes it. */
export type MessageRow = Pick<
  Selectable<MessagesTable>,
  'id' | 'ticket_id' | 'author_type' | 'author_name' | 'body' | 'internal' | 'created_at' | 'delivered_at' | 'read_at'
>;

/** A ticket's messages after a cursor, oldest first, at most `limit`; without internal notes when `publicOnly`. */
export function listMessageRows(
  db: Executor,
  ticketId: number,
  after: number,
  publicOnly: boolean,
  limit: number,
): Promise<MessageRow[]> {
  return db
    .selectFrom('messages')
    .select(MESSAGE_COLUMNS)
    .where('messages.ticket_id', '=', ticketId)
    .where('messages.id', '>', after)
    .$if(publicOnly, (qb) => qb.where('messages.internal', '=', 0))
    .orderBy('messages.id')
    .limit(limit)
    .execute();
}

/** Staff and system messages a device may see, on any of its tickets, after a cursor, oldest first. */
export function listReplyRowsOfDevice(
  db: Executor,
  deviceId: string,
  after: number,
  limit: number,
): Promise<MessageRow[]> {
  return db
    .selectFrom('messages')
    .innerJoin('tickets', 'tickets.id', 'messages.ticket_id')
    .select(MESSAGE_COLUMNS)
    .where('tickets.device_id', '=', deviceId)
    .where('messages.id', '>', after)
    .where('messages.internal', '=', 0)
    .where('messages.author_type', '!=', 'device')
    .orderBy('messages.id')
    .limit(limit)
    .execute();
}

/**
 * Marks the device's staff replies (not internal notes) up to `upTo` delivered (the agent acknowledged them)
 * or read (the employee opened the ticket: read implies delivered), on one ticket or on all of the
 * device's; only the device's own tickets, only what is not marked yet. Returns the tickets touched.
 */
export async function markMessages(
  db: Executor,
  deviceId: string,
  mark: 'delivered' | 'read',
  upTo: number,
  at: number,
  ticketId?: number,
): Promise<number[]> {
  const rows = await db
    .updateTable('messages')
    .set((eb) =>
      mark === 'read'
        ? { read_at: at, delivered_at: eb.fn.coalesce('delivered_at', eb.val(at)) }
        : { delivered_at: at },
    )
    .where(mark === 'read' ? 'read_at' : 'delivered_at', 'is', null)
    .where('author_type', '=', 'staff')
    .where('internal', '=', 0)
    .where('id', '<=', upTo)
    .$if(ticketId !== undefined, (q) => q.where('ticket_id', '=', ticketId!))
    .where('ticket_id', 'in', (q) => q.selectFrom('tickets').select('id').where('device_id', '=', deviceId))
    .returning('ticket_id')
    .execute();
  return [...new Set(rows.map((r) => r.ticket_id))];
}

/** Adds a message; returns its id. */
export async function insertMessage(
  db: Executor,
  message: {
    ticketId: number;
    authorType: MessageRow['author_type'];
    authorId: string | null;
    authorName: string | null;
    body: string;
    internal: 0 | 1;
    at: number;
  },
): Promise<number> {
  const { id } = await db
    .insertInto('messages')
    .values({
      ticket_id: message.ticketId,
      author_type: message.authorType,
      author_id: message.authorId,
      author_name: message.authorName,
      body: message.body,
      internal: message.internal,
      created_at: message.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
