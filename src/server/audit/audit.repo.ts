import { sql, type ExpressionBuilder, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { AuditLogTable, Database } from '../db/schema';

/* The audit_log table. */

export type AuditRow = Selectable<AuditLogTable>;

export interface AuditFilters {
  /** Only ids below this (keyset paging). */
  before?: number;
  /** Action prefix of [a-z0-9_.]. */
  actionPrefix?: string;
  actor?: { type: 'staff'; id: number } | { type: 'system' | 'cli' };
}

export async function insertAuditRow(db: Kysely<Database>, row: Insertable<AuditLogTable>): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

/** Newest first, at most `limit` rows matching the filters. */
export async function selectAuditRows(db: Kysely<Database>, filters: AuditFilters, limit: number): Promise<AuditRow[]> {
  const where = (eb: ExpressionBuilder<Database, 'audit_log'>) =>
    eb.and([
      ...(filters.before ? [eb('id', '<', filters.before)] : []),
      // The prefix is [a-z0-9_.] only, so only "_" needs escaping for LIKE.
      ...(filters.actionPrefix
        ? [sql<boolean>`action like ${`${filters.actionPrefix.replace(/_/g, '!_')}%`} escape '!'`]
        : []),
      ...(filters.actor === undefined
        ? []
        : filters.actor.type === 'staff'
          ? [eb('actor_type', '=', 'staff'), eb('actor_id', '=', String(filters.actor.id))]
          : [eb('actor_type', '=', filters.actor.type)]),
    ]);
  return db.selectFrom('audit_log').selectAll().where(where).orderBy('id', 'desc').limit(limit).execute();
}
