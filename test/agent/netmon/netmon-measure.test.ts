import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createProcessRunner } from '../../../src/main/actions/process-runner';
import type { SpeedTestPort } from '../../../src/main/actions/types';
import { createNetmon } from '../../../src/main/netmon/netmon.service';
import { parseUpFrame, frame } from '../../../src/shared/channel/messages';
import { DEFAULT_NETMON_CONFIG, type NetBatch } from '../../../src/shared/netmon/netmon';

/*
 * "Measure now" on the agent (`netmon.measure`): one bandwidth test to the server with trigger `request`, sent
 * in its own batch as the channel's message table allows; a second request while one runs is the same test;
 * nothing is measured before the service runs, nor once IT turned monitoring off. The speed-test port is a counting stand-in (its HTTP side is
 * tested with the catalog's speed test).
 */

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

it('runs one requested bandwidth test at a time and sends it as a batch', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'netmon-measure-'));
  dirs.push(dataDir);
  const calls: string[] = [];
  const speedTest: SpeedTestPort = {
    download: async (bytes) => (calls.push(`down ${bytes}`), { ok: true, value: { bytes, ms: 400 } }),
    upload: async (bytes) => (calls.push(`up ${bytes}`), { ok: true, value: { bytes, ms: 1_600 } }),
  };
  const sent: NetBatch[] = [];
  const netmon = createNetmon({
    dataDir,
    logger: { info() {}, warn() {}, error() {} },
    platform: 'linux',
    runner: createProcessRunner(),
    environment: { defaultRoute: async () => ({ gateway: null, iface: null }), resolvers: async () => [] },
    link: null,
    serverUrl: () => 'http://127.0.0.1:9',
    send(batch) {
      const parsed = parseUpFrame(frame({ type: 'netmon.batch', ...batch }));
      if (!parsed.ok) throw new Error(parsed.detail);
      sent.push(batch);
      return true;
    },
    online: () => true,
    skewMs: () => 2_000,
    enrolled: () => true,
    now: () => 1_000_000,
    random: () => 0.99,
    speedTest,
  });
  await netmon.measure();
  expect(calls).toEqual([]);

  await netmon.start();
  try {
    await Promise.all([netmon.measure(), netmon.measure()]);
    const bytes = 10 * 1024 * 1024;
    expect(calls).toEqual([`down ${bytes}`, `up ${bytes}`]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.samples).toEqual([]);
    expect(sent[0]!.bandwidth).toEqual([
      // 10 MiB in 0.4 s and in 1.6 s; stamped on the server's clock.
      {
        at: 1_002_000,
        downMbps: expect.closeTo(209.7, 1),
        upMbps: expect.closeTo(52.4, 1),
        bytes: 2 * bytes,
        trigger: 'request',
      },
    ]);

    // IT turned monitoring off: a request measures nothing.
    netmon.configure({ ...DEFAULT_NETMON_CONFIG, enabled: false });
    await netmon.measure();
    expect(calls).toHaveLength(2);
  } finally {
    await netmon.stop();
  }
});
