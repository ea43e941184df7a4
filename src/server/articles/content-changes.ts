import type { FastifyRequest } from 'fastify';
import { sql, type Transaction } from 'kysely';
import type { AuditEntry } from '../audit/audit.service';
import { audit } from '../audit/audit.service';
import { staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';

/** What a content_changes row points at. */
export type ContentEntity = 'article' | 'announcement';
/** A transaction over the Deskside database. */
export type Trx = Transaction<Database>;

/** Arbitrary but fixed key of the PostgreSQL advisory lock that serializes content_changes writers. */
export const CONTENT_CHANGES_LOCK = 0x64736b01;

/**
 * Runs a content write in one transaction: the row change, its content_changes entry and its audit
 * entry commit together or not at all.
 *
 * On PostgreSQL, `bigserial` ids are handed out when a row is inserted but become visible only when
 * its transaction commits, so two concurrent writers can commit ids 8 then 7. An agent syncing in
 * between would see 8, take it as its cursor, and never ask for 7 again: a lost update. The
 * transaction-scoped advisory lock, taken before anything else, makes writers take turns from id
 * assignment to commit, so change ids become visible in order. SQLite has a single writer already.
 */
export async function inContentTransaction<T>(
  ctx: Pick<ServerContext, 'db'>,
  work: (trx: Trx) => Promise<T>,
): Promise<T> {
  return ctx.db.kysely.transaction().execute(async (trx) => {
    if (ctx.db.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${CONTENT_CHANGES_LOCK})`.execute(trx);
    return work(trx);
  });
}

/** Appends one entry to the sync log; call inside inContentTransaction. */
export async function recordChange(
  trx: Trx,
  entity: ContentEntity,
  entityId: number,
  op: 'upsert' | 'delete',
  at: number,
): Promise<void> {
  await trx.insertInto('content_changes').values({ entity, entity_id: entityId, op, at }).execute();
}

/** Writes an audit entry inside the content transaction, so no write goes unaudited. */
export async function auditIn(trx: Trx, ctx: Pick<ServerContext, 'db' | 'now'>, entry: AuditEntry): Promise<void> {
  await audit({ db: { ...ctx.db, kysely: trx }, now: ctx.now }, entry);
}

/** The staff member and address behind a write, for the audit log. */
export interface Actor {
  staffId: number;
  ip: string | null;
}

/** The actor of a request that passed requireStaff. */
export function actorOf(request: FastifyRequest): Actor {
  return { staffId: staffOf(request).id, ip: request.ip };
}
