// Runs in its own process (bundled by agent-core.bench.ts, plain node, no TypeScript loader): builds the
// headless agent core, starts it against the server named on the command line, reports its RSS once
// started, then times ticket:submit → ticket stored on the server (the server's 201 recorded in the outbox).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { createAgentCore } from '../../src/main/services/agent-core';
import { forkSnapshotProcess } from '../../src/main/services/snapshot-process';
import { benchAgentPlatform } from './bench-agent-platform';

const [serverUrl, enrollSecret, countArg, idleArg] = process.argv.slice(2);
const COUNT = Number(countArg ?? 20);
// COUNT 0: only the memory after start. IDLE_MS > 0: also the memory after that long idle (V8 shrinks its
// young generation once allocation stops, which takes a few seconds), after start and after the submissions.
const IDLE_MS = Number(idleArg ?? 0);
const dataDir = await mkdtemp(join(tmpdir(), 'deskside-bench-agent-'));
const platform = benchAgentPlatform(dataDir, serverUrl ?? '', enrollSecret ?? '');
// Snapshots in a short-lived process, as the app does (BENCH_SNAPSHOT_IN_PROCESS=1: in this process, as before).
const core = createAgentCore(
  platform,
  process.env.BENCH_SNAPSHOT_IN_PROCESS
    ? { inventoryIntervalMs: 0 }
    : {
        snapshotProcess: forkSnapshotProcess(fileURLToPath(new URL('./snapshot-worker.js', import.meta.url))),
        // The periodic inventory would run during the idle measurements; it is measured on its own terms.
        inventoryIntervalMs: 0,
      },
);
const started = performance.now();
await core.start();
while (core.state().enrollment.state !== 'enrolled' || !core.state().online)
  await new Promise((r) => setTimeout(r, 10));
const startMs = performance.now() - started;
await new Promise((r) => setTimeout(r, 1000));
globalThis.gc?.();
const rssAfterStart = process.memoryUsage().rss;
// Where the idle RSS goes: V8's heap by space (physical pages), the rest is Node's binary and malloc.
const space = (name: string) => getHeapSpaceStatistics().find((s) => s.space_name === name)?.physical_space_size ?? 0;
const heapNow = () => ({
  used: process.memoryUsage().heapUsed,
  newSpace: space('new_space'),
  oldSpace: space('old_space') + space('code_space') + space('large_object_space'),
});
const heapAfterStart = heapNow();
let rssAfterIdle: number | null = null;
if (IDLE_MS > 0) {
  await new Promise((r) => setTimeout(r, IDLE_MS));
  globalThis.gc?.();
  rssAfterIdle = process.memoryUsage().rss;
}

const latencies: number[] = [];
let waiting: { resolve: () => void } | null = null;
core.onEvent((event, payload) => {
  if (event === 'tickets:changed' && (payload as { ticketId: number | null }).ticketId !== null) waiting?.resolve();
});
for (let i = 0; i < COUNT; i++) {
  // The form opens: the snapshot is collected while the employee types (not part of the timing).
  await core.handlers['snapshot:prepare']({ fresh: true });
  await core.handlers['snapshot:preview']({});
  const done = new Promise<void>((resolve) => (waiting = { resolve }));
  const t0 = performance.now();
  await core.handlers['ticket:submit']({
    subject: `Bench ticket ${i}`,
    description: 'Timing submit to stored',
    category: 'other',
    urgency: 'low',
    impact: 'low',
    excludeSections: [],
    includeSnapshot: true,
    screenshotId: null,
  });
  await done;
  latencies.push(performance.now() - t0);
}
globalThis.gc?.();
const rssAfterSubmits = process.memoryUsage().rss;
// "Back" after the work: the same idle time as after start.
let rssAfterSubmitsIdle: number | null = null;
if (IDLE_MS > 0 && COUNT > 0) {
  await new Promise((r) => setTimeout(r, IDLE_MS));
  globalThis.gc?.();
  rssAfterSubmitsIdle = process.memoryUsage().rss;
}
const heapAfterSubmits = heapNow();
if (process.env.BENCH_HEAP_SNAPSHOT) writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT);
await core.stop();
await rm(dataDir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ startMs, rssAfterStart, heapAfterStart, rssAfterIdle, rssAfterSubmits, rssAfterSubmitsIdle, heapAfterSubmits, latencies })}\n`,
);
process.exit(0);
