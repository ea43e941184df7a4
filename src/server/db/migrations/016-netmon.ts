import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Network monitoring (issue 14). Built to be frugal at 10,000 agents × 5 targets a minute:
 *
 * - Series rows are narrow: a small integer source (a device, or the server's own checks) and target
 *   (dictionaries `netmon_sources`, `netmon_targets`), epoch-ms times, round trips in integer µs, and a
 *   composite primary key that is also the only index the chart queries need (source, target, time). On
 *   SQLite they are WITHOUT ROWID tables (the key is the row's place); on PostgreSQL the raw tables get a
 *   BRIN index on the time, tiny and enough for retention deletes and the "last 15 minutes" scans.
 * - Raw samples (`netmon_samples`, 7 days), 5-minute and hourly rollups (`netmon_samples_5m` 90 days,
 *   `netmon_samples_1h` 2 years) with count, sent, received, round-trip sum / sum of squares / min / max and
 *   jitter sum, so averages, loss and standard deviation combine exactly across buckets.
 * - The device's link: narrow raw points (`netmon_links`: Wi-Fi signal, rate, interface errors, VPN) with
 *   their own rollups, and its latest report in full (`netmon_device_links`, one row per device) with the
 *   site derived from it.
 * - `netmon_dirty`: buckets that got samples after they were rolled up (an agent back from offline), which
 *   the job rolls up again. `netmon_state`: the job's watermarks and the fleet grid it computed last.
 * - `netmon_settings`: IT's probe plan, sites and retention (JSON, by key). `netmon_checks`: the services the
 *   server checks itself, and their last result.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const pgsql = dialect === 'postgres';
  const big = pgsql ? 'bigint' : 'integer';
  const small = pgsql ? 'smallint' : 'integer';
  const real = pgsql ? 'double precision' : 'real';
  // Rows arrive in time order: on PostgreSQL a BRIN index (a few pages) serves retention deletes and recent scans.
  const timeIndex = async (table: string, column: string) =>
    pgsql
      ? sql`create index ${sql.id(`${table}_${column}`)} on ${sql.table(table)} using brin (${sql.ref(column)})`.execute(
          db,
        )
      : db.schema.createIndex(`${table}_${column}`).on(table).column(column).execute();

  await db.schema
    .createTable('netmon_sources')
    .addColumn('id', pgsql ? 'serial' : 'integer', (c) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addUniqueConstraint('netmon_sources_key', ['kind', 'key'])
    .execute();
  await db.schema
    .createTable('netmon_targets')
    .addColumn('id', pgsql ? 'serial' : 'integer', (c) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .execute();

  let samples = db.schema
    .createTable('netmon_samples')
    .addColumn('source_id', 'integer', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('at', big, (c) => c.notNull())
    .addColumn('sent', small, (c) => c.notNull())
    .addColumn('received', small, (c) => c.notNull())
    .addColumn('rtt_us', 'integer')
    .addColumn('min_us', 'integer')
    .addColumn('max_us', 'integer')
    .addColumn('jitter_us', 'integer')
    .addColumn('error', 'text')
    /** JSON: HTTP timings, only on HTTP checks. */
    .addColumn('http', 'text')
    .addPrimaryKeyConstraint('netmon_samples_pk', ['source_id', 'target_id', 'at']);
  if (!pgsql) samples = samples.modifyEnd(sql`without rowid`);
  await samples.execute();

  for (const table of ['netmon_samples_5m', 'netmon_samples_1h'] as const) {
    let rollup = db.schema
      .createTable(table)
      .addColumn('source_id', 'integer', (c) => c.notNull())
      .addColumn('target_id', 'integer', (c) => c.notNull())
      .addColumn('bucket', big, (c) => c.notNull())
      // The 8-byte columns together after the key, then the 4-byte ones: no alignment padding on PostgreSQL
      // (8 bytes a row; these are the most numerous rows kept).
      .addColumn('rtt_sum_us', big, (c) => c.notNull())
      /** Sum of squared round trips in ms² (a double: µs² overflows). */
      .addColumn('rtt_sq_ms', real, (c) => c.notNull())
      .addColumn('jitter_sum_us', big, (c) => c.notNull())
      .addColumn('samples', 'integer', (c) => c.notNull())
      .addColumn('sent', 'integer', (c) => c.notNull())
      .addColumn('received', 'integer', (c) => c.notNull())
      .addColumn('errors', 'integer', (c) => c.notNull())
      .addColumn('rtt_n', 'integer', (c) => c.notNull())
      .addColumn('jitter_n', 'integer', (c) => c.notNull())
      .addColumn('rtt_min_us', 'integer')
      .addColumn('rtt_max_us', 'integer')
      .addPrimaryKeyConstraint(`${table}_pk`, ['source_id', 'target_id', 'bucket']);
    if (!pgsql) rollup = rollup.modifyEnd(sql`without rowid`);
    await rollup.execute();
    await timeIndex(table, 'bucket');
  }

  let links = db.schema
    .createTable('netmon_links')
    .addColumn('source_id', 'integer', (c) => c.notNull())
    .addColumn('at', big, (c) => c.notNull())
    .addColumn('signal_dbm', small)
    .addColumn('rate_mbps', 'integer')
    .addColumn('rx_errors', 'integer')
    .addColumn('tx_errors', 'integer')
    .addColumn('vpn_up', small)
    .addPrimaryKeyConstraint('netmon_links_pk', ['source_id', 'at']);
  if (!pgsql) links = links.modifyEnd(sql`without rowid`);
  await links.execute();

  for (const table of ['netmon_links_5m', 'netmon_links_1h'] as const) {
    let rollup = db.schema
      .createTable(table)
      .addColumn('source_id', 'integer', (c) => c.notNull())
      .addColumn('bucket', big, (c) => c.notNull())
      .addColumn('reports', 'integer', (c) => c.notNull())
      .addColumn('signal_n', 'integer', (c) => c.notNull())
      .addColumn('signal_sum', 'integer', (c) => c.notNull())
      .addColumn('signal_min', 'integer')
      .addColumn('signal_max', 'integer')
      .addColumn('rate_n', 'integer', (c) => c.notNull())
      .addColumn('rate_sum', big, (c) => c.notNull())
      .addColumn('errors', big, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['source_id', 'bucket']);
    if (!pgsql) rollup = rollup.modifyEnd(sql`without rowid`);
    await rollup.execute();
    await timeIndex(table, 'bucket');
  }

  await timeIndex('netmon_samples', 'at');
  await timeIndex('netmon_links', 'at');

  await db.schema
    .createTable('netmon_bandwidth')
    .addColumn('source_id', 'integer', (c) => c.notNull())
    .addColumn('at', big, (c) => c.notNull())
    .addColumn('down_kbps', 'integer')
    .addColumn('up_kbps', 'integer')
    .addColumn('bytes', big, (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('netmon_bandwidth_pk', ['source_id', 'at'])
    .execute();

  await db.schema
    .createTable('netmon_device_links')
    .addColumn('device_id', 'text', (c) => c.primaryKey().references('devices.id').onDelete('cascade'))
    .addColumn('source_id', 'integer', (c) => c.notNull())
    .addColumn('at', big, (c) => c.notNull())
    /** JSON: the latest link report (src/shared/netmon/netmon.ts netLinkSchema). */
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('subnet', 'text')
    .addColumn('ssid', 'text')
    /** `site:<slug>`, `subnet:<cidr>` or `ssid:<name>` (null: nothing to go by). */
    .addColumn('site', 'text')
    .execute();
  await db.schema.createIndex('netmon_device_links_site').on('netmon_device_links').column('site').execute();
  await db.schema
    .createIndex('netmon_device_links_source')
    .on('netmon_device_links')
    .column('source_id')
    .unique()
    .execute();

  await db.schema
    .createTable('netmon_dirty')
    .addColumn('res', small, (c) => c.notNull())
    .addColumn('source_id', 'integer', (c) => c.notNull())
    .addColumn('bucket', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('netmon_dirty_pk', ['res', 'source_id', 'bucket'])
    .execute();

  await db.schema
    .createTable('netmon_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('netmon_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('staff_users.id').onDelete('set null'))
    .execute();

  await db.schema
    .createTable('netmon_checks')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    /** JSON: the check as IT defined it (src/shared/api/netmon.ts serverCheckSchema). */
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('interval_s', 'integer', (c) => c.notNull())
    .addColumn('enabled', small, (c) => c.notNull())
    .addColumn('next_at', big, (c) => c.notNull())
    .addColumn('last_at', big)
    .addColumn('last_status', 'text')
    .addColumn('last_rtt_us', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('cert_expires_at', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('staff_users.id').onDelete('set null'))
    .execute();
}
