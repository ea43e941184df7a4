// Remote commands (issue 12) on loopback, SQLite, one server process: (1) a technician's request to its
// result for a read-only action — `net.ping` of 127.0.0.1, count 1, IT policy reads=unattended — timed
// from the HTTP POST to the moment the console would show it completed (the staff event stream says the
// command changed, a GET of the ticket's commands shows it succeeded), p50/p99 over BENCH_COMMANDS
// (default 200) requests one at a time; (2) the server's cost per 1,000 commands queued for offline
// devices, then delivered when their agents connect and run them: wall time, server CPU and database rows.
// Baseline in the same run, same server: a technician's plain authenticated GET of a ticket.
// The agents are simulated (commands-agents-worker.ts): the real channel protocol and the agent's real
// command runner (verify, policy, nonce) and action runner (a real `ping -c 1 127.0.0.1`).
// BENCH_ONLY=commands runs it alone.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { hashToken } from '../../src/server/auth/crypto';
import { createStaff } from '../../src/server/auth/staff.service';
import { commandKeyPair } from '../../src/server/actions/command-keys.service';
import { openDatabase, type Db } from '../../src/server/db/database';
import { COMMAND_REQUESTS_PER_MINUTE } from '../../src/shared/actions/command-status';
import { pathOf, withQuery } from '../../src/shared/api/endpoint-routes';
import type { SimulatedAgent } from './commands-agents-worker';
import { serverCpuMs } from './server-cpu';
import { freshDatabase, json, startServer, stopServer } from './server-run';
import { median, percentile, printTable } from './stats';

const REQUESTS = Number(process.env.BENCH_COMMANDS ?? 200);
const WARMUP = 10;
/** Devices online for the latency run; each runs its commands one at a time. */
const ONLINE_DEVICES = 20;
const QUEUED = 1000;
const OFFLINE_DEVICES = 50;
/** Requests in flight at once while queueing (and for the GET baseline beside it). */
const CONCURRENCY = 8;
/** Enough technicians that no one passes the per-technician rate limit over the whole run. */
const TECHNICIANS = Math.ceil((REQUESTS + WARMUP + QUEUED) / (COMMAND_REQUESTS_PER_MINUTE - 2)) + 2;
const TECH_PASSWORD = 'bench-technician-password';
const PING = { action: 'net.ping', params: { host: '127.0.0.1', count: 1 } } as const;
const FINAL = new Set(['succeeded', 'failed', 'denied', 'refused', 'expired', 'cancelled']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Device extends SimulatedAgent {
  ticketId: number;
}

interface CommandView {
  id: string;
  status: string;
  result: { durationMs: number | null } | null;
}

/** Devices straight into the database with known tokens (enrolling over HTTP is not what is measured). */
async function seedDevices(db: Db, count: number, prefix: string): Promise<SimulatedAgent[]> {
  const now = Date.now();
  const agents = Array.from({ length: count }, (_, i) => ({
    deviceId: `${prefix}-${i}`,
    token: `${prefix}${i}_${randomBytes(12).toString('base64url')}`,
  }));
  await db.kysely
    .insertInto('devices')
    .values(
      agents.map((a, i) => ({
        id: a.deviceId,
        machine_id: `${prefix}-machine-${i}`,
        hostname: `lt-${prefix}-${i}`,
        os_platform: 'linux',
        os_name: 'Debian',
        os_version: '12',
        agent_version: 'bench',
        groups: '[]',
        token_hash: hashToken(a.token),
        token_revoked_at: null,
        enroll_secret_id: null,
        enrolled_at: now,
        last_seen_at: now,
        health_status: 'unknown' as const,
        health_summary: '{}',
        last_snapshot_id: null,
      })),
    )
    .execute();
  return agents;
}

async function fileTicket(url: string, agent: SimulatedAgent, i: number): Promise<Device> {
  const res = await json(`${url}${pathOf('createTicket')}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${agent.token}`,
      'content-type': 'application/json',
      'idempotency-key': `bench-cmd-${i}-${randomBytes(6).toString('hex')}`,
    },
    body: JSON.stringify({ subject: `Network is slow ${i}`, category: 'network', urgency: 'medium' }),
  });
  if (res.status !== 201) throw new Error(`filing a ticket: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...agent, ticketId: (res.body as { id: number }).id };
}

async function signIn(url: string, email: string): Promise<Record<string, string>> {
  const login = await fetch(`${url}${pathOf('login')}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: TECH_PASSWORD }),
  });
  const body = (await login.json()) as { csrfToken: string; signedIn: boolean };
  if (!body.signedIn) throw new Error(`sign-in of ${email} failed`);
  return {
    cookie: String(login.headers.get('set-cookie')).split(';')[0] ?? '',
    'x-csrf-token': body.csrfToken,
    'content-type': 'application/json',
  };
}

/** Rows in every table of the SQLite file. */
async function rowCounts(db: Db): Promise<Map<string, number>> {
  const tables = await sql<{
    name: string;
  }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db.kysely);
  const counts = new Map<string, number>();
  for (const { name } of tables.rows) {
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(db.kysely);
    counts.set(name, Number(r.rows[0]?.n ?? 0));
  }
  return counts;
}

function rowDelta(before: Map<string, number>, after: Map<string, number>, per: number): string {
  return [...after]
    .map(([table, n]) => [table, n - (before.get(table) ?? 0)] as const)
    .filter(([, d]) => d !== 0)
    .sort((a, b) => b[1] - a[1])
    .map(([table, d]) => `${table} ${(d / per).toFixed(d % per ? 2 : 0)}`)
    .join(', ');
}

/** The staff event stream, as the console holds it; calls `on` for each command event. */
async function staffEvents(url: string, headers: Record<string, string>, on: (ticketId: number) => void) {
  const abort = new AbortController();
  const res = await fetch(`${url}${pathOf('staffEvents')}`, { headers, signal: abort.signal });
  if (!res.ok || !res.body) throw new Error(`staff events: ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.startsWith('data: ') ? block.slice(6) : null;
          if (!data) continue;
          const event = JSON.parse(data) as { type: string; ticketId?: number | null };
          if (event.type === 'command' && typeof event.ticketId === 'number') on(event.ticketId);
        }
      }
    } catch {
      // Aborted at the end of the run.
    }
  })();
  return { close: () => abort.abort() };
}

class Agents {
  private constructor(private readonly child: ChildProcess) {}
  static async start(url: string, publicKeyPem: string, dataDir: string, agents: SimulatedAgent[]): Promise<Agents> {
    const child = fork('scripts/bench/commands-agents-worker.ts', [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve) => child.once('message', () => resolve()));
    child.send({ start: { url, publicKeyPem, dataDir, agents } });
    return new Agents(child);
  }
  report(): Promise<{ live: number; results: number; refusals: string[] }> {
    return new Promise((resolve) => {
      this.child.once('message', (m) => resolve(m as { live: number; results: number; refusals: string[] }));
      this.child.send({ report: true });
    });
  }
  async until(live: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.report()).live < live) {
      if (Date.now() > deadline) throw new Error(`only ${(await this.report()).live} of ${live} agents connected`);
      await sleep(50);
    }
  }
  stop(): void {
    this.child.kill();
  }
}

/** Runs `count` tasks with `concurrency` in flight; answers the wall time in ms. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return performance.now() - started;
}

export async function benchCommands(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'deskside-bench-commands-'));
  const agentDir = await mkdtemp(join(tmpdir(), 'deskside-bench-command-agents-'));
  const { serverDb, openUrl } = await freshDatabase('sqlite', dataDir);
  const db = openDatabase({ url: openUrl });
  const { publicKeyPem } = await commandKeyPair({ db, now: Date.now });
  const online = await seedDevices(db, ONLINE_DEVICES, 'on');
  const offline = await seedDevices(db, OFFLINE_DEVICES, 'off');
  const emails = Array.from({ length: TECHNICIANS }, (_, i) => `tech${i}@bench.example`);
  for (const [i, email] of emails.entries())
    await createStaff(
      db,
      { email, name: `Technician ${i}`, role: 'technician', password: TECH_PASSWORD, group: null },
      Date.now(),
    );

  const server = await startServer(serverDb, dataDir, '1');
  const { url } = server;
  const cpu = () => serverCpuMs(server.child.pid);
  let agents: Agents | null = null;
  let events: { close(): void } | null = null;
  const rows: string[][] = [['', 'figure', 'baseline: GET a ticket', 'ratio']];
  try {
    const onlineDevices = await Promise.all(online.map((a, i) => fileTicket(url, a, i)));
    const offlineDevices = await Promise.all(offline.map((a, i) => fileTicket(url, a, ONLINE_DEVICES + i)));
    const techs = await Promise.all(emails.map((email) => signIn(url, email)));
    let nextTech = 0;
    const tech = () => techs[nextTech++ % techs.length]!;

    const request = async (device: Device): Promise<string> => {
      const res = await json(`${url}${pathOf('requestCommand', { id: device.ticketId })}`, {
        method: 'POST',
        headers: tech(),
        body: JSON.stringify({ ...PING, reason: 'Bench: loopback ping', visibility: 'internal' }),
      });
      if (res.status !== 201) throw new Error(`request: ${res.status} ${JSON.stringify(res.body)}`);
      return (res.body as { id: string }).id;
    };
    const getTicket = async (device: Device) => {
      const res = await fetch(`${url}${pathOf('getTicket', { id: device.ticketId })}`, { headers: techs[0]! });
      if (res.status !== 200) throw new Error(`GET ticket: ${res.status}`);
      await res.arrayBuffer();
    };

    // (1) Request → result, one at a time, the console's way of seeing it.
    const waiting = new Map<number, () => void>();
    events = await staffEvents(url, techs[0]!, (ticketId) => waiting.get(ticketId)?.());
    agents = await Agents.start(url, publicKeyPem, agentDir, onlineDevices);
    await agents.until(ONLINE_DEVICES, 30_000);
    const latencies: number[] = [];
    const runTimes: number[] = [];
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const device = onlineDevices[i % onlineDevices.length]!;
      const started = performance.now();
      const id = await request(device);
      const view = await new Promise<CommandView>((resolve, reject) => {
        let checking = false;
        let again = false;
        const timer = setTimeout(() => reject(new Error(`command ${id}: no result within 30 s`)), 30_000);
        const check = async () => {
          if (checking) return void (again = true);
          checking = true;
          const res = await fetch(
            `${url}${withQuery(pathOf('listTicketCommands', { id: device.ticketId }), { limit: 1 })}`,
            { headers: techs[0]! },
          );
          const newest = ((await res.json()) as { commands: CommandView[] }).commands[0];
          checking = false;
          if (newest?.id === id && FINAL.has(newest.status)) {
            clearTimeout(timer);
            waiting.delete(device.ticketId);
            resolve(newest);
          } else if (again) {
            again = false;
            void check();
          }
        };
        waiting.set(device.ticketId, () => void check());
        void check();
      });
      if (view.status !== 'succeeded') throw new Error(`command ${id} ended ${view.status}`);
      if (i < WARMUP) continue;
      latencies.push(performance.now() - started);
      runTimes.push(view.result?.durationMs ?? 0);
    }
    const gets: number[] = [];
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const started = performance.now();
      await getTicket(onlineDevices[i % onlineDevices.length]!);
      if (i >= WARMUP) gets.push(performance.now() - started);
    }
    rows.push([
      `request → result on the ticket, net.ping 127.0.0.1 ×1, unattended (${REQUESTS}): p50 / p99`,
      `${median(latencies).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)} ms`,
      `${median(gets).toFixed(1)} / ${percentile(gets, 99).toFixed(1)} ms`,
      `${(median(latencies) / median(gets)).toFixed(1)}× / ${(percentile(latencies, 99) / percentile(gets, 99)).toFixed(1)}×`,
    ]);
    rows.push([
      '  of it the ping on the agent (process start to exit, as reported): p50 / p99',
      `${median(runTimes).toFixed(0)} / ${percentile(runTimes, 99).toFixed(0)} ms`,
      '',
      '',
    ]);
    agents.stop();
    agents = null;
    await sleep(1000);

    // (2) 1,000 commands for 50 offline devices, then their agents connect.
    const rows0 = await rowCounts(db);
    const cpu0 = cpu();
    const queueMs = await pool(QUEUED, CONCURRENCY, (i) =>
      request(offlineDevices[i % offlineDevices.length]!).then(() => {}),
    );
    const queueCpu = cpu() - cpu0;
    const rows1 = await rowCounts(db);
    const cpuG = cpu();
    const getMs = await pool(QUEUED, CONCURRENCY, (i) => getTicket(offlineDevices[i % offlineDevices.length]!));
    const getCpu = cpu() - cpuG;
    rows.push([
      `queue ${QUEUED} commands for ${OFFLINE_DEVICES} offline devices (${CONCURRENCY} requests in flight): time`,
      `${(queueMs / 1000).toFixed(2)} s (${((QUEUED * 1000) / queueMs).toFixed(0)}/s)`,
      `${(getMs / 1000).toFixed(2)} s (${((QUEUED * 1000) / getMs).toFixed(0)}/s)`,
      `${(queueMs / getMs).toFixed(1)}×`,
    ]);
    rows.push([
      '  server CPU per 1,000',
      `${queueCpu} ms`,
      `${getCpu} ms`,
      `${(queueCpu / Math.max(getCpu, 1)).toFixed(1)}×`,
    ]);
    rows.push(['  database rows added per command', rowDelta(rows0, rows1, QUEUED), '', '']);

    const cpu1 = cpu();
    const delivered = performance.now();
    const finished = async () =>
      Number(
        (
          await sql<{
            n: number;
          }>`select count(*) as n from device_commands where device_id like 'off-%' and status in ('succeeded', 'failed', 'refused')`.execute(
            db.kysely,
          )
        ).rows[0]?.n ?? 0,
      );
    agents = await Agents.start(url, publicKeyPem, agentDir, offlineDevices);
    while ((await finished()) < QUEUED) {
      if (performance.now() - delivered > 300_000) throw new Error(`only ${await finished()} of ${QUEUED} finished`);
      await sleep(50);
    }
    const deliverMs = performance.now() - delivered;
    const deliverCpu = cpu() - cpu1;
    const rows2 = await rowCounts(db);
    const succeeded = Number(
      (
        await sql<{
          n: number;
        }>`select count(*) as n from device_commands where device_id like 'off-%' and status = 'succeeded'`.execute(
          db.kysely,
        )
      ).rows[0]?.n ?? 0,
    );
    rows.push([
      `their ${OFFLINE_DEVICES} agents connect: all ${QUEUED} delivered, run and on their tickets after`,
      `${(deliverMs / 1000).toFixed(2)} s (${succeeded} succeeded)`,
      '',
      '',
    ]);
    rows.push([
      '  server CPU per 1,000 (delivery, updates, results, ticket notes)',
      `${deliverCpu} ms`,
      `${getCpu} ms`,
      `${(deliverCpu / Math.max(getCpu, 1)).toFixed(1)}×`,
    ]);
    rows.push(['  database rows added per command', rowDelta(rows1, rows2, QUEUED), '', '']);
  } finally {
    events?.close();
    agents?.stop();
    await stopServer(server.child);
    await db.destroy();
    await rm(dataDir, { recursive: true, force: true });
    await rm(agentDir, { recursive: true, force: true });
  }
  console.log(
    `\n## Remote commands (SQLite, one server process, ${ONLINE_DEVICES}/${OFFLINE_DEVICES} simulated agents on the real protocol and command runner)\n`,
  );
  printTable(rows);
}
