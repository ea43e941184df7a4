// The live channel at fleet scale, on PostgreSQL, one server process: simulated agents that speak the real
// protocol (channel-agents-worker.ts, two generator processes) connect, idle, receive replies, and live
// through a server restart; today's long poll is measured beside it, stepping up its scale until it no
// longer holds (an error, a reply not received, or reply p99 over LONG_POLL_HOLDS_P99_MS).
// BENCH_ONLY=channel runs it alone; BENCH_CHANNEL_AGENTS (default 10000), BENCH_LONGPOLL_STEPS
// (1000,2000,4000,8000), BENCH_CHANNEL_IDLE_S (60) change the scale.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pathOf, withQuery } from '../../src/shared/api/endpoint-routes';
import { openDatabase } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import { formatBytes } from '../../src/shared/format';
import { seedBenchDevices, staffSession } from './bench-fleet';
import { ADMIN, json, startServer, stopServer } from './server-run';
import { recreatePgDatabase } from './server-seed';
import { median, percentile, printTable, rssOf } from './stats';

const AGENTS = Number(process.env.BENCH_CHANNEL_AGENTS ?? 10_000);
const LONG_POLL_STEPS = (process.env.BENCH_LONGPOLL_STEPS ?? '1000,2000,4000,8000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0 && n <= AGENTS);
/** The long poll re-reads each waiting agent's updates every second: a reply later than 2 s is a poll not keeping up. */
const LONG_POLL_HOLDS_P99_MS = 2_000;
const IDLE_S = Number(process.env.BENCH_CHANNEL_IDLE_S ?? 60);
/** 1% of the fleet has an open ticket a technician answers. */
const ACTIVE_SHARE = 0.01;
const REPLIES = 300;
const REPLIES_PER_SECOND = 20;
const GENERATORS = 2;
/** How long PostgreSQL may take to report an idle backend's counts (PGSTAT_IDLE_INTERVAL is 10 s). */
const STATS_FLUSH_MS = 11_000;

interface Report {
  live: number;
  refused503: number;
  refused1013: number;
  other5xx: number;
  /** HTTP 5xx answers to upgrades, by status. */
  statuses: Record<string, number>;
  latencies: number[];
  rss: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Committed transactions in the database so far (pg_stat_database; flushed by the stats collector). */
async function commits(adminUrl: string, name: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('select pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ n: string }>(
      'select xact_commit as n from pg_stat_database where datname = $1',
      [name],
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/** The fleet's devices with known tokens (bench-fleet.ts), on their own connection. */
async function seedDevices(url: string, count: number, prefix: string): Promise<string[]> {
  const db = openDatabase({ url });
  try {
    return await seedBenchDevices(db, count, prefix);
  } finally {
    await db.destroy();
  }
}

/** Files one ticket per token through the API; returns the ticket ids. */
async function fileTickets(url: string, tokens: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, token] of tokens.entries()) {
    const res = await json(`${url}${pathOf('createTicket')}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': `bench-chan-${i}-xxxxxxxx`,
      },
      body: JSON.stringify({ subject: `VPN drops ${i}`, category: 'network', urgency: 'medium' }),
    });
    if (res.status !== 201) throw new Error(`filing a ticket: ${res.status} ${JSON.stringify(res.body)}`);
    ids.push((res.body as { id: number }).id);
  }
  return ids;
}

async function staffHeaders(url: string): Promise<Record<string, string>> {
  return { ...(await staffSession(url, ADMIN)), 'content-type': 'application/json' };
}

/** Posts `count` replies spread over the tickets at `perSecond`. */
async function reply(url: string, staff: Record<string, string>, tickets: number[], count: number, perSecond: number) {
  const started = performance.now();
  const posts: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    posts.push(
      json(`${url}${pathOf('postMessage', { id: tickets[i % tickets.length]! })}`, {
        method: 'POST',
        headers: staff,
        body: JSON.stringify({ body: `Try this (${i})` }),
      }),
    );
  }
  await Promise.all(posts);
}

class Generators {
  private readonly children: ChildProcess[] = [];
  static async start(count: number): Promise<Generators> {
    const g = new Generators();
    for (let i = 0; i < count; i++) {
      const child = fork('scripts/bench/channel-agents-worker.ts', [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      await new Promise<void>((resolve) => child.once('message', () => resolve()));
      g.children.push(child);
    }
    return g;
  }
  start(url: string, tokens: string[], concurrency: number): void {
    this.children.forEach((child, i) =>
      child.send({
        start: {
          url,
          tokens: tokens.filter((_, j) => j % this.children.length === i),
          concurrency: Math.ceil(concurrency / this.children.length),
        },
      }),
    );
  }
  async report(reset = false): Promise<Report> {
    const reports = await Promise.all(
      this.children.map(
        (child) =>
          new Promise<Report>((resolve) => {
            child.once('message', (m) => resolve(m as Report));
            child.send({ report: true, ...(reset ? { resetLatencies: true } : {}) });
          }),
      ),
    );
    return {
      live: reports.reduce((n, r) => n + r.live, 0),
      refused503: reports.reduce((n, r) => n + r.refused503, 0),
      refused1013: reports.reduce((n, r) => n + r.refused1013, 0),
      other5xx: reports.reduce((n, r) => n + r.other5xx, 0),
      statuses: reports.reduce<Record<string, number>>((all, r) => {
        for (const [k, v] of Object.entries(r.statuses)) all[k] = (all[k] ?? 0) + v;
        return all;
      }, {}),
      latencies: reports.flatMap((r) => r.latencies),
      rss: reports.reduce((n, r) => n + r.rss, 0),
    };
  }
  /** Resolves when `count` agents are live; returns the time it took. */
  async until(count: number, timeoutMs: number): Promise<number> {
    const started = performance.now();
    while (performance.now() - started < timeoutMs) {
      if ((await this.report()).live >= count) return performance.now() - started;
      await sleep(100);
    }
    return Number.NaN;
  }
  stop(): void {
    for (const child of this.children) child.kill();
  }
}

/** Long-polling agents (today's fallback): each loops GET /tickets/updates?wait=25 on its own keep-alive socket. */
function longPollers(url: string, tokens: string[], cursor: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const latencies: number[] = [];
  let stopped = false;
  let errors = 0;
  const poll = (token: string, after: number) => {
    if (stopped) return;
    const req = request(
      `${url}${withQuery(pathOf('ticketUpdates'), { after, wait: 25 })}`,
      { agent, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          if (res.statusCode !== 200) {
            errors++;
            return setTimeout(() => poll(token, after), 1000);
          }
          const answer = JSON.parse(body) as { messages: { createdAt: string }[]; cursor: number };
          const now = Date.now();
          for (const m of answer.messages) latencies.push(now - Date.parse(m.createdAt));
          poll(token, answer.cursor);
        });
      },
    );
    req.on('error', () => {
      errors++;
      if (!stopped) setTimeout(() => poll(token, after), 1000);
    });
    req.end();
  };
  for (const token of tokens) poll(token, cursor);
  return {
    latencies,
    errors: () => errors,
    stop() {
      stopped = true;
      agent.destroy();
    },
  };
}

export async function benchChannel(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = 'deskside_bench_channel';
  let dbUrl: string;
  try {
    dbUrl = await recreatePgDatabase(adminUrl, name);
  } catch (error) {
    console.log(
      `\n## Live channel\n\nskipped: ${(error as Error).message} (set DATABASE_URL to a reachable PostgreSQL)`,
    );
    return;
  }
  const migrating = openDatabase({ url: dbUrl });
  await migrateToLatest(migrating);
  await migrating.destroy();
  const tokens = await seedDevices(dbUrl, AGENTS, 'chan');
  const dataDir = await mkdtemp(join(tmpdir(), 'deskside-bench-channel-'));
  const rows: string[][] = [['', 'value', 'target']];
  let server = await startServer(dbUrl, dataDir, '1');
  const port = Number(new URL(server.url).port);
  const generators = await Generators.start(GENERATORS);
  const active = tokens.filter((_, i) => i % Math.round(1 / ACTIVE_SHARE) === 0);
  try {
    const tickets = await fileTickets(server.url, active);
    const staff = await staffHeaders(server.url);
    const rssBefore = rssOf(server.child.pid!);

    // Connect the fleet.
    generators.start(server.url, tokens, 500);
    const connectMs = await generators.until(AGENTS, 300_000);
    await sleep(2000);
    const rssConnected = rssOf(server.child.pid!);
    const afterConnect = await generators.report();
    rows.push([`${AGENTS} agents: all connected after`, `${(connectMs / 1000).toFixed(1)} s`, '']);
    rows.push([
      '  server RSS connected (before agents)',
      `${formatBytes(rssConnected)} (${formatBytes(rssBefore)})`,
      '≤ 1.5 GB',
    ]);
    rows.push(['  memory per connection', formatBytes((rssConnected - rssBefore) / AGENTS), '']);
    rows.push([
      '  told to come back later by admission (close 1013, then retried)',
      String(afterConnect.refused1013),
      '',
    ]);

    // Idle: what the database pays for a connected fleet that does nothing. PostgreSQL's backends report
    // their counts to pg_stat_database up to 10 s after going idle (PGSTAT_IDLE_INTERVAL), so the window
    // starts after that much quiet, and its end is read that much after it, still idle.
    await sleep(STATS_FLUSH_MS);
    const c0 = await commits(adminUrl, name);
    await sleep(IDLE_S * 1000 + STATS_FLUSH_MS);
    const c1 = await commits(adminUrl, name);
    const windowS = IDLE_S + STATS_FLUSH_MS / 1000;
    const perHundredPerMinute = ((c1 - c0) / (AGENTS / 100)) * (60 / windowS);
    rows.push([
      `idle ${windowS} s: database transactions per 100 agents per minute`,
      `${perHundredPerMinute.toFixed(2)} (${c1 - c0} in all)`,
      '≤ 1',
    ]);

    // 1% active: technicians answer tickets; each reply reaches its agent.
    await generators.report(true);
    await reply(server.url, staff, tickets, REPLIES, REPLIES_PER_SECOND);
    await sleep(2000);
    const replies = (await generators.report(true)).latencies;
    rows.push([
      `${REPLIES} replies at ${REPLIES_PER_SECOND}/s, ${AGENTS} connected: staff reply → agent p50 / p99`,
      `${median(replies).toFixed(0)} ms / ${percentile(replies, 99).toFixed(0)} ms (${replies.length} received)`,
      'p99 < 1 s',
    ]);

    // Restart under the whole fleet.
    const before5xx = await generators.report();
    await stopServer(server.child);
    const restarted = performance.now();
    server = await startServer(dbUrl, dataDir, '1', port);
    const reconnectMs = (await generators.until(AGENTS, 300_000)) + 0;
    const after5xx = await generators.report();
    rows.push([
      `server restart: all ${AGENTS} connected again after`,
      `${((performance.now() - restarted) / 1000).toFixed(1)} s (healthy + ${(reconnectMs / 1000).toFixed(1)} s)`,
      '< 60 s',
    ]);
    rows.push([
      '  during it: admission closes (1013, come back later) / HTTP 5xx answers (statuses: whole run)',
      `${after5xx.refused1013 - before5xx.refused1013} / ${after5xx.refused503 + after5xx.other5xx - before5xx.refused503 - before5xx.other5xx} ${JSON.stringify(after5xx.statuses)}`,
      '',
    ]);
    generators.stop();
    await sleep(2000);

    // Today's long poll, beside it, at growing scales until one does not hold.
    const pollers = [...active, ...tokens.filter((t) => !active.includes(t))];
    const windowPollS = Math.min(IDLE_S, 30);
    let held: { agents: number; perHundred: number } | null = null;
    for (const agents of LONG_POLL_STEPS) {
      const polled = longPollers(server.url, pollers.slice(0, agents), 0);
      await sleep(5000);
      const p0 = await commits(adminUrl, name);
      await sleep(windowPollS * 1000);
      const p1 = await commits(adminUrl, name);
      // Long polls keep their backends busy, so their counts arrive within the second; the window is its own.
      const perHundred = ((p1 - p0) / (agents / 100)) * (60 / windowPollS);
      polled.latencies.length = 0;
      const sent = Math.min(REPLIES, 100);
      await reply(server.url, staff, tickets, sent, REPLIES_PER_SECOND);
      await sleep(3000);
      const p99 = percentile(polled.latencies, 99);
      const holds = polled.errors() === 0 && polled.latencies.length >= sent && p99 < LONG_POLL_HOLDS_P99_MS;
      rows.push([
        `long poll, ${agents} agents: transactions per 100 agents per minute idle; reply → agent p50 / p99`,
        `${perHundred.toFixed(2)}; ${median(polled.latencies).toFixed(0)} ms / ${p99.toFixed(0)} ms (${polled.latencies.length}/${sent} received, ${polled.errors()} errors)${holds ? '' : ' — does not hold'}`,
        '',
      ]);
      polled.stop();
      await sleep(2000);
      if (!holds) break;
      held = { agents, perHundred };
    }
    rows.push([
      '  largest long-poll scale that held; its idle cost against the channel’s',
      held
        ? `${held.agents} agents; ${(held.perHundred / Math.max(perHundredPerMinute, 0.001)).toFixed(0)}× the channel's transactions`
        : 'none of the steps held',
      '',
    ]);
  } finally {
    generators.stop();
    await stopServer(server.child);
    await rm(dataDir, { recursive: true, force: true });
  }
  console.log(`\n## Live channel (PostgreSQL, one server process, simulated agents on the real protocol)\n`);
  printTable(rows);
}
