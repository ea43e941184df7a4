import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgSchema, dropPgSchema, openDatabase, type Db } from '../../src/server/db/database';
import { migrateToLatest, migrateUpTo } from '../../src/server/db/migrate';
import { selectCoarseLinks, selectRollupSeries } from '../../src/server/netmon/netmon.repo';

/*
 * Migration 025 over the rollups a database already holds (PostgreSQL; SQLite's tables do not change): the
 * sample tables are rebuilt with their columns reordered, the link tables' counts narrowed, every table
 * indexed by (source, span). Nothing is lost, and the reads find the rows through the new index.
 */
const url = process.env.DATABASE_URL;
const HOUR = 3_600_000;

describe.skipIf(!url)('migration 025: network-monitoring rollups by source and span [postgres]', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let db: Db;
  beforeAll(async () => {
    await createPgSchema(url!, schema);
    db = openDatabase({ url: url!, schema, poolSize: 2 });
    await migrateUpTo(db, '024-mail-in');
  });
  afterAll(async () => {
    await db?.destroy();
    await dropPgSchema(url!, schema);
  });

  it('keeps every row and value, and the chart reads use the new index', async () => {
    const t0 = 1_800_000_000_000 - (1_800_000_000_000 % HOUR);
    const rollup = (bucket: number, target: number) => ({
      source_id: 7,
      target_id: target,
      bucket,
      samples: 5,
      sent: 20,
      received: 19,
      errors: 1,
      rtt_n: 5,
      rtt_sum_us: 50_000_000_000,
      rtt_sq_ms: 123.456789,
      rtt_min_us: target === 2 ? null : 8_000,
      rtt_max_us: 12_000,
      jitter_n: 4,
      jitter_sum_us: 8_000,
    });
    const fiveMinute = [0, 1, 2].flatMap((i) => [1, 2].map((t) => rollup(t0 + i * 300_000, t)));
    await db.kysely.insertInto('netmon_samples_5m').values(fiveMinute).execute();
    await db.kysely.insertInto('netmon_samples_1h').values(rollup(t0, 1)).execute();
    const link = {
      source_id: 7,
      bucket: t0,
      reports: 60,
      signal_n: 60,
      signal_sum: -3600,
      signal_min: -70,
      signal_max: -50,
      rate_n: 60,
      rate_sum: 6000,
      errors: 3,
    };
    await db.kysely.insertInto('netmon_links_1h').values(link).execute();

    expect(await migrateToLatest(db)).toContain('025-netmon-rollup-spans');

    const series = await selectRollupSeries(db.kysely, 'netmon_samples_5m', 7, t0, t0 + HOUR);
    expect(
      series.map((r) => ({
        ...r,
        rtt_sum_us: Number(r.rtt_sum_us),
        jitter_sum_us: Number(r.jitter_sum_us),
        bucket: Number(r.bucket),
      })),
    ).toEqual([1, 2].flatMap((t) => [0, 1, 2].map((i) => rollup(t0 + i * 300_000, t))));
    expect(await selectCoarseLinks(db.kysely, 7, t0, t0 + HOUR, HOUR)).toEqual([{ ...link, bucket: t0 }]);
    const hourly = await selectRollupSeries(db.kysely, 'netmon_samples_1h', 7, t0, t0);
    expect(hourly).toHaveLength(1);
    expect(Number(hourly[0]!.rtt_sum_us)).toBe(50_000_000_000);

    // The sample tables' columns: 8-byte ones first, then 4-byte, then the smallint counts.
    const { rows } = await sql<{ column_name: string; data_type: string }>`
      select column_name, data_type from information_schema.columns
      where table_schema = ${schema} and table_name = 'netmon_samples_5m' order by ordinal_position`.execute(db.kysely);
    expect(rows.map((r) => r.column_name)).toEqual([
      'bucket',
      'rtt_sum_us',
      'rtt_sq_ms',
      'jitter_sum_us',
      'source_id',
      'target_id',
      'sent',
      'received',
      'rtt_min_us',
      'rtt_max_us',
      'samples',
      'errors',
      'rtt_n',
      'jitter_n',
    ]);
    await sql`set enable_seqscan = off`.execute(db.kysely);
    const plan = await sql<{ 'QUERY PLAN': string }>`explain select * from netmon_samples_5m
      where source_id = 7 and bucket / 3600000 >= ${t0 / HOUR} and bucket / 3600000 <= ${t0 / HOUR} and bucket >= ${t0}`.execute(
      db.kysely,
    );
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('netmon_samples_5m_source_span');
  });
});
