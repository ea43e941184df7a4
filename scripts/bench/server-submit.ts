import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { pathOf } from '../../src/shared/api/endpoint-routes';
import { startPgWireCounter } from '../../test/helpers/pg-wire-counter';
import { serverCpuMs, type BackendCpu } from './server-cpu';
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

/** The autocannon request of the i-th submission: its device, key and one of the prepared bodies. */
function submissionOptions(devices: readonly string[], label: string, snapshot: object) {
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
  let n = 0;
  const keyPrefix = `bench-${label.replace(/[^A-Za-z0-9_-]+/g, '_')}-${Date.now()}`;
  return {
    setupRequest: (req: autocannon.Request) => {
      const i = n++;
      // The device shifts by one every round of bodies, so a (device, snapshot) pair repeats only after
      // DEVICES × BODIES submissions: deduplication never short-cuts one (BODIES is a multiple of DEVICES).
      const device = devices[(i + Math.floor(i / BODIES)) % devices.length];
      return {
        ...req,
        headers: {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          authorization: `Bearer ${device}`,
          'idempotency-key': `${keyPrefix}-${i}`,
        },
        body: bodies[i % BODIES],
      };
    },
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
}): Promise<SubmitResult> {
  const { label, url, child, devices, snapshot, seconds, rate } = options;
  const request = submissionOptions(devices, label, snapshot);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const backends = await options.backendCpu?.();
  const cpuBefore = { server: serverCpuMs(child.pid), bench: process.cpuUsage() };
  const submit = await autocannon({
    url: `${url}${pathOf('createTicket')}`,
    method: 'POST',
    connections: 32,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    requests: [request],
  });
  const ok = submit['2xx'];
  const benchCpu = process.cpuUsage(cpuBefore.bench);
  const serverCpu = serverCpuMs(child.pid) - cpuBefore.server;
  const databaseCpu = backends ? await backends.sinceStart() : null;
  await backends?.close();
  console.log(
    `  ${label}: ${ok} submissions, CPU per submission — server ${(serverCpu / ok).toFixed(2)} ms (all threads)` +
      (databaseCpu === null ? '' : `, PostgreSQL backends ${(databaseCpu / ok).toFixed(2)} ms`) +
      `, load generator ${((benchCpu.user + benchCpu.system) / 1000 / ok).toFixed(2)} ms; load average before the run ${load}`,
  );
  return {
    perSecond: Math.round(ok / seconds),
    p50: submit.latency.p50,
    p99: submit.latency.p99,
    serverCpuMs: serverCpu / ok,
    databaseCpuMs: databaseCpu === null ? null : databaseCpu / ok,
    failures: submit.non2xx + submit.errors,
    load,
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
      const request = submissionOptions(devices, 'round trips', snapshot);
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
