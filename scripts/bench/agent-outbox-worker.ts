// Runs in its own process (bundled by agent-core.bench.ts): the headless agent core through a server outage.
// It enrolls (READY), then, once told DOWN, files COUNT tickets through ticket:submit while the server is
// stopped (QUEUED), then, once told UP, times the outbox flush until every ticket is stored on the server.
// Each ticket carries the same real snapshot (collected once by the bench and passed as a file), so the
// outbox holds full-size items without collecting 1,000 snapshots. Peak RSS is sampled every 20 ms.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createAgentCore } from '../../src/main/services/agent-core';
import { benchAgentPlatform } from './bench-agent-platform';
import type { Snapshot } from '../../src/shared/snapshot';

const [serverUrl, enrollSecret, countArg, snapshotFile] = process.argv.slice(2);
const COUNT = Number(countArg ?? 1000);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const waitFor = async (word: string) => {
  for (;;) {
    const next = await lines.next();
    if (next.done) throw new Error(`stdin closed before ${word}`);
    if (next.value.trim() === word) return;
  }
};
const say = (line: string) => process.stdout.write(`${line}\n`);

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const dataDir = await mkdtemp(join(tmpdir(), 'deskside-bench-outage-'));
const platform = benchAgentPlatform(dataDir, serverUrl ?? '', enrollSecret ?? '');
const core = createAgentCore(platform, {
  collector: { collect: async () => JSON.parse(await readFile(snapshotFile ?? '', 'utf8')) as Snapshot },
  // The agent notices the server is back through its periodic sync; 1 s keeps that out of the flush time.
  syncIntervalMs: 1000,
});
await core.start();
while (core.state().enrollment.state !== 'enrolled' || !core.state().online)
  await new Promise((r) => setTimeout(r, 10));
say('READY');

await waitFor('DOWN');
peak = 0;
const queueStart = performance.now();
for (let i = 0; i < COUNT; i++) {
  await core.handlers['ticket:submit']({
    subject: `Outage ticket ${i}`,
    description: 'Filed while the help desk was down',
    category: 'other',
    urgency: 'low',
    impact: 'low',
    excludeSections: [],
    includeSnapshot: true,
    screenshotId: null,
  });
}
const queueMs = performance.now() - queueStart;
const queuePeak = peak;
say(`QUEUED ${JSON.stringify({ queueMs, queuePeak, pending: core.state().outbox.pending })}`);

await waitFor('UP');
peak = 0;
const upAt = performance.now();
let onlineMs: number | null = null;
await new Promise<void>((resolve) => {
  const check = () => {
    const state = core.state();
    if (state.online && onlineMs === null) onlineMs = performance.now() - upAt;
    if (state.outbox.pending === 0) resolve();
  };
  core.onEvent((event) => event === 'state' && check());
  check();
});
const flushMs = performance.now() - upAt;
const flushPeak = peak;
clearInterval(sampler);
const maxRss = process.resourceUsage().maxRSS * 1024;
const failed = core.state().outbox.failed;
await core.stop();
await rm(dataDir, { recursive: true, force: true });
say(`DONE ${JSON.stringify({ queueMs, queuePeak, onlineMs, flushMs, flushPeak, maxRss, failed })}`);
process.exit(0);
