import type { ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { pathOf } from '../../src/shared/api/endpoint-routes';
import { formatBytes } from '../../src/shared/format';
import { startPgWireCounter } from '../../test/helpers/pg-wire-counter';
import { openLoop, type OpenLoopRequest } from './open-loop';
import { serverCpuMs, type BackendCpu } from './server-cpu';
import { percentile } from './stats';
import { freshDatabase, json, startServer, stopServer } from './server-run';
import { recreatePgDatabase } from './server-seed';

/* Ticket submissions under load, as the tray agents send them: gzip bodies with a full snapshot. */

const DEVICES = 20;
const BODIES = 500;

/** What one load run measured. */
export interface SubmitResult {
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU of the server processes per successful submission, ms. */
  serverCpuMs: number;
  /** CPU of the database's PostgreSQL backends per successful submission, ms (null on SQLite). */
  databaseCpuMs: number | null;
  failures: number;
  /** Load average (1, 5, 15 min) just before the run. */
  load: string;
  /** SQLite only: the largest size of its write-ahead log file during the run, bytes. */
  largestWal: number | null;
}

/** Samples a file's size every 100 ms until stopped; yields the largest seen (0 for a file that never existed). */
function largestSizeOf(path: string): () => number {
  let largest = 0;
  const sample = () => {
    try {
      largest = Math.max(largest, statSync(path).size);
    } catch {
      // Not there (yet): SQLite creates the log with the first write.
    }
  };
  const timer = setInterval(sample, 100);
  return () => {
    clearInterval(timer);
    sample();
    return largest;
  };
}

/** Enrolls the benchmark's devices and returns their tokens. */
export async function enrollDevices(url: string, secret: string): Promise<string[]> {
  const devices: string[] = [];
  for (let i = 0; i < DEVICES; i++) {
    const r = await json(`${url}${pathOf('enroll')}`, {
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
  return devices;
}

/**
 * The i-th submission of a run: its device, key and one of the prepared bodies. The device shifts by one
 * every round of bodies, so a (device, snapshot) pair repeats only after DEVICES × BODIES submissions:
 * deduplication never short-cuts one (BODIES is a multiple of DEVICES).
 */
function submissionRequests(devices: readonly string[], label: string, snapshot: object) {
  // Snapshot variants (collectedAt differs, and so the hash); each run makes its own from its own clock.
  const bodies = Array.from({ length: BODIES }, (_, i) =>
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
  const keyPrefix = `bench-${label.replace(/[^A-Za-z0-9_-]+/g, '_')}-${Date.now()}`;
  return (i: number): OpenLoopRequest => ({
    method: 'POST',
    path: pathOf('createTicket'),
    headers: {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      authorization: `Bearer ${devices[(i + Math.floor(i / BODIES)) % devices.length]}`,
      'idempotency-key': `${keyPrefix}-${i}`,
    },
    body: bodies[i % BODIES] as Buffer,
  });
}

/** The same submissions as autocannon's request, in order. */
function autocannonRequest(requestOf: (i: number) => OpenLoopRequest): autocannon.Request {
  let n = 0;
  return {
    setupRequest: (req: autocannon.Request) => {
      const { headers, body } = requestOf(n++);
      return { ...req, headers, body };
    },
  };
}

/** What a driver of the load yields. */
interface LoadOutcome {
  ok: number;
  /** Over which the answers came, s. */
  seconds: number;
  failures: number;
  p50: number;
  p99: number;
}

/**
 * 32 connections, each sending its next submission when the last is answered (autocannon, which without a
 * rate records each latency as measured): the server's capacity.
 */
async function asFastAsItAnswers(
  url: string,
  seconds: number,
  requestOf: (i: number) => OpenLoopRequest,
): Promise<LoadOutcome> {
  const result = await autocannon({
    url: `${url}${pathOf('createTicket')}`,
    method: 'POST',
    connections: 32,
    duration: seconds,
    requests: [autocannonRequest(requestOf)],
  });
  return {
    ok: result['2xx'],
    seconds,
    failures: result.non2xx + result.errors,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

/** Poisson arrivals at `rate` (open-loop.ts): the latency agents see at that load. */
async function offered(
  url: string,
  rate: number,
  seconds: number,
  requestOf: (i: number) => OpenLoopRequest,
): Promise<LoadOutcome> {
  const { ok, failures, latencies, elapsedMs } = await openLoop({ origin: url, rate, seconds, requestOf });
  return {
    ok,
    // A server that fell behind answers after the run's end: its rate is what it answered over the time it took.
    seconds: Math.max(seconds, elapsedMs / 1000),
    failures,
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
  };
}

/**
 * One load run against a running server. Without `rate` the 32 connections send as fast as the
 * server answers (its capacity; latency is then mostly queueing, 32 ÷ throughput); with `rate` they
 * offer that many requests per second in all, which is how "N submissions/s with p99 under X ms" is checked.
 */
export async function benchSubmissions(options: {
  label: string;
  url: string;
  child: ChildProcess;
  devices: readonly string[];
  snapshot: object;
  seconds: number;
  rate?: number;
  backendCpu?: () => Promise<BackendCpu>;
  /** SQLite only: its database file, whose write-ahead log (`-wal`) is watched. */
  sqliteFile?: string;
}): Promise<SubmitResult> {
  const { label, url, child, devices, snapshot, seconds, rate, sqliteFile } = options;
  const requestOf = submissionRequests(devices, label, snapshot);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const backends = await options.backendCpu?.();
  const cpuBefore = { server: serverCpuMs(child.pid), bench: process.cpuUsage() };
  const walWatch = sqliteFile ? largestSizeOf(`${sqliteFile}-wal`) : null;
  const submit = rate ? await offered(url, rate, seconds, requestOf) : await asFastAsItAnswers(url, seconds, requestOf);
  const largestWal = walWatch ? walWatch() : null;
  const { ok } = submit;
  const benchCpu = process.cpuUsage(cpuBefore.bench);
  const serverCpu = serverCpuMs(child.pid) - cpuBefore.server;
  const databaseCpu = backends ? await backends.sinceStart() : null;
  await backends?.close();
  console.log(
    `  ${label}: ${ok} submissions, CPU per submission — server ${(serverCpu / ok).toFixed(2)} ms (all threads)` +
      (databaseCpu === null ? '' : `, PostgreSQL backends ${(databaseCpu / ok).toFixed(2)} ms`) +
      `, load generator ${((benchCpu.user + benchCpu.system) / 1000 / ok).toFixed(2)} ms` +
      (largestWal === null ? '' : `; SQLite's log file at most ${formatBytes(largestWal)}`) +
      `; load average before the run ${load}`,
  );
  return {
    perSecond: Math.round(ok / submit.seconds),
    p50: submit.p50,
    p99: submit.p99,
    serverCpuMs: serverCpu / ok,
    databaseCpuMs: databaseCpu === null ? null : databaseCpu / ok,
    failures: submit.failures,
    load,
    largestWal,
  };
}

/**
 * Round trips between the server and PostgreSQL per submission, counted on the wire (see
 * pg-wire-counter.ts): a short run of `count` submissions through the counting relay, one worker,
 * on a fresh database. Device tokens and enrollment happen before counting starts.
 */
export async function pgRoundTripsPerSubmission(
  adminUrl: string,
  snapshot: object,
  count = 300,
): Promise<{ perSubmission: number; submissions: number; connections: number }> {
  const databaseUrl = await recreatePgDatabase(adminUrl, 'deskside_bench');
  const counter = await startPgWireCounter(databaseUrl);
  const dataDir = await mkdtemp(join(tmpdir(), 'deskside-bench-'));
  try {
    const { secret } = await freshDatabase(databaseUrl, dataDir);
    const { url, child } = await startServer(counter.url, dataDir, '1');
    try {
      const devices = await enrollDevices(url, secret);
      const request = autocannonRequest(submissionRequests(devices, 'round trips', snapshot));
      const before = counter.roundTrips();
      const run = await autocannon({
        url: `${url}${pathOf('createTicket')}`,
        method: 'POST',
        connections: 8,
        amount: count,
        requests: [request],
      });
      const ok = run['2xx'];
      return {
        perSubmission: (counter.roundTrips() - before) / ok,
        submissions: ok,
        connections: counter.connections(),
      };
    } finally {
      await stopServer(child);
    }
  } finally {
    await counter.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
