import type { ServerContext } from '../context';
import { jobLock } from '../jobs/job-lock';
import {
  BUCKET_1H,
  BUCKET_5M,
  clearDirtyHours,
  deleteExpired,
  oldestRawAt,
  promoteDirty,
  rollup5mTo1h,
  rollupRawTo5m,
  selectState,
  upsertState,
} from './netmon.repo';
import { ROLLUP_GRACE_MS } from './netmon-ingest.service';
import { refreshFleet } from './netmon-query.service';
import { netmonSettings } from './netmon-settings.service';

/*
 * Network monitoring's periodic work, in one server instance (job lock): roll raw samples and link points
 * into 5-minute buckets once a bucket ended ROLLUP_GRACE_MS ago, and 5-minute buckets into hours once the
 * hour is rolled; roll again the buckets that got late samples (dirty); delete what is past retention
 * (hourly); and compute the fleet grid, announcing it to the consoles when a cell's health changed.
 *
 * Watermarks (`netmon_state`): `rollup5m` and `rollup1h`, the first bucket not yet rolled. A pass rolls at
 * most MAX_SPAN_MS per statement, so a job that was stopped for days catches up in bounded statements.
 */

const MAX_SPAN_MS = 6 * BUCKET_1H;
const RETENTION_EVERY_MS = BUCKET_1H;
const DAY_MS = 24 * BUCKET_1H;

type Ctx = Pick<ServerContext, 'db' | 'now' | 'bus' | 'log'>;

const floorTo = (t: number, size: number) => Math.floor(t / size) * size;

async function watermark(ctx: Ctx, key: string): Promise<number | null> {
  const row = await selectState(ctx.db.kysely, key);
  return row ? Number(row.value) : null;
}

/** Rolls what is due; returns the new watermarks. */
export async function runRollups(ctx: Ctx): Promise<{ rolled5m: number; rolled1h: number }> {
  const db = ctx.db.kysely;
  const now = ctx.now();
  const end5 = floorTo(now - ROLLUP_GRACE_MS, BUCKET_5M);
  let wm5 = await watermark(ctx, 'rollup5m');
  if (wm5 === null) {
    const oldest = await oldestRawAt(db);
    wm5 = oldest === null ? end5 : Math.min(end5, floorTo(oldest, BUCKET_5M));
  }
  while (wm5 < end5) {
    const to = Math.min(end5, wm5 + MAX_SPAN_MS);
    await rollupRawTo5m(db, { from: wm5, to });
    wm5 = to;
    await upsertState(db, 'rollup5m', String(wm5), now);
  }
  if ((await selectState(db, 'rollup5m')) === undefined) await upsertState(db, 'rollup5m', String(wm5), now);
  // Late samples: their 5-minute buckets again, then their hours.
  await rollupRawTo5m(db, 'dirty');
  await promoteDirty(db);

  const end1 = floorTo(wm5, BUCKET_1H);
  let wm1 = (await watermark(ctx, 'rollup1h')) ?? floorTo(wm5, BUCKET_1H);
  while (wm1 < end1) {
    const to = Math.min(end1, wm1 + MAX_SPAN_MS);
    await rollup5mTo1h(db, { from: wm1, to });
    wm1 = to;
  }
  await upsertState(db, 'rollup1h', String(wm1), now);
  await rollup5mTo1h(db, 'dirty');
  await clearDirtyHours(db);
  return { rolled5m: wm5, rolled1h: wm1 };
}

/** Deletes what is past IT's retention. */
export async function runRetention(ctx: Ctx): Promise<Record<string, number>> {
  const { retention } = await netmonSettings(ctx);
  const now = ctx.now();
  return deleteExpired(ctx.db.kysely, {
    raw: now - retention.rawDays * DAY_MS,
    fiveMinute: now - retention.fiveMinuteDays * DAY_MS,
    hourly: now - retention.hourlyDays * DAY_MS,
  });
}

/** One pass: rollups, retention when due, the fleet grid. */
export async function runNetmonPass(ctx: Ctx, state: { lastRetentionAt: number } = { lastRetentionAt: 0 }) {
  const rollups = await runRollups(ctx);
  let removed: Record<string, number> | null = null;
  if (ctx.now() - state.lastRetentionAt >= RETENTION_EVERY_MS) {
    removed = await runRetention(ctx);
    state.lastRetentionAt = ctx.now();
  }
  await refreshFleet(ctx);
  return { rollups, removed };
}

/** Runs passes every `intervalMs` in the one instance holding the job; returns a stop function. */
export function startNetmonJob(ctx: ServerContext, intervalMs = 60_000): () => Promise<void> {
  const lock = jobLock(ctx.db, 'netmon-rollup', (err) => ctx.log.warn({ err }, 'netmon job lock: connection lost'));
  const state = { lastRetentionAt: 0 };
  let running = false;
  const pass = async () => {
    if (running || !(await lock.held())) return;
    running = true;
    try {
      await runNetmonPass(ctx, state);
    } catch (error) {
      ctx.log.error({ err: error }, 'netmon pass failed');
    } finally {
      running = false;
    }
  };
  void pass();
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await lock.release();
  };
}
