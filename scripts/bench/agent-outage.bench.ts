// The outbox through a server outage: the headless agent core (bundled worker, plain node) enrolls with a
// real server, the server stops, 1,000 tickets (each with this machine's real snapshot) are filed, the server
// starts again on the same port and data, and the outbox flushes. Time to queue, time to flush, peak RSS.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createDiagnostics } from '../../src/main/diagnostics';
import { formatBytes } from '../../src/shared/format';
import { cliEnvironment } from '../../test/helpers/cli';
import { freePort, waitUntilHealthy } from '../../test/helpers/server-process';
import { ADMIN, createEnrollSecret } from '../../test/e2e/support/server';

const TICKETS = Number(process.env.BENCH_OUTAGE_TICKETS ?? 1000);

interface OutageResult {
  tickets: number;
  snapshotBytes: number;
  queueMs: number;
  queuePeak: number;
  onlineMs: number | null;
  flushMs: number;
  flushPeak: number;
  maxRss: number;
}

/** One server process on a fixed port and data folder, so it can stop and come back as the same server. */
function serverAt(port: number, dataDir: string) {
  let child: ChildProcess | null = null;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async start() {
      child = spawn(process.execPath, ['bin/deskside.js', 'server', '--port', String(port), '--data-dir', dataDir], {
        env: cliEnvironment({
          DESKSIDE_ADMIN_EMAIL: ADMIN.email,
          DESKSIDE_ADMIN_PASSWORD: ADMIN.password,
          DESKSIDE_LOG_LEVEL: 'warn',
        }),
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      await waitUntilHealthy(url, 20_000);
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs the outage scenario with the bundled worker at `workerPath`. */
export async function benchOutage(workerPath: string): Promise<OutageResult> {
  const dir = await mkdtemp(join(tmpdir(), 'deskside-bench-outage-server-'));
  const server = serverAt(await freePort(), join(dir, 'server'));
  let worker: ChildProcess | null = null;
  try {
    const diagnostics = createDiagnostics({ name: 'bench', version: '0' });
    const snapshot = JSON.stringify(await diagnostics.collect({ settings: { serverUrl: server.url } }));
    diagnostics.dispose();
    const snapshotFile = join(dir, 'snapshot.json');
    await writeFile(snapshotFile, snapshot);

    await server.start();
    const secret = await createEnrollSecret(server.url, 'bench-outage');
    const child = spawn(process.execPath, [workerPath, server.url, secret, String(TICKETS), snapshotFile], {
      env: { ...process.env, DESKSIDE_AGENT_CONFIG: '/nonexistent/deskside-bench.json' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    worker = child;
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const expect = async (word: string): Promise<string> => {
      for (;;) {
        const next = await lines.next();
        if (next.done) throw new Error(`the outage worker exited before ${word}`);
        if (next.value.startsWith(word)) return next.value.slice(word.length).trim();
      }
    };
    await expect('READY');
    await server.stop();
    child.stdin.write('DOWN\n');
    await expect('QUEUED');
    await server.start();
    child.stdin.write('UP\n');
    const done = JSON.parse(await expect('DONE')) as Omit<OutageResult, 'tickets' | 'snapshotBytes'>;
    return { tickets: TICKETS, snapshotBytes: snapshot.length, ...done };
  } finally {
    worker?.kill();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The table rows for an outage result. */
export function outageRows(r: OutageResult): string[][] {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const each = `${r.tickets} tickets, ${formatBytes(r.snapshotBytes)} snapshot each`;
  return [
    [`outage: ${each}, queued while down`, `${s(r.queueMs)} (peak RSS ${formatBytes(r.queuePeak)})`, ''],
    ['outage: server up → agent online', r.onlineMs === null ? 'n/a' : s(r.onlineMs), ''],
    [
      'outage: server up → outbox empty (all stored)',
      `${s(r.flushMs)}, ${(r.tickets / (r.flushMs / 1000)).toFixed(0)}/s (peak RSS ${formatBytes(r.flushPeak)})`,
      '',
    ],
  ];
}
