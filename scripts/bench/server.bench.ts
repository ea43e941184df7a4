import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { createDiagnostics } from '../../src/main/diagnostics';
import { pathOf, withQuery } from '../../src/shared/api/endpoint-routes';
import { formatBytes } from '../../src/shared/format';
import { openDatabase } from '../../src/server/db/database';
import { prepareSnapshot } from '../../src/server/devices/snapshots.service';
import { pgBackendCpu } from './server-cpu';
import { ADMIN, freshDatabase, startServer, stopServer } from './server-run';
import { recreatePgDatabase, seedArticles, seedTickets, WORDS } from './server-seed';
import { benchSubmissions, enrollDevices, pgRoundTripsPerSubmission, type SubmitResult } from './server-submit';
import { median, percentile, printTable } from './stats';

const SUBMIT_SECONDS = Number(process.env.BENCH_SUBMIT_SECONDS ?? 10);
/** The offered rate of the second submission run: the target's 500/s. */
const RATE = Number(process.env.BENCH_RATE ?? 500);
/**
 * Load sent to each fresh server before anything is measured, as fast as it answers. A server just started
 * spends about twice the CPU per submission for its first 25-30 s under load here (its memory still growing:
 * 15-50 page faults per submission, none once warm); a help desk's server runs for days.
 */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 30);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 10_000);
/** BENCH_READS=0 skips the queue and search measurements (and their seeding), for submission-only runs. */
const READS = process.env.BENCH_READS !== '0';
/** Server process counts to measure submissions with, comma-separated; "auto" is one per core. */
const WORKERS = (process.env.BENCH_WORKERS ?? 'auto,1')
  .split(',')
  .map((w) => w.trim())
  .filter(Boolean);
const PG_DATABASE = 'deskside_bench';

/** A database the server can run on: SQLite, or PostgreSQL recreated for each server start. */
interface Target {
  label: 'SQLite' | 'PostgreSQL';
  databaseUrl: () => Promise<string>;
  /** PostgreSQL only: the admin connection used to read its backends' CPU. */
  adminUrl?: string;
}

/** Both submission runs (as fast as it answers, then RATE offered) on a fresh server once warm; reads too when asked. */
async function benchTarget(
  target: Target,
  workers: string,
  snapshot: object,
  withReads: boolean,
): Promise<{ full: SubmitResult; rated: SubmitResult; reads: string[][] }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'deskside-bench-'));
  const { serverDb, openUrl, secret } = await freshDatabase(await target.databaseUrl(), dataDir);
  const { url, child } = await startServer(serverDb, dataDir, workers);
  try {
    const devices = await enrollDevices(url, secret);
    const { adminUrl } = target;
    const common = {
      url,
      child,
      devices,
      snapshot,
      seconds: SUBMIT_SECONDS,
      ...(adminUrl ? { backendCpu: () => pgBackendCpu(adminUrl, PG_DATABASE) } : { sqliteFile: openUrl }),
    };
    const label = `${target.label} --workers ${workers}`;
    if (WARMUP_SECONDS > 0)
      await benchSubmissions({ ...common, label: `${label} warming up (not in the table)`, seconds: WARMUP_SECONDS });
    const full = await benchSubmissions({ ...common, label });
    const rated = await benchSubmissions({ ...common, label: `${label} at ${RATE}/s offered`, rate: RATE });
    const reads = withReads ? await benchReads(target.label, url, openUrl) : [];
    return { full, rated, reads };
  } finally {
    await stopServer(child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Queue listing and article search latency, one client, after seeding straight into the database. */
async function benchReads(label: string, url: string, openUrl: string): Promise<string[][]> {
  const rows: string[][] = [];
  // Seed the rest straight into the database, then measure single-client latency.
  const seedDb = openDatabase({ url: openUrl });
  await seedTickets(seedDb, TICKETS, Date.now());
  await seedArticles(seedDb, ARTICLES, Date.now());
  // Statistics and (on PostgreSQL) the visibility map a long-running database has from autovacuum;
  // without it PostgreSQL cannot count open tickets from the index alone right after a bulk load.
  await (seedDb.dialect === 'postgres' ? sql`VACUUM ANALYZE` : sql`ANALYZE`).execute(seedDb.kysely);
  await seedDb.destroy();

  const login = await fetch(`${url}${pathOf('login')}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const timed = async (path: (i: number) => string, count: number) => {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const res = await fetch(`${url}${path(i)}`, { headers: { cookie } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${path(i)} → ${res.status}`);
      times.push(performance.now() - started);
    }
    return times;
  };
  const queue = await timed(
    (i) => withQuery(pathOf('listTickets'), i % 2 ? { limit: 50 } : { limit: 50, priority: 'p1' }),
    300,
  );
  const search = await timed(
    (i) =>
      withQuery(pathOf('searchArticles'), {
        q: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]}`,
        limit: 20,
      }),
    300,
  );
  rows.push([
    `${label}: queue listing (${TICKETS.toLocaleString('en')} tickets)`,
    `p95 ${percentile(queue, 95).toFixed(1)} ms`,
    `p50 ${percentile(queue, 50).toFixed(1)} ms`,
    '',
    '',
    '',
  ]);
  rows.push([
    `${label}: article search (${ARTICLES.toLocaleString('en')} articles)`,
    `p95 ${percentile(search, 95).toFixed(1)} ms`,
    `p50 ${percentile(search, 50).toFixed(1)} ms`,
    '',
    '',
    '',
  ]);
  return rows;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const cpuOf = (r: SubmitResult) =>
  r.databaseCpuMs === null
    ? ms(r.serverCpuMs)
    : `${ms(r.serverCpuMs + r.databaseCpuMs)} (${r.databaseCpuMs.toFixed(2)} PG)`;
const failuresOf = (r: SubmitResult) => (r.failures ? ` (${r.failures} failed)` : '');

/** One side-by-side row: SQLite's figures, PostgreSQL's, and PostgreSQL's throughput as a share of SQLite's. */
function sideBySide(label: string, sqlite: SubmitResult, postgres: SubmitResult | undefined): string[] {
  const cells = (r: SubmitResult | undefined) =>
    r ? [`${r.perSecond}/s${failuresOf(r)}`, `${r.p50} ms`, `${r.p99} ms`, cpuOf(r)] : ['-', '-', '-', '-'];
  const ratio = postgres && sqlite.perSecond > 0 ? `${(postgres.perSecond / sqlite.perSecond).toFixed(2)}` : '-';
  return [label, ...cells(sqlite), ...cells(postgres), ratio, `${sqlite.load} / ${postgres?.load ?? '-'}`];
}

/**
 * The fixed work a submission does with its snapshot, timed alone on one thread, median of 200: JSON.parse of
 * the body, then the server's own prepareSnapshot (sanitize, check, canonical JSON, sha256, compression,
 * health). Machines of the same kind differ by up to 2× in it, so figures from different runs compare through it.
 */
async function referenceWorkMs(raw: string): Promise<number> {
  const config = { snapshotLimitBytes: Number.POSITIVE_INFINITY } as Parameters<typeof prepareSnapshot>[0]['config'];
  const times: number[] = [];
  for (let i = 0; i < 220; i++) {
    const start = process.hrtime.bigint();
    await prepareSnapshot({ config }, JSON.parse(raw));
    if (i >= 20) times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

/** Help-desk server figures on loopback: SQLite and PostgreSQL (when reachable) side by side. */
export async function serverBench(): Promise<void> {
  const diagnostics = createDiagnostics({ name: 'bench', version: '0' });
  const snapshot = await diagnostics.collect({});
  diagnostics.dispose();
  const raw = JSON.stringify(snapshot);
  console.log(
    `\n## Server (snapshot of this machine: ${formatBytes(raw.length)} raw, ${formatBytes(gzipSync(raw).length)} gzipped; ${SUBMIT_SECONDS} s of load, 32 connections)`,
  );
  console.log(
    `this machine's speed: a submission's fixed work on its snapshot (parse, then prepareSnapshot) takes ${(await referenceWorkMs(raw)).toFixed(2)} ms on one thread`,
  );
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const targets: Target[] = [{ label: 'SQLite', databaseUrl: async () => 'sqlite' }];
  if (process.env.BENCH_PG !== '0')
    try {
      await recreatePgDatabase(adminUrl, PG_DATABASE);
      // A fresh database for every server start, so each run starts from the same state.
      targets.push({ label: 'PostgreSQL', databaseUrl: () => recreatePgDatabase(adminUrl, PG_DATABASE), adminUrl });
    } catch (error) {
      console.log(`PostgreSQL skipped: ${(error as Error).message} (set DATABASE_URL to a reachable server)`);
    }

  // SQLite and PostgreSQL alternate for each worker count, so both see the machine in the same state.
  const submissions: string[][] = [
    [
      'submissions',
      'SQLite',
      'p50',
      'p99',
      'CPU/sub',
      'PostgreSQL',
      'p50',
      'p99',
      'CPU/sub (of it PG)',
      'PG/SQLite',
      'load',
    ],
  ];
  const reads: string[][] = [['', 'result', '', '', '', '']];
  for (const [index, workers] of WORKERS.entries()) {
    const results = [];
    for (const target of targets)
      results.push(await benchTarget(target, workers, snapshot, READS && index === WORKERS.length - 1));
    const [sqlite, postgres] = results;
    if (!sqlite) continue;
    submissions.push(sideBySide(`--workers ${workers}, as fast as it answers`, sqlite.full, postgres?.full));
    submissions.push(sideBySide(`--workers ${workers}, ${RATE}/s offered`, sqlite.rated, postgres?.rated));
    for (const r of results) reads.push(...r.reads);
  }
  printTable(submissions);
  console.log(
    'CPU/sub: server processes (all threads) per submission; on PostgreSQL plus its backends for the database (not its WAL writer or checkpointer).',
  );
  if (targets.length > 1) {
    const trips = await pgRoundTripsPerSubmission(adminUrl, snapshot);
    console.log(
      `PostgreSQL round trips per submission: ${trips.perSubmission.toFixed(2)} (counted on the wire: ${trips.submissions} submissions, --workers 1, ${trips.connections} connections; device authentication included)`,
    );
  }
  if (reads.length > 1) printTable(reads);
  console.log(
    'targets: ≥ 500 submissions/s with p99 < 100 ms on SQLite and PostgreSQL; queue listing p95 < 30 ms at 100 000 tickets',
  );
}
