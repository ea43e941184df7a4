import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Network-monitoring rollups take less room on PostgreSQL (the bench's storage per device-day: 232 KB → see
 * README "Network monitoring"). Two changes, measured on the bench's synthetic 90 days of 200 devices:
 *
 * - Their index is by source and a coarser span of time, `(source_id, bucket / span)`: an hour for the
 *   5-minute tables, a day for the hourly ones. A device's rows of one span share a key, which the B-tree's
 *   deduplication stores once with their row pointers. The (source, bucket) keys before were one entry a row
 *   (a device's 5 targets shared it in the sample tables; the link tables had a unique one per row), in a tree
 *   kept about half empty because every pass appends to every source's range. Reads give the span as well as
 *   the bucket range (netmon.repo.ts `inSpans`). The link tables' unique key goes: the rollup job replaces
 *   whole buckets there too (delete, then insert, in one transaction), as migration 021 did for the samples.
 * - Counts that fit become smallint (samples, errors, round trips and jitters counted; link reports, signal
 *   counts and dBm, rate counts), and the sample tables' columns go in an order without alignment padding: 8
 *   bytes less a row. The rollup job caps such a count at 32,767 (an abusive agent cannot stop the job); sums
 *   and sent/received keep their types.
 *
 * SQLite keeps its WITHOUT ROWID tables keyed by (source, [target,] bucket): the key is where the row lives
 * there, no separate index, and its integers are stored in as few bytes as their values need.
 */
const SPANS = {
  netmon_samples_5m: 3_600_000,
  netmon_links_5m: 3_600_000,
  netmon_samples_1h: 86_400_000,
  netmon_links_1h: 86_400_000,
} as const;

/** The link tables keep their columns' order; these counts become smallint (72 bytes a row instead of 80). */
const LINK_COUNTS = ['reports', 'signal_n', 'signal_min', 'signal_max', 'rate_n'];

/**
 * The sample tables are rebuilt with their columns in an order without padding: the 8-byte ones, then the
 * 4-byte ones, then the smallint counts (88 bytes a row instead of 96). Rows are copied time-major, as written.
 */
async function rebuildSamples(db: Kysely<unknown>, table: 'netmon_samples_5m' | 'netmon_samples_1h') {
  const next = `${table}_next`;
  await db.schema
    .createTable(next)
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('rtt_sum_us', 'bigint', (c) => c.notNull())
    /** Sum of squared round trips in ms² (a double: µs² overflows). */
    .addColumn('rtt_sq_ms', 'double precision', (c) => c.notNull())
    .addColumn('jitter_sum_us', 'bigint', (c) => c.notNull())
    .addColumn('source_id', 'integer', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('sent', 'integer', (c) => c.notNull())
    .addColumn('received', 'integer', (c) => c.notNull())
    .addColumn('rtt_min_us', 'integer')
    .addColumn('rtt_max_us', 'integer')
    .addColumn('samples', 'smallint', (c) => c.notNull())
    .addColumn('errors', 'smallint', (c) => c.notNull())
    .addColumn('rtt_n', 'smallint', (c) => c.notNull())
    .addColumn('jitter_n', 'smallint', (c) => c.notNull())
    .execute();
  const cap = (c: string) => sql`least(32767, ${sql.id(c)})::smallint`;
  await sql`
    insert into ${sql.table(next)}
    select bucket, rtt_sum_us, rtt_sq_ms, jitter_sum_us, source_id, target_id, sent, received, rtt_min_us, rtt_max_us,
      ${cap('samples')}, ${cap('errors')}, ${cap('rtt_n')}, ${cap('jitter_n')}
    from ${sql.table(table)} order by bucket, source_id, target_id`.execute(db);
  await db.schema.dropTable(table).execute();
  await sql`alter table ${sql.table(next)} rename to ${sql.table(table)}`.execute(db);
  await sql`create index ${sql.id(`${table}_bucket`)} on ${sql.table(table)} using brin (bucket)`.execute(db);
}

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const [table, span] of Object.entries(SPANS) as [keyof typeof SPANS, number][]) {
    if (table === 'netmon_samples_5m' || table === 'netmon_samples_1h') await rebuildSamples(db, table);
    else {
      await sql`alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_pk`)}`.execute(db);
      const types = LINK_COUNTS.map(
        (c) =>
          sql`alter column ${sql.id(c)} type smallint using greatest(-32768, least(32767, ${sql.id(c)}))::smallint`,
      );
      await sql`alter table ${sql.table(table)} ${sql.join(types)}`.execute(db);
    }
    await sql`create index ${sql.id(`${table}_source_span`)} on ${sql.table(table)} (source_id, (bucket / ${sql.raw(String(span))}))`.execute(
      db,
    );
  }
}
