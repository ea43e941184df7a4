import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from '../db/database';
import type { Database, NetmonBandwidthTable, NetmonLinkRollupTable, NetmonRollupTable } from '../db/schema';

/*
 * Every query of network monitoring's tables (migration 016). Sources and targets are small integers
 * looked up once per process (insert-or-read, safe from several processes). Samples go in with one
 * multi-row statement per batch (`unnest` of column arrays on PostgreSQL: one prepared text whatever the
 * count), duplicates dropped by the primary key, so a batch sent twice stores nothing the second time.
 */

type Db = Kysely<Database>;

export const BUCKET_5M = 300_000;
export const BUCKET_1H = 3_600_000;

const dictionaries = new WeakMap<Db, Map<string, number>>();
function dictionary(db: Db): Map<string, number> {
  let d = dictionaries.get(db);
  if (!d) dictionaries.set(db, (d = new Map()));
  return d;
}

/** The id of a source (a device, or `server` for the server's own checks), created on first use. */
export async function sourceIdOf(db: Db, kind: 'device' | 'server', key: string): Promise<number> {
  const cache = dictionary(db);
  const name = `s:${kind}:${key}`;
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  await db
    .insertInto('netmon_sources')
    .values({ kind, key })
    .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
    .execute();
  const row = await db
    .selectFrom('netmon_sources')
    .select('id')
    .where('kind', '=', kind)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  cache.set(name, row.id);
  return row.id;
}

/** A source's id if it has one (no row is created). */
export async function findSourceId(db: Db, kind: 'device' | 'server', key: string): Promise<number | null> {
  const hit = dictionary(db).get(`s:${kind}:${key}`);
  if (hit !== undefined) return hit;
  const row = await db
    .selectFrom('netmon_sources')
    .select('id')
    .where('kind', '=', kind)
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The ids of target keys, created on first use. */
export async function targetIdsOf(db: Db, keys: readonly string[]): Promise<Map<string, number>> {
  const cache = dictionary(db);
  const out = new Map<string, number>();
  const missing: string[] = [];
  for (const key of new Set(keys)) {
    const hit = cache.get(`t:${key}`);
    if (hit === undefined) missing.push(key);
    else out.set(key, hit);
  }
  if (missing.length > 0) {
    await db
      .insertInto('netmon_targets')
      .values(missing.map((key) => ({ key })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    for (const row of await db
      .selectFrom('netmon_targets')
      .select(['id', 'key'])
      .where('key', 'in', missing)
      .execute()) {
      cache.set(`t:${row.key}`, row.id);
      out.set(row.key, row.id);
    }
  }
  return out;
}

/** Every target's key by id. */
export async function targetKeys(db: Db): Promise<Map<number, string>> {
  const rows = await db.selectFrom('netmon_targets').select(['id', 'key']).execute();
  return new Map(rows.map((r) => [r.id, r.key]));
}

export interface SampleRow {
  source_id: number;
  target_id: number;
  at: number;
  sent: number;
  received: number;
  rtt_us: number | null;
  min_us: number | null;
  max_us: number | null;
  jitter_us: number | null;
  error: string | null;
  http: string | null;
}

/** Inserts samples, skipping those already stored; returns the times of those inserted. */
export async function insertSamples(db: Db, dialect: Dialect, rows: readonly SampleRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  if (dialect === 'postgres') {
    const col = <K extends keyof SampleRow>(k: K) => rows.map((r) => r[k]);
    const result = await sql<{ at: number }>`
      insert into netmon_samples (source_id, target_id, at, sent, received, rtt_us, min_us, max_us, jitter_us, error, http)
      select * from unnest(${col('source_id')}::int[], ${col('target_id')}::int[], ${col('at')}::bigint[],
        ${col('sent')}::smallint[], ${col('received')}::smallint[], ${col('rtt_us')}::int[], ${col('min_us')}::int[],
        ${col('max_us')}::int[], ${col('jitter_us')}::int[], ${col('error')}::text[], ${col('http')}::text[])
      on conflict do nothing returning at`.execute(db);
    return result.rows.map((r) => Number(r.at));
  }
  const inserted = await db
    .insertInto('netmon_samples')
    .values([...rows])
    .onConflict((oc) => oc.doNothing())
    .returning('at')
    .execute();
  return inserted.map((r) => r.at);
}

export interface LinkRow {
  source_id: number;
  at: number;
  signal_dbm: number | null;
  rate_mbps: number | null;
  rx_errors: number | null;
  tx_errors: number | null;
  vpn_up: number | null;
}

/** Inserts link points, skipping those already stored; returns the times of those inserted. */
export async function insertLinks(db: Db, rows: readonly LinkRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto('netmon_links')
    .values([...rows])
    .onConflict((oc) => oc.doNothing())
    .returning('at')
    .execute();
  return inserted.map((r) => r.at);
}

export async function insertBandwidth(db: Db, rows: readonly NetmonBandwidthTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('netmon_bandwidth')
    .values([...rows])
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Writes a device's latest link unless a newer one is already stored. */
export async function upsertDeviceLink(db: Db, row: Database['netmon_device_links']): Promise<void> {
  await db
    .insertInto('netmon_device_links')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('device_id')
        .doUpdateSet((eb) => ({
          at: eb.ref('excluded.at'),
          link: eb.ref('excluded.link'),
          subnet: eb.ref('excluded.subnet'),
          ssid: eb.ref('excluded.ssid'),
          site: eb.ref('excluded.site'),
        }))
        .where('netmon_device_links.at', '<', (eb) => eb.ref('excluded.at')),
    )
    .execute();
}

export async function selectDeviceLink(db: Db, deviceId: string) {
  return db.selectFrom('netmon_device_links').selectAll().where('device_id', '=', deviceId).executeTakeFirst();
}

export async function selectDeviceLinkSites(db: Db) {
  return db.selectFrom('netmon_device_links').select(['device_id', 'subnet', 'ssid', 'site']).execute();
}

export async function updateDeviceSite(db: Db, deviceId: string, site: string | null): Promise<void> {
  await db.updateTable('netmon_device_links').set({ site }).where('device_id', '=', deviceId).execute();
}

/** Marks buckets to roll up again (they got data after their rollup may have run). */
export async function markDirty(db: Db, sourceId: number, buckets: readonly number[]): Promise<void> {
  if (buckets.length === 0) return;
  await db
    .insertInto('netmon_dirty')
    .values([...new Set(buckets)].map((bucket) => ({ res: 5, source_id: sourceId, bucket })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

// Settings and state (JSON by key).

export async function selectSetting(db: Db, key: string) {
  return db.selectFrom('netmon_settings').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function upsertSetting(db: Db, key: string, value: string, at: number, by: number | null) {
  await db
    .insertInto('netmon_settings')
    .values({ key, value, updated_at: at, updated_by: by })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at, updated_by: by }))
    .execute();
}

export async function selectState(db: Db, key: string) {
  return db.selectFrom('netmon_state').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function upsertState(db: Db, key: string, value: string, at: number) {
  await db
    .insertInto('netmon_state')
    .values({ key, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
    .execute();
}

// Rollups: each statement aggregates a time range, or the dirty buckets, and replaces (samples) or upserts
// (links) whole buckets.

/** Runs `fn` in a transaction (the caller's, when `db` already is one). */
async function inTransaction(db: Db, fn: (trx: Db) => Promise<void>): Promise<void> {
  if (db.isTransaction) await fn(db);
  else await db.transaction().execute(fn);
}

const SAMPLE_COLUMNS = sql.raw(
  'source_id, target_id, bucket, samples, sent, received, errors, rtt_n, rtt_sum_us, rtt_sq_ms, rtt_min_us, rtt_max_us, jitter_n, jitter_sum_us',
);
const LINK_COLUMNS = sql.raw(
  'source_id, bucket, reports, signal_n, signal_sum, signal_min, signal_max, rate_n, rate_sum, errors',
);
const DAY_MS = 24 * BUCKET_1H;

/**
 * The span of time each rollup table is indexed by on PostgreSQL, with the source (migration 025): an index
 * on `(source_id, bucket / span)`. A read of a source's rows gives the spans as well as the buckets (`inSpans`).
 */
export const ROLLUP_SPANS = {
  netmon_samples_5m: BUCKET_1H,
  netmon_links_5m: BUCKET_1H,
  netmon_samples_1h: DAY_MS,
  netmon_links_1h: DAY_MS,
} as const;
type RollupTable = keyof typeof ROLLUP_SPANS;

/** `bucket / span` of `table`, exactly as its index has it (`alias.bucket` with an alias). */
function spanOf(table: RollupTable, alias?: string): RawBuilder<number> {
  return sql<number>`${sql.ref(alias ? `${alias}.bucket` : 'bucket')} / ${sql.raw(String(ROLLUP_SPANS[table]))}`;
}

/** The spans of [from, to] of `table`: lets PostgreSQL find a source's rows of a time range by its index. */
function inSpans(table: RollupTable, from: number, to: number, alias?: string): RawBuilder<boolean> {
  const span = ROLLUP_SPANS[table];
  return sql<boolean>`${spanOf(table, alias)} >= ${Math.floor(from / span)} and ${spanOf(table, alias)} <= ${Math.floor(to / span)}`;
}

/** A count capped to what the rollups' smallint columns hold (migration 025); only an abusive agent reaches it. */
const small = (count: RawBuilder<unknown>) => sql`case when ${count} > 32767 then 32767 else ${count} end`;

/**
 * The dirty buckets of `table` at resolution `res` (5 or 60 minutes), for a delete: the pairs as a row-value IN
 * list (an EXISTS here has SQLite scan the whole table), and the pairs' spans, which PostgreSQL finds by index.
 */
function dirtyIn(table: RollupTable, res: 5 | 60): RawBuilder<boolean> {
  const span = sql.raw(String(ROLLUP_SPANS[table]));
  return sql<boolean>`(source_id, bucket) in (select source_id, bucket from netmon_dirty where res = ${sql.raw(String(res))})
    and (source_id, ${spanOf(table)}) in (select source_id, bucket / ${span} from netmon_dirty where res = ${sql.raw(String(res))})`;
}

/**
 * Replaces the rows of `table` that `where` selects with those `insert` computes, in one transaction: whole
 * buckets are replaced (migrations 021, 025: no unique key to upsert on).
 */
async function replaceRollups(
  db: Db,
  table: RollupTable,
  where: RawBuilder<unknown>,
  insert: RawBuilder<unknown>,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await sql`delete from ${sql.table(table)} where ${where}`.execute(trx);
    await insert.execute(trx);
  });
}

/** Raw samples and links of [from, to) (or only the dirty 5-minute buckets) into 5-minute rollups. */
export async function rollupRawTo5m(db: Db, range: { from: number; to: number } | 'dirty'): Promise<void> {
  const b = sql.raw(String(BUCKET_5M));
  const dirty = range === 'dirty';
  const join = (alias: string) =>
    dirty
      ? sql`join netmon_dirty d on d.res = 5 and d.source_id = ${sql.raw(alias)}.source_id and ${sql.raw(alias)}.at >= d.bucket and ${sql.raw(alias)}.at < d.bucket + ${b}`
      : sql``;
  const where = (alias: string) =>
    dirty ? sql`where true` : sql`where ${sql.raw(alias)}.at >= ${range.from} and ${sql.raw(alias)}.at < ${range.to}`;
  const inRange = dirty ? sql`` : sql`bucket >= ${range.from} and bucket < ${range.to}`;
  // Only the dirty buckets that have raw rows (older ones keep their rollups).
  await replaceRollups(
    db,
    'netmon_samples_5m',
    dirty
      ? sql`${dirtyIn('netmon_samples_5m', 5)}
        and exists (select 1 from netmon_samples s where s.source_id = netmon_samples_5m.source_id
          and s.target_id = netmon_samples_5m.target_id and s.at >= netmon_samples_5m.bucket
          and s.at < netmon_samples_5m.bucket + ${b})`
      : inRange,
    sql`
    insert into netmon_samples_5m (${SAMPLE_COLUMNS})
    select s.source_id, s.target_id, (s.at / ${b}) * ${b}, ${small(sql`count(*)`)}, sum(s.sent), sum(s.received),
      ${small(sql`sum(case when s.error is not null or s.received = 0 then 1 else 0 end)`)},
      ${small(sql`count(s.rtt_us)`)}, coalesce(sum(s.rtt_us), 0), coalesce(sum((s.rtt_us / 1000.0) * (s.rtt_us / 1000.0)), 0),
      min(coalesce(s.min_us, s.rtt_us)), max(coalesce(s.max_us, s.rtt_us)),
      ${small(sql`count(s.jitter_us)`)}, coalesce(sum(s.jitter_us), 0)
    from netmon_samples s ${join('s')} ${where('s')}
    group by s.source_id, s.target_id, (s.at / ${b}) * ${b}`,
  );
  await replaceRollups(
    db,
    'netmon_links_5m',
    dirty
      ? sql`${dirtyIn('netmon_links_5m', 5)}
        and exists (select 1 from netmon_links l where l.source_id = netmon_links_5m.source_id
          and l.at >= netmon_links_5m.bucket and l.at < netmon_links_5m.bucket + ${b})`
      : inRange,
    sql`
    insert into netmon_links_5m (${LINK_COLUMNS})
    select l.source_id, (l.at / ${b}) * ${b}, ${small(sql`count(*)`)}, ${small(sql`count(l.signal_dbm)`)},
      coalesce(sum(l.signal_dbm), 0), min(l.signal_dbm), max(l.signal_dbm), ${small(sql`count(l.rate_mbps)`)},
      coalesce(sum(l.rate_mbps), 0), coalesce(sum(coalesce(l.rx_errors, 0) + coalesce(l.tx_errors, 0)), 0)
    from netmon_links l ${join('l')} ${where('l')}
    group by l.source_id, (l.at / ${b}) * ${b}`,
  );
}

/** 5-minute rollups of [from, to) (or only the dirty hours) into hourly rollups. */
export async function rollup5mTo1h(db: Db, range: { from: number; to: number } | 'dirty'): Promise<void> {
  const h = sql.raw(String(BUCKET_1H));
  const dirty = range === 'dirty';
  // A dirty hour's 5-minute rows are the span of the hour (5-minute tables are indexed by the hour).
  const join = dirty
    ? sql`join netmon_dirty d on d.res = 60 and d.source_id = r.source_id and r.bucket >= d.bucket
        and r.bucket < d.bucket + ${h} and ${spanOf('netmon_samples_5m', 'r')} = d.bucket / ${h}`
    : sql``;
  const where = dirty ? sql`where true` : sql`where r.bucket >= ${range.from} and r.bucket < ${range.to}`;
  const inRange = dirty ? sql`` : sql`bucket >= ${range.from} and bucket < ${range.to}`;
  await replaceRollups(
    db,
    'netmon_samples_1h',
    dirty
      ? sql`${dirtyIn('netmon_samples_1h', 60)}
        and exists (select 1 from netmon_samples_5m r where r.source_id = netmon_samples_1h.source_id
          and r.target_id = netmon_samples_1h.target_id and r.bucket >= netmon_samples_1h.bucket
          and r.bucket < netmon_samples_1h.bucket + ${h} and ${spanOf('netmon_samples_5m', 'r')} = netmon_samples_1h.bucket / ${h})`
      : inRange,
    sql`
    insert into netmon_samples_1h (${SAMPLE_COLUMNS})
    select r.source_id, r.target_id, (r.bucket / ${h}) * ${h}, ${small(sql`sum(r.samples)`)}, sum(r.sent),
      sum(r.received), ${small(sql`sum(r.errors)`)}, ${small(sql`sum(r.rtt_n)`)}, sum(r.rtt_sum_us), sum(r.rtt_sq_ms),
      min(r.rtt_min_us), max(r.rtt_max_us), ${small(sql`sum(r.jitter_n)`)}, sum(r.jitter_sum_us)
    from netmon_samples_5m r ${join} ${where}
    group by r.source_id, r.target_id, (r.bucket / ${h}) * ${h}`,
  );
  await replaceRollups(
    db,
    'netmon_links_1h',
    dirty
      ? sql`${dirtyIn('netmon_links_1h', 60)}
        and exists (select 1 from netmon_links_5m r where r.source_id = netmon_links_1h.source_id
          and r.bucket >= netmon_links_1h.bucket and r.bucket < netmon_links_1h.bucket + ${h}
          and ${spanOf('netmon_links_5m', 'r')} = netmon_links_1h.bucket / ${h})`
      : inRange,
    sql`
    insert into netmon_links_1h (${LINK_COLUMNS})
    select r.source_id, (r.bucket / ${h}) * ${h}, ${small(sql`sum(r.reports)`)}, ${small(sql`sum(r.signal_n)`)},
      sum(r.signal_sum), min(r.signal_min), max(r.signal_max), ${small(sql`sum(r.rate_n)`)}, sum(r.rate_sum), sum(r.errors)
    from netmon_links_5m r ${join} ${where}
    group by r.source_id, (r.bucket / ${h}) * ${h}`,
  );
}

/** Turns the dirty 5-minute buckets into dirty hours, then forgets them. */
export async function promoteDirty(db: Db): Promise<void> {
  const h = sql.raw(String(BUCKET_1H));
  await sql`
    insert into netmon_dirty (res, source_id, bucket)
    select distinct 60, source_id, (bucket / ${h}) * ${h} from netmon_dirty where res = 5
    on conflict do nothing`.execute(db);
  await db.deleteFrom('netmon_dirty').where('res', '=', 5).execute();
}

export async function clearDirtyHours(db: Db): Promise<void> {
  await db.deleteFrom('netmon_dirty').where('res', '=', 60).execute();
}

export async function oldestRawAt(db: Db): Promise<number | null> {
  const row = await db
    .selectFrom('netmon_samples')
    .select((eb) => eb.fn.min('at').as('at'))
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

/** Deletes what is older than each table's retention; returns rows removed per table. */
export async function deleteExpired(
  db: Db,
  cutoffs: { raw: number; fiveMinute: number; hourly: number },
): Promise<Record<string, number>> {
  const n = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  return {
    samples: n(await db.deleteFrom('netmon_samples').where('at', '<', cutoffs.raw).executeTakeFirst()),
    links: n(await db.deleteFrom('netmon_links').where('at', '<', cutoffs.raw).executeTakeFirst()),
    dirty: n(await db.deleteFrom('netmon_dirty').where('bucket', '<', cutoffs.raw).executeTakeFirst()),
    samples5m: n(await db.deleteFrom('netmon_samples_5m').where('bucket', '<', cutoffs.fiveMinute).executeTakeFirst()),
    links5m: n(await db.deleteFrom('netmon_links_5m').where('bucket', '<', cutoffs.fiveMinute).executeTakeFirst()),
    bandwidth: n(await db.deleteFrom('netmon_bandwidth').where('at', '<', cutoffs.fiveMinute).executeTakeFirst()),
    samples1h: n(await db.deleteFrom('netmon_samples_1h').where('bucket', '<', cutoffs.hourly).executeTakeFirst()),
    links1h: n(await db.deleteFrom('netmon_links_1h').where('bucket', '<', cutoffs.hourly).executeTakeFirst()),
  };
}

// Series.

export async function selectRawSeries(db: Db, sourceId: number, from: number, to: number) {
  return db
    .selectFrom('netmon_samples')
    .select(['target_id', 'at', 'sent', 'received', 'rtt_us', 'min_us', 'max_us', 'jitter_us', 'error'])
    .where('source_id', '=', sourceId)
    .where('at', '>=', from)
    .where('at', '<=', to)
    .orderBy('target_id')
    .orderBy('at')
    .execute();
}

export async function selectRollupSeries(
  db: Db,
  table: 'netmon_samples_5m' | 'netmon_samples_1h',
  sourceId: number,
  from: number,
  to: number,
) {
  return db
    .selectFrom(table)
    .selectAll()
    .where('source_id', '=', sourceId)
    .where(inSpans(table, from, to))
    .where('bucket', '>=', from)
    .where('bucket', '<=', to)
    .orderBy('target_id')
    .orderBy('bucket')
    .execute();
}

const num = (v: string | number | null) => (v === null ? null : Number(v));

/**
 * Hourly rollups merged into coarser buckets of `bucketMs` (a multiple of an hour), as exactly as the rows
 * allow: counts and sums add up (so the mean round trip stays weighted by samples, loss is lost over sent,
 * the standard deviation comes from the summed squares), the minimum of the minimums, the maximum of the maximums.
 */
export async function selectCoarseSeries(
  db: Db,
  sourceId: number,
  from: number,
  to: number,
  bucketMs: number,
): Promise<NetmonRollupTable[]> {
  const w = sql.raw(String(bucketMs));
  const { rows } = await sql<Record<keyof NetmonRollupTable, string | number | null>>`
    select source_id, target_id, (bucket / ${w}) * ${w} as bucket, sum(samples) as samples, sum(sent) as sent,
      sum(received) as received, sum(errors) as errors, sum(rtt_n) as rtt_n, sum(rtt_sum_us) as rtt_sum_us,
      sum(rtt_sq_ms) as rtt_sq_ms, min(rtt_min_us) as rtt_min_us, max(rtt_max_us) as rtt_max_us,
      sum(jitter_n) as jitter_n, sum(jitter_sum_us) as jitter_sum_us
    from netmon_samples_1h
    where source_id = ${sourceId} and ${inSpans('netmon_samples_1h', from, to)} and bucket >= ${from} and bucket <= ${to}
    group by source_id, target_id, (bucket / ${w}) * ${w}
    order by 2, 3`.execute(db);
  return rows.map((r) => ({
    source_id: Number(r.source_id),
    target_id: Number(r.target_id),
    bucket: Number(r.bucket),
    samples: Number(r.samples),
    sent: Number(r.sent),
    received: Number(r.received),
    errors: Number(r.errors),
    rtt_n: Number(r.rtt_n),
    rtt_sum_us: Number(r.rtt_sum_us),
    rtt_sq_ms: Number(r.rtt_sq_ms),
    rtt_min_us: num(r.rtt_min_us),
    rtt_max_us: num(r.rtt_max_us),
    jitter_n: Number(r.jitter_n),
    jitter_sum_us: Number(r.jitter_sum_us),
  }));
}

/** Hourly link rollups merged into buckets of `bucketMs` the same way. */
export async function selectCoarseLinks(
  db: Db,
  sourceId: number,
  from: number,
  to: number,
  bucketMs: number,
): Promise<NetmonLinkRollupTable[]> {
  const w = sql.raw(String(bucketMs));
  const { rows } = await sql<Record<keyof NetmonLinkRollupTable, string | number | null>>`
    select source_id, (bucket / ${w}) * ${w} as bucket, sum(reports) as reports, sum(signal_n) as signal_n,
      sum(signal_sum) as signal_sum, min(signal_min) as signal_min, max(signal_max) as signal_max,
      sum(rate_n) as rate_n, sum(rate_sum) as rate_sum, sum(errors) as errors
    from netmon_links_1h
    where source_id = ${sourceId} and ${inSpans('netmon_links_1h', from, to)} and bucket >= ${from} and bucket <= ${to}
    group by source_id, (bucket / ${w}) * ${w}
    order by 2`.execute(db);
  return rows.map((r) => ({
    source_id: Number(r.source_id),
    bucket: Number(r.bucket),
    reports: Number(r.reports),
    signal_n: Number(r.signal_n),
    signal_sum: Number(r.signal_sum),
    signal_min: num(r.signal_min),
    signal_max: num(r.signal_max),
    rate_n: Number(r.rate_n),
    rate_sum: Number(r.rate_sum),
    errors: Number(r.errors),
  }));
}

export async function selectRawLinks(db: Db, sourceId: number, from: number, to: number) {
  return db
    .selectFrom('netmon_links')
    .selectAll()
    .where('source_id', '=', sourceId)
    .where('at', '>=', from)
    .where('at', '<=', to)
    .orderBy('at')
    .execute();
}

export async function selectLinkRollups(
  db: Db,
  table: 'netmon_links_5m' | 'netmon_links_1h',
  sourceId: number,
  from: number,
  to: number,
) {
  return db
    .selectFrom(table)
    .selectAll()
    .where('source_id', '=', sourceId)
    .where(inSpans(table, from, to))
    .where('bucket', '>=', from)
    .where('bucket', '<=', to)
    .orderBy('bucket')
    .execute();
}

/** Per device source and target over [from, to]: counts for the health words (raw samples). */
export interface SourceTargetStats {
  source_id: number;
  target_id: number;
  site: string | null;
  device_id: string | null;
  samples: number;
  sent: number;
  received: number;
  recent_sent: number;
  recent_received: number;
  rtt_n: number;
  rtt_sum_us: number;
  jitter_n: number;
  jitter_sum_us: number;
}

type StatsFilter = { sourceIds?: number[]; targetIds?: number[] };

/**
 * The one query behind both stats reads: per device source and target over [from, to] of `table` (alias
 * `r`, time column `time`), its site and device id, with the given aggregates (named as SourceTargetStats).
 */
async function deviceStatsOf(
  db: Db,
  table: 'netmon_samples' | 'netmon_samples_5m',
  aggregates: RawBuilder<unknown>,
  from: number,
  to: number,
  only?: StatsFilter,
): Promise<SourceTargetStats[]> {
  const time = sql.ref(table === 'netmon_samples' ? 'r.at' : 'r.bucket');
  const ids = (list: number[]) => sql.join(list.length ? list : [-1]);
  const where = [sql`${time} >= ${from}`, sql`${time} <= ${to}`];
  if (table === 'netmon_samples_5m' && only?.sourceIds) where.push(inSpans(table, from, to, 'r'));
  if (only?.sourceIds) where.push(sql`r.source_id in (${ids(only.sourceIds)})`);
  if (only?.targetIds) where.push(sql`r.target_id in (${ids(only.targetIds)})`);
  const { rows } = await sql<Record<keyof SourceTargetStats, string | number | null>>`
    select r.source_id, r.target_id, dl.site, src.key as device_id, ${aggregates}
    from ${sql.table(table)} r
    join netmon_sources src on src.id = r.source_id and src.kind = 'device'
    left join netmon_device_links dl on dl.source_id = r.source_id
    where ${sql.join(where, sql` and `)}
    group by r.source_id, r.target_id, dl.site, src.key`.execute(db);
  return rows.map((r) => ({
    source_id: Number(r.source_id),
    target_id: Number(r.target_id),
    site: r.site === null ? null : String(r.site),
    device_id: r.device_id === null ? null : String(r.device_id),
    samples: Number(r.samples),
    sent: Number(r.sent),
    received: Number(r.received),
    recent_sent: Number(r.recent_sent),
    recent_received: Number(r.recent_received),
    rtt_n: Number(r.rtt_n),
    rtt_sum_us: Number(r.rtt_sum_us),
    jitter_n: Number(r.jitter_n),
    jitter_sum_us: Number(r.jitter_sum_us),
  }));
}

export async function selectDeviceStats(
  db: Db,
  from: number,
  to: number,
  recentFrom: number,
  only?: StatsFilter,
): Promise<SourceTargetStats[]> {
  const aggregates = sql`count(*) as samples, sum(r.sent) as sent, sum(r.received) as received,
    sum(case when r.at >= ${recentFrom} then r.sent else 0 end) as recent_sent,
    sum(case when r.at >= ${recentFrom} then r.received else 0 end) as recent_received,
    count(r.rtt_us) as rtt_n, coalesce(sum(r.rtt_us), 0) as rtt_sum_us,
    count(r.jitter_us) as jitter_n, coalesce(sum(r.jitter_us), 0) as jitter_sum_us`;
  return deviceStatsOf(db, 'netmon_samples', aggregates, from, to, only);
}

/** The same counts from 5-minute rollups (windows older than the raw samples); all of it counts as recent. */
export async function selectDeviceStats5m(
  db: Db,
  from: number,
  to: number,
  only?: StatsFilter,
): Promise<SourceTargetStats[]> {
  const aggregates = sql`sum(r.samples) as samples, sum(r.sent) as sent, sum(r.received) as received,
    sum(r.sent) as recent_sent, sum(r.received) as recent_received,
    sum(r.rtt_n) as rtt_n, sum(r.rtt_sum_us) as rtt_sum_us,
    sum(r.jitter_n) as jitter_n, sum(r.jitter_sum_us) as jitter_sum_us`;
  return deviceStatsOf(db, 'netmon_samples_5m', aggregates, from, to, only);
}

/** The device sources whose latest link places them at a site. */
export async function selectSourcesAtSite(db: Db, site: string): Promise<number[]> {
  const rows = await db.selectFrom('netmon_device_links').select('source_id').where('site', '=', site).execute();
  return rows.map((r) => r.source_id);
}

export async function selectHostnames(db: Db, deviceIds: string[]): Promise<Map<string, string>> {
  if (deviceIds.length === 0) return new Map();
  const rows = await db.selectFrom('devices').select(['id', 'hostname']).where('id', 'in', deviceIds).execute();
  return new Map(rows.map((r) => [r.id, r.hostname]));
}

export async function selectTicketsInWindow(db: Db, deviceIds: string[], from: number, to: number) {
  if (deviceIds.length === 0) return [];
  return db
    .selectFrom('tickets')
    .select(['id', 'device_id'])
    .where('device_id', 'in', deviceIds)
    .where('created_at', '>=', from)
    .where('created_at', '<=', to)
    .orderBy('id')
    .execute();
}

export async function selectTicketCore(db: Db, ticketId: number) {
  return db
    .selectFrom('tickets')
    .select(['id', 'device_id', 'created_at'])
    .where('id', '=', ticketId)
    .executeTakeFirst();
}

export async function deviceExists(db: Db, deviceId: string): Promise<boolean> {
  return (await db.selectFrom('devices').select('id').where('id', '=', deviceId).executeTakeFirst()) !== undefined;
}

// Server-side checks.

export async function selectChecks(db: Db) {
  return db.selectFrom('netmon_checks').selectAll().orderBy('slug').execute();
}

export async function selectCheck(db: Db, slug: string) {
  return db.selectFrom('netmon_checks').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function upsertCheck(db: Db, row: Database['netmon_checks']) {
  await db
    .insertInto('netmon_checks')
    .values(row)
    .onConflict((oc) =>
      oc.column('slug').doUpdateSet({
        definition: row.definition,
        interval_s: row.interval_s,
        enabled: row.enabled,
        next_at: row.next_at,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .execute();
}

export async function deleteCheck(db: Db, slug: string): Promise<boolean> {
  const r = await db.deleteFrom('netmon_checks').where('slug', '=', slug).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function selectDueChecks(db: Db, now: number) {
  return db
    .selectFrom('netmon_checks')
    .selectAll()
    .where('enabled', '=', 1)
    .where('next_at', '<=', now)
    .orderBy('next_at')
    .execute();
}

export async function updateCheckResult(
  db: Db,
  slug: string,
  set: Pick<
    Database['netmon_checks'],
    'next_at' | 'last_at' | 'last_status' | 'last_rtt_us' | 'last_error' | 'cert_expires_at'
  >,
): Promise<void> {
  await db.updateTable('netmon_checks').set(set).where('slug', '=', slug).execute();
}
