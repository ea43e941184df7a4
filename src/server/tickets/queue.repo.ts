import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import { ticketStatusSchema, type TicketStatus } from '../../shared/api/tickets';
import { type queueQuerySchema } from '../../shared/api/queue';
import { prioritySchema, type Priority } from '../../shared/priority';
import type { Db } from '../db/database';
import { onlineWhere } from '../devices/devices.repo';
import { badRequest } from '../errors';
import { selectTickets } from './tickets.repo';

/*
 * The staff queue: filtered, sorted by resolution due time (tickets without an SLA last), then
 * priority, then id, and paged by keyset so a page costs the same wherever it is and concurrent
 * changes never make a row appear twice on consecutive pages.
 */

export type QueueQuery = z.output<typeof queueQuerySchema>;

/** Stands in for "no due time" so that NULLs sort last on SQLite too. */
export const NO_DUE = Number.MAX_SAFE_INTEGER;

/** The first sort key, spelled exactly as in the 002-queue indexes so the planners use them. */
const dueKey = sql<number>`coalesce(tickets.resolution_due_at, ${sql.lit(NO_DUE)})`;

/** The statuses the queue shows unless asked for others. */
export const DEFAULT_QUEUE_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending'];

export type SortKey = [due: number, priority: Priority, id: number];

const cursorKeySchema = z.tuple([
  z.number().int().min(0).max(NO_DUE),
  prioritySchema,
  z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
]);

/** An opaque continuation token: the last row's sort key, as base64url JSON. */
export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The sort key inside a cursor; 400 'invalid_cursor' for anything this server did not make. */
export function decodeCursor(cursor: string): SortKey {
  const invalid = () =>
    badRequest('invalid_cursor', 'The cursor is not one this server returned; start again without it');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const key = cursorKeySchema.safeParse(parsed);
  if (!key.success) throw invalid();
  return key.data;
}

/** `%text%` for LIKE, with the pattern characters of the text taken literally. */
const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const statusIn = (statuses: readonly TicketStatus[]) =>
  sql`tickets.status in (${sql.join(statuses.map((s) => sql.lit(s)))})`;

/**
 * The WHERE clause of a queue query (without the cursor). `forPage`, on SQLite, with statuses among
 * the default ones: the default status term is added wrapped in likely(). SQLite's planner would
 * otherwise look up every matching ticket by status and sort them all; told the term is not
 * selective, it walks the partial index tickets_open_by_due in order and stops after one page
 * (0.1 ms instead of 30 ms at 15 000 open tickets). The count keeps the plain terms, which SQLite
 * answers fastest from the status indexes. PostgreSQL's planner needs no hint.
 */
function queueFilter(
  db: Db,
  query: QueueQuery,
  staffId: number,
  forPage: boolean,
  onlineSince: number,
): RawBuilder<SqlBool> {
  // Literal and in schema order: a partial index is used only when the query repeats its predicate.
  const statuses = ticketStatusSchema.options.filter((s) => (query.status ?? DEFAULT_QUEUE_STATUSES).includes(s));
  const parts: Array<RawBuilder<unknown>> = [];
  const hint = forPage && db.dialect === 'sqlite' && statuses.every((s) => DEFAULT_QUEUE_STATUSES.includes(s));
  if (hint) parts.push(sql`likely(${statusIn(DEFAULT_QUEUE_STATUSES)})`);
  if (!hint || statuses.length < DEFAULT_QUEUE_STATUSES.length) parts.push(statusIn(statuses));
  if (query.priority?.length) parts.push(sql`tickets.priority in (${sql.join([...new Set(query.priority)])})`);
  if (query.group !== undefined) parts.push(sql`tickets.group_name = ${query.group}`);
  if (query.assignee === 'none') parts.push(sql`tickets.assignee_id is null`);
  else if (query.assignee !== undefined)
    parts.push(sql`tickets.assignee_id = ${query.assignee === 'me' ? staffId : query.assignee}`);
  if (query.sla !== undefined) parts.push(sql`tickets.sla_state = ${query.sla}`);
  if (query.device !== undefined) parts.push(sql`tickets.device_id = ${query.device}`);
  if (query.online !== undefined)
    parts.push(
      sql`tickets.device_id in (select id from devices where ${onlineWhere(onlineSince, query.online === 'true')})`,
    );
  if (query.q !== undefined) {
    // SQLite's LIKE ignores ASCII case already; PostgreSQL needs ILIKE.
    const like = sql.raw(db.dialect === 'postgres' ? 'ilike' : 'like');
    const pattern = containsPattern(query.q);
    const columns = ['tickets.subject', 'tickets.description', 'tickets.requester_name', 'tickets.requester_email'];
    parts.push(
      sql`(${sql.join(
        columns.map((c) => sql`${sql.ref(c)} ${like} ${pattern} escape '\\'`),
        sql` or `,
      )})`,
    );
  }
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

/** The page query (one row more than the limit, to know whether another page follows) and the count query. */
/** `onlineSince`: devices seen since then are online (the `online` filter). */
export function queueQueries(db: Db, query: QueueQuery, staffId: number, onlineSince = 0) {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
  const page = selectTickets(db)
    .where(queueFilter(db, query, staffId, true, onlineSince))
    .$if(after !== null, (qb) =>
      qb.where(sql<SqlBool>`(${dueKey}, tickets.priority, tickets.id) > (${after?.[0]}, ${after?.[1]}, ${after?.[2]})`),
    )
    .orderBy(dueKey)
    .orderBy('tickets.priority')
    .orderBy('tickets.id')
    .limit(query.limit + 1);
  // Same filter without joins or sorting: on the default view it counts index entries only.
  const count = db.kysely
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(queueFilter(db, query, staffId, false, onlineSince));
  return { page, count };
}

/** The rows of a queue page (one more than the limit when another page follows) and the size of the filtered set. */
export async function queueRows(db: Db, query: QueueQuery, staffId: number, onlineSince = 0) {
  const queries = queueQueries(db, query, staffId, onlineSince);
  const rows = await queries.page.execute();
  const { n } = await queries.count.executeTakeFirstOrThrow();
  return { rows, total: Number(n) };
}
