// Remote control (issue 13) through the server's tunnel, on loopback, SQLite, one server process: what a
// technician pays for going through the help desk instead of straight to the VNC server. Agents on a private
// Xvfb display are the real agent core with IT's policy `consent: unattended` and x11vnc
// (remote-agents-worker.ts): a technician's request is signed, the agent verifies it, starts x11vnc on
// 127.0.0.1 with a one-time password and opens its tunnel; the bench is the console: it opens the console
// tunnel with the session's token and speaks RFB through it (rfb-bench-client.ts: VNC authentication with the
// session's password, 32-bit pixels, raw encoding). Baseline in the same run: x11vnc started by the agent's
// own vnc-server.ts (same options) on a second Xvfb of the same size, over a direct TCP connection.
// (1) throughput: whole-screen non-incremental FramebufferUpdates back to back, in alternating windows;
// (2) added latency, tunnel and direct taking turns: a pointer move → the update that shows it (what the
// technician sees; x11vnc's screen poll dominates), and a non-incremental 8×8 update request → its update,
// just after a pointer move (x11vnc naps between polls of a still screen, and answers at once while the
// mouse moves); (3) with 1, 4 and 8 sessions streaming at once: the server process's CPU (from
// /proc/<pid>/stat) and RSS, and the CPU per 100 MB relayed of the server, the agent cores, their x11vnc
// processes and the console (this process).
// BENCH_ONLY=remote runs it alone; BENCH_REMOTE_SECONDS (per measurement, default 4), BENCH_REMOTE_ROUND_TRIPS
// (200), BENCH_REMOTE_SESSIONS (1,4,8), BENCH_REMOTE_SCREEN (1280x800) change it.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startVncServer, type VncEndpoint } from '../../src/main/services/vnc-server';
import type { RemoteSessionDto } from '../../src/shared/api/remote';
import { pathOf } from '../../src/shared/api/endpoint-routes';
import { formatBytes } from '../../src/shared/format';
import { REMOTE_TOKEN_PROTOCOL_PREFIX, REMOTE_TUNNEL_PROTOCOL } from '../../src/shared/remote/remote-limits';
import { startXvfb, x11vncsOn, type XDisplay } from '../../test/helpers/x-display';
import { rfbOverTcp, rfbOverWebSocket, type RfbClient } from './rfb-bench-client';
import { processCpuMs, serverCpuMs } from './server-cpu';
import { ADMIN, freshDatabase, json, startServer, stopServer } from './server-run';
import { percentile, printTable, rssOf } from './stats';

const SECONDS = Number(process.env.BENCH_REMOTE_SECONDS ?? 4);
const ROUND_TRIPS = Number(process.env.BENCH_REMOTE_ROUND_TRIPS ?? 200);
/** Pointer move → update takes x11vnc's screen poll (tens of ms): fewer of them. */
const INPUTS = Math.ceil(ROUND_TRIPS / 3);
const STEPS = (process.env.BENCH_REMOTE_SESSIONS ?? '1,4,8')
  .split(',')
  .map(Number)
  .filter((n) => n > 0)
  .sort((a, b) => a - b);
const [WIDTH, HEIGHT] = (process.env.BENCH_REMOTE_SCREEN ?? '1280x800').split('x').map(Number) as [number, number];
/** A small region: one 8×8 tile of 32-bit pixels, 272 bytes with its headers. */
const TILE = { x: 0, y: 0, width: 8, height: 8 };
const WARMUP = 20;
const MB = 1e6;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** The highest RSS of the process while `work` runs, sampled every 100 ms (a GC between two reads hides growth). */
async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; rss: number }> {
  let rss = rssOf(pid);
  const timer = setInterval(() => (rss = Math.max(rss, rssOf(pid))), 100);
  try {
    const result = await work();
    return { result, rss: Math.max(rss, rssOf(pid)) };
  } finally {
    clearInterval(timer);
  }
}

async function signIn(url: string): Promise<Record<string, string>> {
  const login = await fetch(`${url}${pathOf('login')}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const body = (await login.json()) as { csrfToken: string; signedIn: boolean };
  if (!body.signedIn) throw new Error('the admin could not sign in');
  return {
    cookie: String(login.headers.get('set-cookie')).split(';')[0] ?? '',
    'x-csrf-token': body.csrfToken,
    'content-type': 'application/json',
  };
}

/** The agents' process (real agent cores, one device each). */
class RemoteAgents {
  private constructor(
    private readonly child: ChildProcess,
    readonly deviceIds: string[],
  ) {}

  /** CPU time so far, in ms: the agent cores' process, and the x11vnc processes they started (its children). */
  cpuMs(): { agents: number; x11vnc: number } {
    const agents = processCpuMs(this.child.pid);
    return { agents, x11vnc: serverCpuMs(this.child.pid) - agents };
  }

  static async start(url: string, enrollSecret: string, display: string, count: number): Promise<RemoteAgents> {
    // BENCH_AGENT_NODE_ARGS (e.g. --cpu-prof) profiles the agents' side, as BENCH_NODE_ARGS does the server's.
    const nodeArgs = (process.env.BENCH_AGENT_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = fork('scripts/bench/remote-agents-worker.ts', [], {
      execArgv: ['--import', 'tsx', ...nodeArgs],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve) => child.once('message', () => resolve()));
    const answer = await new Promise<{ deviceIds?: string[]; error?: string }>((resolve) => {
      child.once('message', (m) => resolve(m as { deviceIds?: string[]; error?: string }));
      child.send({ start: { url, enrollSecret, display, count } });
    });
    if (!answer.deviceIds) {
      child.kill();
      throw new Error(`agents: ${answer.error}`);
    }
    return new RemoteAgents(child, answer.deviceIds);
  }

  /** Stops the cores (each ends its session and its x11vnc); the process then exits (killed after 15 s). */
  async stop(): Promise<void> {
    const exited = new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve(null);
      else this.child.once('exit', resolve);
    });
    this.child.send({ stop: true });
    await Promise.race([exited, sleep(15_000)]);
    this.child.kill();
  }
}

interface Session {
  id: string;
  rfb: RfbClient;
}

/** Requests a control session on the device, waits for its agent to accept it, and opens the console tunnel. */
async function openSession(url: string, staff: Record<string, string>, deviceId: string): Promise<Session> {
  const requested = await json(`${url}${pathOf('requestRemoteSession', { id: deviceId })}`, {
    method: 'POST',
    headers: staff,
    body: JSON.stringify({ kind: 'control', reason: 'Bench: remote control through the tunnel' }),
  });
  if (requested.status !== 201) throw new Error(`request: ${requested.status} ${JSON.stringify(requested.body)}`);
  const { id, consoleToken } = requested.body as RemoteSessionDto;
  let session: RemoteSessionDto | null = null;
  const deadline = Date.now() + 30_000;
  while (session?.status !== 'accepted') {
    if (Date.now() > deadline) throw new Error(`session ${id} not accepted within 30 s: ${session?.status}`);
    if (session && ['ended', 'denied', 'refused', 'expired'].includes(session.status))
      throw new Error(`session ${id} ${session.status}: ${session.endReason}`);
    await sleep(50);
    session = (await json(`${url}${pathOf('getRemoteSession', { id })}`, { headers: staff })).body as RemoteSessionDto;
  }
  const ws = new WebSocket(
    `${url.replace(/^http/, 'ws')}${pathOf('remoteConsoleTunnel', { id })}`,
    [REMOTE_TUNNEL_PROTOCOL, REMOTE_TOKEN_PROTOCOL_PREFIX + consoleToken],
    { headers: { cookie: staff.cookie! }, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 },
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`console tunnel: HTTP ${res.statusCode}`)));
  });
  return { id, rfb: await rfbOverWebSocket(ws, session.vncPassword) };
}

/** Whole-screen updates back to back until `ms` have passed: bytes and updates received. */
async function stream(rfb: RfbClient, ms: number): Promise<{ bytes: number; updates: number }> {
  const end = performance.now() + ms;
  let bytes = 0;
  let updates = 0;
  while (performance.now() < end) {
    bytes += await rfb.update();
    updates++;
  }
  return { bytes, updates };
}

/** Throughput of each client over the same total time, in alternating windows (so load drifts weigh alike). */
async function throughput(clients: RfbClient[], windowMs: number, rounds: number) {
  const totals = clients.map(() => ({ bytes: 0, updates: 0, ms: 0 }));
  for (let round = 0; round < rounds; round++)
    for (const [i, client] of clients.entries()) {
      const started = performance.now();
      const got = await stream(client, windowMs);
      totals[i]!.bytes += got.bytes;
      totals[i]!.updates += got.updates;
      totals[i]!.ms += performance.now() - started;
    }
  return totals.map((t) => ({ mbps: t.bytes / MB / (t.ms / 1000), ups: t.updates / (t.ms / 1000) }));
}

/** Rejects when `promise` takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing in ${ms} ms`)), ms)),
    ),
  ]);
}

/**
 * Times `sample` on each client in turn, `count` times after a warm-up (so load drifts weigh alike); answers
 * each client's times in ms.
 */
async function taking(
  clients: RfbClient[],
  count: number,
  sample: (client: RfbClient, i: number) => Promise<number>,
): Promise<number[][]> {
  const times = clients.map((): number[] => []);
  for (let i = 0; i < WARMUP + count; i++)
    for (const [c, client] of clients.entries()) {
      const took = await sample(client, i);
      if (i >= WARMUP) times[c]!.push(took);
    }
  return times;
}

/** The technician moves the mouse; time until the update that shows the pointer moved (one was requested). */
async function inputToUpdate(client: RfbClient, i: number): Promise<number> {
  const update = client.update(undefined, true);
  const started = performance.now();
  client.pointer(200 + (i % 2) * 40, 200);
  await within(update, 5_000, 'the update after a pointer move');
  return performance.now() - started;
}

/** A pointer move (x11vnc naps between polls of a still screen, not while the mouse moves), then an 8×8 request. */
async function tileRoundTrip(client: RfbClient, i: number): Promise<number> {
  client.pointer(600 + (i % 2) * 40, 400);
  const started = performance.now();
  await within(client.update(TILE), 5_000, 'an 8×8 update');
  return performance.now() - started;
}

/** A difference with its sign. */
const signed = (n: number, format: (abs: number) => string) => `${n < 0 ? '−' : '+'}${format(Math.abs(n))}`;

/** p50 / p95 / p99 in ms. */
const triple = (t: number[]) => `${[50, 95, 99].map((p) => percentile(t, p).toFixed(2)).join(' / ')} ms`;

export async function benchRemote(): Promise<void> {
  const heading = `\n## Remote control through the server's tunnel (SQLite, one server process, real agent core and x11vnc, ${WIDTH}×${HEIGHT} Xvfb, loopback)`;
  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const missing = ['Xvfb', 'x11vnc'].filter((p) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', p]).status !== 0);
  if (missing.length > 0) {
    console.log(`${heading}\n\nskipped: ${missing.join(' and ')} not found (apt-get install -y xvfb x11vnc)`);
    return;
  }
  const sessionsNeeded = Math.max(1, ...STEPS);
  const dataDir = await mkdtemp(join(tmpdir(), 'deskside-bench-remote-'));
  const { serverDb, secret } = await freshDatabase('sqlite', dataDir);
  let x: XDisplay | null = null;
  /** The baseline's own display: a pointer moved on one x11vnc's display would change the other's screen. */
  let xDirect: XDisplay | null = null;
  let server: { url: string; child: ChildProcess } | null = null;
  let agents: RemoteAgents | null = null;
  let direct: VncEndpoint | null = null;
  let directRfb: RfbClient | null = null;
  const sessions: Session[] = [];
  const rows: string[][] = [['', 'through the tunnel', 'direct TCP (baseline)', 'tunnel vs direct']];
  const costRows: string[][] = [
    [
      'sessions streaming',
      'relayed MB/s (per session)',
      'server CPU, % of a core (per session)',
      'server RSS, peak (growth per session)',
      'CPU per 100 MB: server',
      'agent cores',
      'x11vnc',
      'console',
    ],
  ];
  try {
    x = await startXvfb(WIDTH, HEIGHT);
    xDirect = await startXvfb(WIDTH, HEIGHT);
    server = await startServer(serverDb, dataDir, '1');
    const { url } = server;
    const pid = server.child.pid!;
    const staff = await signIn(url);
    agents = await RemoteAgents.start(url, secret, x.display, sessionsNeeded);

    // The server idle with every agent connected: the floor the sessions are measured against.
    await sleep(1000);
    const idleCpu0 = serverCpuMs(pid);
    const idleStarted = performance.now();
    const { rss: rssBefore } = await peakRss(pid, () => sleep(SECONDS * 1000));
    const idlePct = ((serverCpuMs(pid) - idleCpu0) / (performance.now() - idleStarted)) * 100;
    costRows.push([
      `0 (${sessionsNeeded} agents connected, idle)`,
      '',
      `${idlePct.toFixed(1)}%`,
      formatBytes(rssBefore),
      '',
      '',
      '',
      '',
    ]);

    direct = await startVncServer({ server: 'x11vnc', display: xDirect.display }, 'control', { logger: quiet });
    directRfb = await rfbOverTcp(direct.host, direct.port, direct.password);
    sessions.push(await openSession(url, staff, agents.deviceIds[0]!));
    const tunnelRfb = sessions[0]!.rfb;
    if (tunnelRfb.width !== WIDTH || directRfb.width !== WIDTH) throw new Error('ServerInit is not the Xvfb screen');

    // (1) Throughput.
    const frame = formatBytes(WIDTH * HEIGHT * 4);
    const [viaTunnel, viaDirect] = await throughput([tunnelRfb, directRfb], (SECONDS * 1000) / 2, 2);
    rows.push([
      `whole-screen updates back to back (raw, ${frame} each), ${SECONDS} s each: MB/s`,
      viaTunnel!.mbps.toFixed(0),
      viaDirect!.mbps.toFixed(0),
      `${((viaTunnel!.mbps / viaDirect!.mbps) * 100).toFixed(0)}%`,
    ]);
    rows.push([
      '  updates per second',
      viaTunnel!.ups.toFixed(1),
      viaDirect!.ups.toFixed(1),
      `${(viaTunnel!.ups / viaDirect!.ups).toFixed(2)}×`,
    ]);

    // (2) Added latency: what the technician sees after moving the mouse, then the bare round trip.
    const difference = (a: number[], b: number[]) =>
      `${[50, 95, 99].map((p) => signed(percentile(a, p) - percentile(b, p), (d) => d.toFixed(2))).join(' / ')} ms`;
    const [tunnelInput, directInput] = await taking([tunnelRfb, directRfb], INPUTS, inputToUpdate);
    rows.push([
      `pointer move → the update showing it (${INPUTS}, taking turns): p50 / p95 / p99`,
      triple(tunnelInput!),
      triple(directInput!),
      difference(tunnelInput!, directInput!),
    ]);
    const [tunnelRt, directRt] = await taking([tunnelRfb, directRfb], ROUND_TRIPS, tileRoundTrip);
    rows.push([
      `8×8 update request → update, mouse moving (${ROUND_TRIPS}): p50 / p95 / p99`,
      triple(tunnelRt!),
      triple(directRt!),
      difference(tunnelRt!, directRt!),
    ]);
    directRfb.close();
    directRfb = null;
    await direct.stop();
    direct = null;

    // (3) The server's cost with 1, 4, 8 sessions streaming at once.
    for (const n of STEPS) {
      const opened = await Promise.all(
        agents.deviceIds.slice(sessions.length, n).map((deviceId) => openSession(url, staff, deviceId)),
      );
      sessions.push(...opened);
      const cpu0 = { server: serverCpuMs(pid), ...agents.cpuMs(), console: process.cpuUsage() };
      const started = performance.now();
      const { result: got, rss } = await peakRss(pid, () =>
        Promise.all(sessions.slice(0, n).map((s) => stream(s.rfb, SECONDS * 1000))),
      );
      const wall = performance.now() - started;
      const cpu1 = { server: serverCpuMs(pid), ...agents.cpuMs(), console: process.cpuUsage(cpu0.console) };
      const relayed = got.reduce((sum, g) => sum + g.bytes, 0) / MB;
      const per100 = (ms: number) => `${((ms / relayed) * 100).toFixed(0)} ms`;
      const pct = ((cpu1.server - cpu0.server) / wall) * 100;
      costRows.push([
        String(n),
        `${(relayed / (wall / 1000)).toFixed(0)} (${(relayed / (wall / 1000) / n).toFixed(0)})`,
        `${pct.toFixed(0)}% (${(pct / n).toFixed(1)}%)`,
        `${formatBytes(rss)} (${signed((rss - rssBefore) / n, formatBytes)})`,
        per100(cpu1.server - cpu0.server),
        per100(cpu1.agents - cpu0.agents),
        per100(cpu1.x11vnc - cpu0.x11vnc),
        per100((cpu1.console.user + cpu1.console.system) / 1000),
      ]);
    }
    for (const s of sessions)
      await json(`${url}${pathOf('stopRemoteSession', { id: s.id })}`, { method: 'POST', headers: staff });
  } finally {
    directRfb?.close();
    await direct?.stop();
    for (const s of sessions) s.rfb.close();
    await agents?.stop();
    if (server) await stopServer(server.child);
    const left = x ? x11vncsOn(x.display) : [];
    if (left.length > 0) console.log(`remote bench: x11vnc still running after the agents stopped: ${left.join(' ')}`);
    await x?.stop();
    await xDirect?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  console.log(`${heading}\nload average before: ${loadBefore}\n`);
  printTable(rows);
  console.log('');
  printTable(costRows);
}
