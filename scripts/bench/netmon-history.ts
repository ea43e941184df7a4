import { sql } from 'kysely';
import type { Db } from '../../src/server/db/database';
import { BUCKET_1H, BUCKET_5M, rollup5mTo1h, rollupRawTo5m, targetIdsOf } from '../../src/server/netmon/netmon.repo';

/*
 * Synthetic network-monitoring history for the netmon bench, straight into the tables of migration 016 on
 * PostgreSQL, in the order production writes it (time-major: every source's rows of one minute or bucket,
 * then the next), so the primary keys' B-trees split the way they do under the rollup job:
 *
 * - raw samples, one per target per minute (the default plan), with the server's HTTP timings as ingest
 *   stores them; link points one a minute;
 * - 5-minute and hourly rollups made by the server's own rollup code (netmon.repo.ts) from the last day of
 *   raw rows, and older buckets generated in SQL with the same columns further back.
 */

const MINUTE = 60_000;
const DAY = 24 * BUCKET_1H;

/** The targets the simulated agents probe, their base round trip (ms), and their position in a cycle. */
export const BENCH_TARGETS = [
  { key: 'gateway', baseMs: 1.5 },
  { key: 'dns', baseMs: 8 },
  { key: 'server', baseMs: 20 },
  { key: 'it:erp', baseMs: 14 },
  { key: 'it:intranet', baseMs: 4 },
] as const;

const HTTP_JSON = JSON.stringify({ dnsMs: 1, connectMs: 5, tlsMs: 10, firstByteMs: 20, status: 200 });

/** Source ids of devices (created like ingest does, in one statement for a whole fleet). */
export async function sourceIdsOf(db: Db, deviceIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < deviceIds.length; i += 5000) {
    const chunk = deviceIds.slice(i, i + 5000);
    await db.kysely
      .insertInto('netmon_sources')
      .values(chunk.map((key) => ({ kind: 'device', key })))
      .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
      .execute();
    const rows = await db.kysely
      .selectFrom('netmon_sources')
      .select(['id', 'key'])
      .where('kind', '=', 'device')
      .where('key', 'in', chunk)
      .execute();
    for (const r of rows) out.set(r.key, r.id);
  }
  return out;
}

async function targetTable(db: Db) {
  const ids = await targetIdsOf(
    db.kysely,
    BENCH_TARGETS.map((t) => t.key),
  );
  const values = BENCH_TARGETS.map(
    (t, ord) =>
      sql`(${ids.get(t.key)!}::int, ${ord}::int, ${Math.round(t.baseMs * 1000)}::int, ${t.key === 'server'}::boolean)`,
  );
  return sql`(values ${sql.join(values)}) as t(id, ord, base_us, http)`;
}

/** Raw samples and link points of `sources`, one a minute, over [from, to); `step` ms per statement. */
export async function backfillRaw(db: Db, sources: readonly number[], from: number, to: number, stepMs: number) {
  const targets = await targetTable(db);
  const src = sql`unnest(${[...sources]}::int[]) as s(id)`;
  for (let start = from; start < to; start += stepMs) {
    const end = Math.min(to, start + stepMs);
    await sql`
      insert into netmon_samples (source_id, target_id, at, sent, received, rtt_us, min_us, max_us, jitter_us, error, http)
      select s.id, t.id, m.at + t.ord * 40, 4, case when r < 0.02 then 3 else 4 end, (t.base_us * (0.7 + r))::int,
        (t.base_us * (0.7 + r) * 0.7)::int, (t.base_us * (0.7 + r) * 1.4)::int, (t.base_us * (0.7 + r) * 0.15)::int,
        null, case when t.http then ${HTTP_JSON} end
      from generate_series(${start}::bigint, ${end - 1}::bigint, ${MINUTE}::bigint) m(at)
      cross join ${src} cross join ${targets} cross join lateral (select random() as r) x
      order by m.at, s.id, t.id
      on conflict do nothing`.execute(db.kysely);
    await sql`
      insert into netmon_links (source_id, at, signal_dbm, rate_mbps, rx_errors, tx_errors, vpn_up)
      select s.id, m.at, -45 - (random() * 30)::int, 433, 0, 0, 0
      from generate_series(${start}::bigint, ${end - 1}::bigint, ${MINUTE}::bigint) m(at) cross join ${src}
      order by m.at, s.id
      on conflict do nothing`.execute(db.kysely);
  }
}

/** 5-minute rollups generated in SQL (as the job would have made them from a minute's samples) over [from, to). */
async function backfill5m(db: Db, sources: readonly number[], from: number, to: number) {
  const targets = await targetTable(db);
  const src = sql`unnest(${[...sources]}::int[]) as s(id)`;
  for (let start = from; start < to; start += DAY) {
    const end = Math.min(to, start + DAY);
    await sql`
      insert into netmon_samples_5m (source_id, target_id, bucket, samples, sent, received, errors, rtt_n, rtt_sum_us,
        rtt_sq_ms, rtt_min_us, rtt_max_us, jitter_n, jitter_sum_us)
      select s.id, t.id, b.at, 5, 20, case when r < 0.1 then 19 else 20 end, 0, 5, (5 * t.base_us * (0.7 + r))::bigint,
        5 * (t.base_us * (0.7 + r) / 1000.0) ^ 2, (t.base_us * 0.5)::int, (t.base_us * 2.4)::int, 5,
        (5 * t.base_us * 0.15)::bigint
      from generate_series(${start}::bigint, ${end - 1}::bigint, ${BUCKET_5M}::bigint) b(at)
      cross join ${src} cross join ${targets} cross join lateral (select random() as r) x
      order by b.at, s.id, t.id
      on conflict do nothing`.execute(db.kysely);
    await sql`
      insert into netmon_links_5m (source_id, bucket, reports, signal_n, signal_sum, signal_min, signal_max, rate_n, rate_sum, errors)
      select s.id, b.at, 5, 5, -300 + (random() * 50)::int, -75, -45, 5, 2165, 0
      from generate_series(${start}::bigint, ${end - 1}::bigint, ${BUCKET_5M}::bigint) b(at) cross join ${src}
      order by b.at, s.id
      on conflict do nothing`.execute(db.kysely);
  }
}

/** Hourly rollups generated in SQL over [from, to). */
async function backfill1h(db: Db, sources: readonly number[], from: number, to: number) {
  const targets = await targetTable(db);
  const src = sql`unnest(${[...sources]}::int[]) as s(id)`;
  for (let start = from; start < to; start += 10 * DAY) {
    const end = Math.min(to, start + 10 * DAY);
    await sql`
      insert into netmon_samples_1h (source_id, target_id, bucket, samples, sent, received, errors, rtt_n, rtt_sum_us,
        rtt_sq_ms, rtt_min_us, rtt_max_us, jitter_n, jitter_sum_us)
      select s.id, t.id, b.at, 60, 240, case when r < 0.3 then 238 else 240 end, 0, 60,
        (60 * t.base_us * (0.7 + r))::bigint, 60 * (t.base_us * (0.7 + r) / 1000.0) ^ 2, (t.base_us * 0.5)::int,
        (t.base_us * 3)::int, 60, (60 * t.base_us * 0.15)::bigint
      from generate_series(${start}::bigint, ${end - 1}::bigint, ${BUCKET_1H}::bigint) b(at)
      cross join ${src} cross join ${targets} cross join lateral (select random() as r) x
      order by b.at, s.id, t.id
      on conflict do nothing`.execute(db.kysely);
    await sql`
      insert into netmon_links_1h (source_id, bucket, reports, signal_n, signal_sum, signal_min, signal_max, rate_n, rate_sum, errors)
      select s.id, b.at, 60, 60, -3600 + (random() * 600)::int, -80, -42, 60, 25980, 0
      from generate_series(${start}::bigint, ${end - 1}::bigint, ${BUCKET_1H}::bigint) b(at) cross join ${src}
      order by b.at, s.id
      on conflict do nothing`.execute(db.kysely);
  }
}

export interface HistoryTimings {
  rawRows: number;
  rawMs: number;
  /** The server's rollup code over the last day of raw rows: raw → 5-minute, then 5-minute → hourly. */
  rollup5mMs: number;
  rollup1hMs: number;
  olderMs: number;
}

/**
 * `days` of history for `sources` ending at `now`: raw for the last day, rolled by the server's code; 5-minute
 * rollups back to `fiveMinuteDays`; hourly rollups (rolled from the 5-minute ones, then generated) back to `days`.
 */
export async function backfillHistory(
  db: Db,
  sources: readonly number[],
  now: number,
  days: number,
  fiveMinuteDays: number,
): Promise<HistoryTimings> {
  const hourEnd = Math.floor(now / BUCKET_1H) * BUCKET_1H;
  const rawFrom = hourEnd - DAY;
  let t = performance.now();
  await backfillRaw(db, sources, rawFrom, now, 2 * BUCKET_1H);
  const rawMs = performance.now() - t;
  const rawRows = Number(
    (
      await sql<{
        n: string;
      }>`select count(*) as n from netmon_samples where at >= ${rawFrom} and source_id = any(${[...sources]}::int[])`.execute(
        db.kysely,
      )
    ).rows[0]?.n ?? 0,
  );
  t = performance.now();
  await rollupRawTo5m(db.kysely, { from: rawFrom, to: Math.floor(now / BUCKET_5M) * BUCKET_5M });
  const rollup5mMs = performance.now() - t;
  const fiveFrom = rawFrom - (fiveMinuteDays - 1) * DAY;
  t = performance.now();
  await backfill5m(db, sources, fiveFrom, rawFrom);
  const older5m = performance.now() - t;
  t = performance.now();
  await rollup5mTo1h(db.kysely, { from: fiveFrom, to: hourEnd });
  const rollup1hMs = performance.now() - t;
  t = performance.now();
  await backfill1h(db, sources, hourEnd - days * DAY, fiveFrom);
  return { rawRows, rawMs, rollup5mMs, rollup1hMs, olderMs: older5m + performance.now() - t };
}
