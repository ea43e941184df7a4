import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Network-monitoring rollups (migration 016) take less room on PostgreSQL. Their primary key (source, target,
 * bucket) cost 57 B a row: a 28 B entry in a B-tree kept about half empty, because each pass appends a bucket
 * to every (source, target) range and so splits leaf pages in the middle. It was only there for the rollup
 * job's upsert; the chart and stats reads go by source and time. It becomes a non-unique index on (source,
 * bucket): a device's targets share each key, which PostgreSQL's B-tree deduplication stores once with their
 * row pointers, a few bytes a row. The job replaces whole buckets instead (delete, then insert, in one
 * transaction, in the one instance holding its job lock; netmon.repo.ts).
 *
 * Existing rows stay as they are (only the index changes). SQLite keeps its WITHOUT ROWID tables: there the
 * key is where the row lives, no separate index, so there is nothing to save.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const table of ['netmon_samples_5m', 'netmon_samples_1h'] as const) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_pk`)}`.execute(db);
    await db.schema.createIndex(`${table}_source_bucket`).on(table).columns(['source_id', 'bucket']).execute();
  }
}
