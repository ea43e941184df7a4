import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { createDiagnostics } from '../../src/main/diagnostics';
import { formatBytes } from '../../src/shared/format';
import { openDatabase } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import { createEnrollSecret } from '../../src/server/devices/enroll-secrets';
import { freePort, waitUntilHealthy } from '../../test/helpers/server-process';
import { recreatePgDatabase, seedArticles, seedTickets, WORDS } from './server-seed';
import { percentile, printTable } from './stats';

const SUBMIT_SECONDS = Number(process.env.BENCH_SUBMIT_SECONDS ?? 10);
/** The offered rate of the second submission run: the target's 500/s. */
const RATE = Number(process.env.BENCH_RATE ?? 500);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 10_000);
/** Server process counts to measure submissions with, comma-separated; "auto" is one per core. */
const WORKERS = (process.env.BENCH_WORKERS ?? 'auto,1')
  .split(',')
  .map((w) => w.trim())
  .filter(Boolean);
/** The server entry to run (e.g. another build, to compare two versions under the same load). */
const ENTRY = process.env.BENCH_SERVER_ENTRY ?? 'bin/deskside.js';
const ADMIN = { email: 'bench@example.com', password: 'benchmark-password-123' };

async function startServer(
  databaseUrl: string,
  dataDir: string,
  workers: string,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  // BENCH_NODE_ARGS (e.g. --cpu-prof) profiles the server side.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      ENTRY,
      'server',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
      '--database-url',
      databaseUrl,
      '--workers',
      workers,
    ],
    {
      env: { ...process.env, DESKSIDE_ADMIN_EMAIL: ADMIN.email, DESKSIDE_ADMIN_PASSWORD: ADMIN.password },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(url);
  } catch (error) {
    child.kill();
    throw error;
  }
  return { url, child };
}

/** CPU time (user + system, all threads) of a process and its direct children (cluster workers), from /proc; 0 where unavailable. */
function serverCpuMs(pid: number | undefined): number {
  const stat = (p: string) => {
    try {
      return readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    } catch {
      return [];
    }
  };
  const cpu = (fields: string[]) => ((Number(fields[11]) || 0) + (Number(fields[12]) || 0)) * 10;
  const children = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && stat(p)[1] === String(pid));
  return cpu(stat(String(pid))) + children.reduce((sum, child) => sum + cpu(stat(child)), 0);
}

async function json(url: string, init: RequestInit): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json().catch(() => null), headers: res.headers };
}

/** A fresh database (SQLite file in `dataDir`, or the PostgreSQL database recreated) with an enroll secret. */
async function freshDatabase(
  databaseUrl: string,
  dataDir: string,
): Promise<{ serverDb: string; openUrl: string; secret: string }> {
  const openUrl = databaseUrl.startsWith('postgres') ? databaseUrl : join(dataDir, 'deskside.db');
  const db = openDatabase({ url: openUrl });
  await migrateToLatest(db);
  const { secret } = await createEnrollSecret(db, 'bench', Date.now());
  await db.destroy();
  return { serverDb: databaseUrl.startsWith('postgres') ? databaseUrl : `sqlite:${openUrl}`, openUrl, secret };
}

/**
 * Ticket submissions under load against a running server: one table row, and the CPU line printed.
 * Without `rate` the 32 connections send as fast as the server answers (its capacity; latency is then
 * mostly queueing, 32 ÷ throughput); with `rate` they offer that many requests per second in all,
 * which is how "N submissions/s with p99 under X ms" is checked.
 */
async function benchSubmissions(
  label: string,
  url: string,
  child: ChildProcess,
  secret: string,
  snapshot: object,
  rate?: number,
): Promise<string[]> {
  // Devices and distinct snapshot variants, so deduplication never short-cuts a submission.
  const devices: string[] = [];
  for (let i = 0; i < 20; i++) {
    const r = await json(`${url}/api/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        enrollSecret: secret,
        machineId: `bench-machine-${i}`,
        hostname: `bench-${i}`,
        os: { platform: 'linux', name: 'Debian', version: '12' },
        agentVersion: 'bench',
      }),
    });
    devices.push((r.body as { deviceToken: string }).deviceToken);
  }
  const bodies = Array.from({ length: 500 }, (_, i) =>
    gzipSync(
      JSON.stringify({
        subject: `Printer offline ${i}`,
        description: 'The office printer says offline since this morning.',
        category: 'printing',
        urgency: 'medium',
        impact: 'low',
        requester: { name: 'Bench User', email: 'bench@example.com' },
        snapshot: { ...snapshot, collectedAt: new Date(Date.now() - i * 1000).toISOString() },
      }),
    ),
  );
  let n = 0;
  const keyPrefix = `bench-${label.replace(/[^A-Za-z0-9_-]+/g, '_')}-${Date.now()}`;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const cpuBefore = { server: serverCpuMs(child.pid), bench: process.cpuUsage() };
  const submit = await autocannon({
    url: `${url}/api/v1/tickets`,
    method: 'POST',
    connections: 32,
    duration: SUBMIT_SECONDS,
    ...(rate ? { overallRate: rate } : {}),
    requests: [
      {
        setupRequest: (req) => {
          const i = n++;
          return {
            ...req,
            headers: {
              'content-type': 'application/json',
              'content-encoding': 'gzip',
              authorization: `Bearer ${devices[i % devices.length]}`,
              'idempotency-key': `${keyPrefix}-${i}`,
            },
            body: bodies[i % bodies.length],
          };
        },
      },
    ],
  });
  const ok = submit['2xx'];
  const benchCpu = process.cpuUsage(cpuBefore.bench);
  const serverCpu = serverCpuMs(child.pid) - cpuBefore.server;
  console.log(
    `  ${label}: CPU per submission — server ${(serverCpu / ok).toFixed(2)} ms (all threads), load generator ${((benchCpu.user + benchCpu.system) / 1000 / ok).toFixed(2)} ms; load average before the run ${load}`,
  );
  return [
    `${label}: ticket submissions`,
    `${Math.round(ok / SUBMIT_SECONDS)}/s`,
    `p99 ${submit.latency.p99} ms`,
    `p50 ${submit.latency.p50} ms`,
    `server CPU ${(serverCpu / ok).toFixed(2)} ms/submission`,
    `${submit.non2xx} non-2xx, ${submit.errors} errors`,
  ];
}

/** One database's run: submissions under load for each worker count, then queue and search latency on seeded data. */
async function benchDatabase(
  label: string,
  databaseUrlOf: () => Promise<string>,
  snapshot: object,
): Promise<string[][]> {
  const rows: string[][] = [];
  for (const [index, workers] of WORKERS.entries()) {
    const last = index === WORKERS.length - 1;
    const databaseUrl = await databaseUrlOf();
    const dataDir = await mkdtemp(join(tmpdir(), 'deskside-bench-'));
    const { serverDb, openUrl, secret } = await freshDatabase(databaseUrl, dataDir);
    const { url, child } = await startServer(serverDb, dataDir, workers);
    try {
      rows.push(await benchSubmissions(`${label} --workers ${workers}`, url, child, secret, snapshot));
      rows.push(
        await benchSubmissions(
          `${label} --workers ${workers} at ${RATE}/s offered`,
          url,
          child,
          secret,
          snapshot,
          RATE,
        ),
      );
      if (last) rows.push(...(await benchReads(label, url, openUrl)));
    } finally {
      child.kill('SIGTERM');
      // Wait (at most 10 s) for it to go, so the next run does not share the cores with its shutdown.
      await new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(null);
        const timer = setTimeout(resolve, 10_000);
        child.once('exit', () => resolve(clearTimeout(timer)));
      });
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  return rows;
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

  const login = await fetch(`${url}/api/v1/auth/login`, {
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
  const queue = await timed((i) => (i % 2 ? '/api/v1/tickets?limit=50' : '/api/v1/tickets?limit=50&priority=p1'), 300);
  const search = await timed(
    (i) =>
      `/api/v1/articles/search?q=${encodeURIComponent(`${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]}`)}&limit=20`,
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

/** Help-desk server figures on loopback: SQLite, and PostgreSQL when reachable. */
export async function serverBench(): Promise<void> {
  const diagnostics = createDiagnostics({ name: 'bench', version: '0' });
  const snapshot = await diagnostics.collect({});
  diagnostics.dispose();
  const raw = JSON.stringify(snapshot);
  console.log(
    `\n## Server (snapshot of this machine: ${formatBytes(raw.length)} raw, ${formatBytes(gzipSync(raw).length)} gzipped; ${SUBMIT_SECONDS} s of load, 32 connections)`,
  );
  const rows: string[][] = [['', 'result', '', '', '', '']];
  rows.push(...(await benchDatabase('SQLite', async () => 'sqlite', snapshot)));
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let pgUrl: string | null = null;
  if (process.env.BENCH_PG !== '0')
    try {
      pgUrl = await recreatePgDatabase(adminUrl, 'deskside_bench');
    } catch (error) {
      console.log(`PostgreSQL skipped: ${(error as Error).message} (set DATABASE_URL to a reachable server)`);
    }
  // A fresh database for every worker count, so each run starts from the same state.
  if (pgUrl)
    rows.push(...(await benchDatabase('PostgreSQL', () => recreatePgDatabase(adminUrl, 'deskside_bench'), snapshot)));
  printTable(rows);
  console.log('targets: ≥ 500 submissions/s with p99 < 100 ms on SQLite; queue listing p95 < 30 ms at 100 000 tickets');
}
