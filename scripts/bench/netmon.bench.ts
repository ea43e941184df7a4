// Network monitoring (issue 14) at fleet scale, on PostgreSQL, one server process. Simulated agents that speak
// the real channel protocol (netmon-agents-worker.ts, two generator processes) stay connected and idle for a
// window (the baseline), then each sends a `netmon.batch` (5 targets and its link report) every 60 s, jittered,
// for the same window: the server's and its PostgreSQL backends' CPU, batches acknowledged, ack latency.
// Then: the rollup job over what was ingested; synthetic history (netmon-history.ts) for a subset of devices
// and the whole fleet's last hour; a device's 24 h and 90 d chart and the fleet grid over HTTP as a technician
// (baseline: GET a device); storage per device per day of each table.
// BENCH_ONLY=netmon runs it alone. BENCH_NETMON_AGENTS (default 10000), BENCH_NETMON_WINDOW_S (180, each of the
// idle and the ingest windows), BENCH_NETMON_WARMUP_S (60), BENCH_NETMON_HISTORY_DEVICES (200),
// BENCH_NETMON_QUERIES (200) change the scale.
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { createStaff } from '../../src/server/auth/staff.service';
import { openDatabase, type Db } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import { EventBus } from '../../src/server/events/event-bus';
import { computeFleet } from '../../src/server/netmon/netmon-query.service';
import { runRollups } from '../../src/server/netmon/netmon-rollup.job';
import { BUCKET_1H } from '../../src/server/netmon/netmon.repo';
import { pathOf, withQuery } from '../../src/shared/api/endpoint-routes';
import { formatBytes } from '../../src/shared/format';
import { seedBenchDevices, staffSession } from './bench-fleet';
import type { NetmonWorkerReport } from './netmon-agents-worker';
import { benchAlertEvaluation } from './netmon-alerts-bench';
import { backfillHistory, backfillRaw, BENCH_TARGETS, sourceIdsOf } from './netmon-history';
import { pgBackendCpu, processCpuMs, serverCpuMs } from './server-cpu';
import { startServer, stopServer } from './server-run';
import { recreatePgDatabase } from './server-seed';
import { median, percentile, printTable } from './stats';

const AGENTS = Number(process.env.BENCH_NETMON_AGENTS ?? 10_000);
const WINDOW_S = Number(process.env.BENCH_NETMON_WINDOW_S ?? 180);
const WARMUP_S = Number(process.env.BENCH_NETMON_WARMUP_S ?? 60);
const INTERVAL_MS = 60_000;
const HISTORY_DEVICES = Math.min(AGENTS, Number(process.env.BENCH_NETMON_HISTORY_DEVICES ?? 200));
const HISTORY_DAYS = 90;
const FIVE_MINUTE_DAYS = 7;
const QUERIES = Number(process.env.BENCH_NETMON_QUERIES ?? 200);
const SITES = 50;
const GENERATORS = 2;
const TECH = { email: 'tech@bench.example', password: 'bench-technician-password' };

/** Goals of issue 14. */
const GOAL = {
  cpuPerThousandPct: 10,
  chart24hP95Ms: 50,
  chart90dP95Ms: 150,
  fleetP95Ms: 300,
  rollupsPerDeviceDayKb: 200,
} as const;

type Row = string[];
const noop = () => {};
const SILENT = {
  level: 'silent',
  info: noop,
  warn: noop,
  error: noop,
  debug: noop,
  trace: noop,
  fatal: noop,
  silent: noop,
  child: () => SILENT,
} as unknown as FastifyBaseLogger;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (cpuMs: number, wallMs: number) => (cpuMs / wallMs) * 100;
const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
const met = (ok: boolean) => (ok ? 'met' : 'not met');
const started = Date.now();
/** Progress on stderr (a full run takes a while). */
const step = (what: string) =>
  process.stderr.write(`netmon bench +${((Date.now() - started) / 1000).toFixed(0)} s: ${what}\n`);

/** CPU of PostgreSQL's shared background processes (checkpointer, background writer, WAL writer): shared with every database of the cluster. */
function pgBackgroundCpuMs(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (/postgres: .*(checkpointer|background writer|walwriter)/.test(cmd)) total += processCpuMs(Number(pid));
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}

class Generators {
  private readonly children: ChildProcess[] = [];
  static async start(count: number): Promise<Generators> {
    const g = new Generators();
    for (let i = 0; i < count; i++) {
      const child = fork('scripts/bench/netmon-agents-worker.ts', [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      await new Promise<void>((resolve) => child.once('message', () => resolve()));
      g.children.push(child);
    }
    return g;
  }
  cpuMs(): number {
    return this.children.reduce((n, c) => n + processCpuMs(c.pid), 0);
  }
  connect(url: string, tokens: string[]): void {
    const per = Math.ceil(tokens.length / this.children.length);
    this.children.forEach((child, i) =>
      child.send({
        start: { url, tokens: tokens.slice(i * per, (i + 1) * per), offset: i * per, concurrency: 250, sites: SITES },
      }),
    );
  }
  netmon(on: boolean): void {
    for (const child of this.children) child.send({ netmon: on ? { intervalMs: INTERVAL_MS } : false });
  }
  async report(reset = false): Promise<NetmonWorkerReport> {
    const reports = await Promise.all(
      this.children.map(
        (child) =>
          new Promise<NetmonWorkerReport>((resolve) => {
            child.once('message', (m) => resolve(m as NetmonWorkerReport));
            child.send({ report: true, ...(reset ? { reset: true } : {}) });
          }),
      ),
    );
    const sum = (k: Exclude<keyof NetmonWorkerReport, 'latencies'>) => reports.reduce((n, r) => n + r[k], 0);
    return {
      live: sum('live'),
      refused: sum('refused'),
      configs: sum('configs'),
      sent: sum('sent'),
      acked: sum('acked'),
      offline: sum('offline'),
      rss: sum('rss'),
      latencies: reports.flatMap((r) => r.latencies),
    };
  }
  async until(count: number, timeoutMs: number): Promise<number> {
    const started = performance.now();
    while (performance.now() - started < timeoutMs) {
      if ((await this.report()).live >= count) return performance.now() - started;
      await sleep(250);
    }
    throw new Error(`only ${(await this.report()).live} of ${count} agents connected`);
  }
  stop(): void {
    for (const child of this.children) child.kill();
  }
}

interface CpuWindow {
  wallMs: number;
  serverMs: number;
  backendsMs: number;
  backgroundMs: number;
  generatorsMs: number;
}

/** CPU of the server, its database's backends, PostgreSQL's background processes and the generators over `seconds`. */
async function cpuOver(
  seconds: number,
  serverPid: number | undefined,
  adminUrl: string,
  name: string,
  generators: Generators,
): Promise<CpuWindow> {
  const backends = await pgBackendCpu(adminUrl, name);
  const s0 = serverCpuMs(serverPid);
  const b0 = pgBackgroundCpuMs();
  const g0 = generators.cpuMs();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const wallMs = performance.now() - t0;
  const result = {
    wallMs,
    serverMs: serverCpuMs(serverPid) - s0,
    backendsMs: await backends.sinceStart(),
    backgroundMs: pgBackgroundCpuMs() - b0,
    generatorsMs: generators.cpuMs() - g0,
  };
  await backends.close();
  return result;
}

/** Device `i`'s id (a UUID, as enrollment makes them, that says its index). */
const deviceIdOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Times `count` GETs one at a time (after a few unmeasured), each path from `pathOf(i)`; throws on a non-200. */
async function timeGets(url: string, headers: Record<string, string>, count: number, pathAt: (i: number) => string) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = -5; i < count; i++) {
    const t = performance.now();
    const res = await fetch(`${url}${pathAt(i)}`, { headers });
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET ${pathAt(i)}: ${res.status} ${Buffer.from(body).toString()}`);
    if (i >= 0) {
      times.push(performance.now() - t);
      bytes += body.byteLength;
    }
  }
  return { p50: median(times), p95: percentile(times, 95), bytes: bytes / count };
}

/** Rows and total size (heap, indexes, TOAST) of each network-monitoring table. */
async function tableSizes(db: Db): Promise<Map<string, { rows: number; bytes: number }>> {
  const out = new Map<string, { rows: number; bytes: number }>();
  for (const table of [
    'netmon_samples',
    'netmon_links',
    'netmon_samples_5m',
    'netmon_links_5m',
    'netmon_samples_1h',
    'netmon_links_1h',
  ]) {
    await sql`vacuum analyze ${sql.table(table)}`.execute(db.kysely);
    const { rows } = await sql<{
      n: string;
      size: string;
    }>`select (select count(*) from ${sql.table(table)}) as n, pg_total_relation_size(${table}) as size`.execute(
      db.kysely,
    );
    out.set(table, { rows: Number(rows[0]?.n ?? 0), bytes: Number(rows[0]?.size ?? 0) });
  }
  return out;
}

export async function benchNetmon(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = 'deskside_bench_netmon';
  let dbUrl: string;
  try {
    dbUrl = await recreatePgDatabase(adminUrl, name);
  } catch (error) {
    console.log(
      `\n## Network monitoring\n\nskipped: ${(error as Error).message} (set DATABASE_URL to a reachable PostgreSQL)`,
    );
    return;
  }
  const setup = openDatabase({ url: dbUrl });
  await migrateToLatest(setup);
  await createStaff(
    setup,
    { email: TECH.email, name: 'Bench Technician', role: 'technician', password: TECH.password, group: null },
    Date.now(),
  );
  const tokens = await seedBenchDevices(setup, AGENTS, 'nm', deviceIdOf);
  await setup.destroy();
  const deviceIds = tokens.map((_, i) => deviceIdOf(i));
  const dataDir = await mkdtemp(join(tmpdir(), 'deskside-bench-netmon-'));
  const rows: Row[] = [['', 'figure', 'baseline', 'ratio', 'goal', '']];
  const notes: string[] = [];
  let server = await startServer(dbUrl, dataDir, '1');
  const generators = await Generators.start(GENERATORS);
  let db: Db | null = null;
  try {
    step('connecting the agents');
    // 1. Sustained ingest, against the same fleet connected and idle.
    generators.connect(server.url, tokens);
    const connectMs = await generators.until(AGENTS, 600_000);
    notes.push(`${AGENTS} agents connected in ${(connectMs / 1000).toFixed(0)} s`);
    await sleep(5000);
    step('idle window');
    const idle = await cpuOver(WINDOW_S, server.child.pid, adminUrl, name, generators);
    step('ingest: warm-up, then the window');
    generators.netmon(true);
    await sleep(WARMUP_S * 1000);
    await generators.report(true);
    const busy = await cpuOver(WINDOW_S, server.child.pid, adminUrl, name, generators);
    generators.netmon(false);
    await sleep(15_000);
    const sent = await generators.report();
    const loadDuring = loadavg()[0]!;

    const per1000 = (w: CpuWindow, cpu: number) => (pct(cpu, w.wallMs) / AGENTS) * 1000;
    const batchesPerS = sent.sent / (busy.wallMs / 1000);
    rows.push([
      `ingest: ${AGENTS} agents × 5 targets every ${INTERVAL_MS / 1000} s, ${WINDOW_S} s window (baseline: idle, pings only)`,
      `${batchesPerS.toFixed(0)} batches/s`,
      '',
      '',
      '',
      '',
    ]);
    const serverPer1000 = per1000(busy, busy.serverMs);
    rows.push([
      '  server process CPU, % of one core (per 1,000 agents)',
      `${pct(busy.serverMs, busy.wallMs).toFixed(1)}% (${serverPer1000.toFixed(2)}%)`,
      `${pct(idle.serverMs, idle.wallMs).toFixed(1)}% (${per1000(idle, idle.serverMs).toFixed(2)}%)`,
      `${(busy.serverMs / busy.wallMs / Math.max(idle.serverMs / idle.wallMs, 1e-6)).toFixed(1)}×`,
      `< ${GOAL.cpuPerThousandPct}% per 1,000`,
      met(serverPer1000 < GOAL.cpuPerThousandPct),
    ]);
    const bothPer1000 = per1000(busy, busy.serverMs + busy.backendsMs);
    rows.push([
      '  server + its PostgreSQL backends (per 1,000 agents)',
      `${pct(busy.serverMs + busy.backendsMs, busy.wallMs).toFixed(1)}% (${bothPer1000.toFixed(2)}%)`,
      `${pct(idle.serverMs + idle.backendsMs, idle.wallMs).toFixed(1)}% (${per1000(idle, idle.serverMs + idle.backendsMs).toFixed(2)}%)`,
      '',
      `< ${GOAL.cpuPerThousandPct}% per 1,000`,
      met(bothPer1000 < GOAL.cpuPerThousandPct),
    ]);
    const share = per1000(busy, busy.serverMs + busy.backendsMs) - per1000(idle, idle.serverMs + idle.backendsMs);
    rows.push([
      "  ingest's own share (the window less the idle baseline), server + backends, per 1,000 agents",
      `${share.toFixed(2)}%`,
      '',
      '',
      '',
      '',
    ]);
    rows.push([
      '  PostgreSQL checkpointer + bgwriter + WAL writer (shared with other databases)',
      `${pct(busy.backgroundMs, busy.wallMs).toFixed(1)}%`,
      `${pct(idle.backgroundMs, idle.wallMs).toFixed(1)}%`,
      '',
      '',
      '',
    ]);
    rows.push([
      '  the agent generators (2 processes, same machine)',
      `${pct(busy.generatorsMs, busy.wallMs).toFixed(1)}%`,
      `${pct(idle.generatorsMs, idle.wallMs).toFixed(1)}%`,
      '',
      '',
      '',
    ]);
    rows.push([
      '  batches acknowledged / sent (cycles an agent was offline)',
      `${sent.acked} / ${sent.sent} (${sent.offline})`,
      '',
      '',
      'all',
      met(sent.acked === sent.sent && sent.sent > 0),
    ]);
    rows.push([
      '  ack latency p50 / p99',
      `${ms(median(sent.latencies))} / ${ms(percentile(sent.latencies, 99))}`,
      '',
      '',
      '',
      '',
    ]);

    // 2. The rollup job over what was ingested: the server stops (its own job would race), the watermarks go
    //    back, and one pass rolls it all with a clock past the grace.
    generators.stop();
    await stopServer(server.child);
    db = openDatabase({ url: dbUrl });
    const ingested = Number(
      (await sql<{ n: string }>`select count(*) as n from netmon_samples`.execute(db.kysely)).rows[0]?.n ?? 0,
    );
    const span = (
      await sql<{ lo: string; hi: string }>`select min(at) as lo, max(at) as hi from netmon_samples`.execute(db.kysely)
    ).rows[0];
    const minutes = (Number(span?.hi ?? 0) - Number(span?.lo ?? 0)) / 60_000;
    await sql`delete from netmon_state where key in ('rollup5m', 'rollup1h')`.execute(db.kysely);
    for (const table of ['netmon_samples_5m', 'netmon_samples_1h', 'netmon_links_5m', 'netmon_links_1h'])
      await sql`delete from ${sql.table(table)}`.execute(db.kysely);
    const bus = new EventBus();
    const ctx = { db, now: () => Date.now() + 10 * 60_000, bus, log: SILENT };
    step('rollup pass');
    let t = performance.now();
    await runRollups(ctx);
    const rollupMs = performance.now() - t;
    const rolled = Number(
      (await sql<{ n: string }>`select coalesce(sum(samples), 0) as n from netmon_samples_5m`.execute(db.kysely))
        .rows[0]?.n ?? 0,
    );
    rows.push([
      `rollup job, one pass over the ingest (${rolled} of ${ingested} samples, ${minutes.toFixed(1)} min of the fleet)`,
      `${(rollupMs / 1000).toFixed(2)} s`,
      '',
      '',
      '',
      '',
    ]);
    rows.push([
      '  per 5-minute bucket of the whole fleet (what a pass rolls every 5 min)',
      `${(((rollupMs / Math.max(minutes, 1)) * 5) / 1000).toFixed(2)} s`,
      '',
      '',
      '< 60 s',
      met((rollupMs / Math.max(minutes, 1)) * 5 < 60_000),
    ]);

    step('history');
    // 3. History: a subset of devices with 90 days, the whole fleet's last hour.
    const now = Date.now();
    const historyDeviceIds = deviceIds
      .filter((_, i) => i % Math.floor(AGENTS / HISTORY_DEVICES) === 0)
      .slice(0, HISTORY_DEVICES);
    const sources = await sourceIdsOf(db, deviceIds);
    const historySources = historyDeviceIds.map((id) => sources.get(id)!);
    t = performance.now();
    const history = await backfillHistory(db, historySources, now, HISTORY_DAYS, FIVE_MINUTE_DAYS);
    notes.push(
      `history: ${HISTORY_DEVICES} devices × ${HISTORY_DAYS} d in ${((performance.now() - t) / 1000).toFixed(0)} s; the server's rollup code rolled their last day (${history.rawRows} raw samples) into 5-minute rows in ${(history.rollup5mMs / 1000).toFixed(2)} s, and ${FIVE_MINUTE_DAYS} d of 5-minute rows into hours in ${(history.rollup1hMs / 1000).toFixed(2)} s`,
    );
    const others = deviceIds.filter((id) => !historyDeviceIds.includes(id)).map((id) => sources.get(id)!);
    t = performance.now();
    await backfillRaw(db, others, now - BUCKET_1H, now, 10 * 60_000);
    notes.push(
      `the other ${others.length} devices' last hour (${others.length * 60 * BENCH_TARGETS.length} samples) in ${((performance.now() - t) / 1000).toFixed(0)} s`,
    );
    // Each device at a site (as its link report would have put it).
    await sql`
      insert into netmon_device_links (device_id, source_id, at, link, subnet, ssid, site)
      select s.key, s.id, ${now}, '{}', '10.' || (right(s.key, 12)::bigint % ${SITES}) || '.0.0/24', 'corp',
        'subnet:10.' || (right(s.key, 12)::bigint % ${SITES}) || '.0.0/24'
      from netmon_sources s where s.kind = 'device'
      on conflict (device_id) do nothing`.execute(db.kysely);
    t = performance.now();
    const fleet = await computeFleet(ctx);
    const fleetComputeMs = performance.now() - t;

    // The alert engine's evaluation pass over the same data (netmon-alerts-bench.ts), while the server is down
    // (its own alerts job would race); the rules are then switched off so that job does not load the reads.
    step('alert evaluation');
    const alertRows = await benchAlertEvaluation(db, deviceIds);
    await sql`update netmon_alert_rules set enabled = 0`.execute(db.kysely);

    step('reads');
    // 4. The reads, over HTTP, as a technician.
    server = await startServer(dbUrl, dataDir, '1');
    const staff = await staffSession(server.url, TECH);
    // The server's job makes its first pass at start (the fleet grid over the last 15 min): let it finish.
    const restarted = Date.now();
    for (let i = 0; i < 120; i++) {
      const res = await fetch(`${server.url}${pathOf('getNetmonFleet')}`, { headers: staff });
      if (res.status === 200 && ((await res.json()) as { computedAt: number }).computedAt >= restarted) break;
      await sleep(1000);
    }
    const pick = (i: number, ids: string[]) => ids[(((i * 7919 + 13) % ids.length) + ids.length) % ids.length]!;
    const device = await timeGets(server.url, staff, QUERIES, (i) =>
      pathOf('getDevice', { id: pick(i, historyDeviceIds) }),
    );
    const chart = (window: string) => (i: number) =>
      withQuery(pathOf('getDeviceNetmon', { id: pick(i, historyDeviceIds) }), { window });
    const day = await timeGets(server.url, staff, QUERIES, chart('24h'));
    const quarter = await timeGets(server.url, staff, QUERIES, chart('90d'));
    const grid = await timeGets(server.url, staff, QUERIES, () => pathOf('getNetmonFleet'));
    const baseline = `${ms(device.p50)} / ${ms(device.p95)}`;
    rows.push([
      `reads over HTTP as a technician, p50 / p95 of ${QUERIES} (baseline: GET a device)`,
      '',
      '',
      '',
      '',
      '',
    ]);
    rows.push([
      `  a device's 24 h chart (5-minute rollups; ${formatBytes(day.bytes)})`,
      `${ms(day.p50)} / ${ms(day.p95)}`,
      baseline,
      `${(day.p95 / device.p95).toFixed(1)}×`,
      `p95 < ${GOAL.chart24hP95Ms} ms`,
      met(day.p95 < GOAL.chart24hP95Ms),
    ]);
    rows.push([
      `  a device's 90 d chart (6-hour points merged from hourly rollups; ${formatBytes(quarter.bytes)})`,
      `${ms(quarter.p50)} / ${ms(quarter.p95)}`,
      baseline,
      `${(quarter.p95 / device.p95).toFixed(1)}×`,
      `p95 < ${GOAL.chart90dP95Ms} ms`,
      met(quarter.p95 < GOAL.chart90dP95Ms),
    ]);
    rows.push([
      `  the fleet view (${fleet.cells.length} cells; as the job last computed it)`,
      `${ms(grid.p50)} / ${ms(grid.p95)}`,
      baseline,
      `${(grid.p95 / device.p95).toFixed(1)}×`,
      `p95 < ${GOAL.fleetP95Ms} ms`,
      met(grid.p95 < GOAL.fleetP95Ms),
    ]);
    rows.push([
      `  computing the fleet grid (the job each minute; a GET when it is over 2 min old): ${AGENTS} devices' last 15 min`,
      ms(fleetComputeMs),
      '',
      '',
      `< ${GOAL.fleetP95Ms} ms`,
      met(fleetComputeMs < GOAL.fleetP95Ms),
    ]);

    step('storage');
    // 5. Storage per device per day: each table's size per row, times its rows per device-day at 5 targets a minute.
    const sizes = await tableSizes(db);
    const perDay: Record<string, number> = {
      netmon_samples: BENCH_TARGETS.length * 1440,
      netmon_links: 1440,
      netmon_samples_5m: BENCH_TARGETS.length * 288,
      netmon_links_5m: 288,
      netmon_samples_1h: BENCH_TARGETS.length * 24,
      netmon_links_1h: 24,
    };
    const kbPerDay = (table: string) => {
      const s = sizes.get(table)!;
      return s.rows ? ((s.bytes / s.rows) * perDay[table]!) / 1024 : 0;
    };
    const detail = (tables: string[]) =>
      tables
        .map((table) => {
          const s = sizes.get(table)!;
          return `${table.replace('netmon_', '')} ${kbPerDay(table).toFixed(0)} KB (${(s.bytes / Math.max(s.rows, 1)).toFixed(0)} B/row)`;
        })
        .join(', ');
    const raw = kbPerDay('netmon_samples') + kbPerDay('netmon_links');
    const rollups = ['netmon_samples_5m', 'netmon_links_5m', 'netmon_samples_1h', 'netmon_links_1h'].reduce(
      (n, table) => n + kbPerDay(table),
      0,
    );
    rows.push(['storage per device per day (table size ÷ rows × rows per device-day)', '', '', '', '', '']);
    rows.push([
      `  rollups: ${detail(['netmon_samples_5m', 'netmon_links_5m', 'netmon_samples_1h', 'netmon_links_1h'])}`,
      `${rollups.toFixed(0)} KB`,
      '',
      '',
      `≤ ${GOAL.rollupsPerDeviceDayKb} KB`,
      met(rollups <= GOAL.rollupsPerDeviceDayKb),
    ]);
    const samplesRollups = kbPerDay('netmon_samples_5m') + kbPerDay('netmon_samples_1h');
    rows.push([
      '  of which samples only (5-minute + hourly, no link rollups)',
      `${samplesRollups.toFixed(0)} KB`,
      '',
      '',
      `≤ ${GOAL.rollupsPerDeviceDayKb} KB`,
      met(samplesRollups <= GOAL.rollupsPerDeviceDayKb),
    ]);
    rows.push([
      `  raw (kept 7 d): ${detail(['netmon_samples', 'netmon_links'])}`,
      `${raw.toFixed(0)} KB`,
      '',
      '',
      '',
      '',
    ]);
    // What a device keeps at the default retention (7 d raw, 90 d 5-minute, 2 y hourly).
    const kept =
      7 * raw +
      90 * (kbPerDay('netmon_samples_5m') + kbPerDay('netmon_links_5m')) +
      730 * (kbPerDay('netmon_samples_1h') + kbPerDay('netmon_links_1h'));
    rows.push([
      '  kept per device at the default retention (7 d raw, 90 d 5-minute, 2 y hourly); 10,000 devices',
      `${(kept / 1024).toFixed(0)} MB; ${((kept * 10_000) / 1024 ** 2).toFixed(0)} GB`,
      '',
      '',
      '',
      '',
    ]);
    const total = [...sizes.values()].reduce((n, s) => n + s.bytes, 0);
    notes.push(
      `netmon tables ${formatBytes(total)} in all: ${[...sizes].map(([table, s]) => `${table} ${s.rows} rows ${formatBytes(s.bytes)}`).join(', ')}`,
    );

    rows.push(...alertRows);
    notes.push(
      `load average during the ingest window ${loadDuring.toFixed(2)}, at the end ${loadavg()[0]!.toFixed(2)} (2 cores)`,
    );
  } finally {
    generators.stop();
    await stopServer(server.child);
    await db?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
  console.log(`\n## Network monitoring (PostgreSQL, one server process, simulated agents on the real protocol)\n`);
  printTable(rows);
  console.log('');
  for (const note of notes) console.log(`- ${note}`);
}
