import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_MAX_FRAME_BYTES } from '../../../src/shared/channel/channel-limits';
import { parseUpFrame, frame } from '../../../src/shared/channel/messages';
import { netmonConfigSchema, type NetBatch, type NetmonConfig } from '../../../src/shared/netmon/netmon';
import { createProcessRunner, type ProcessRunner } from '../../../src/main/actions/process-runner';
import { frameBytes } from '../../../src/main/netmon/netmon-queue';
import { createNetmon, type NetmonDeps } from '../../../src/main/netmon/netmon.service';
import { refusedPort, startDns, startHttp } from './loopback';

/*
 * The agent's network monitoring service with real probes against loopback targets (gateway and resolver
 * replaced by 127.0.0.1 and a test DNS responder), a real queue file in a temp folder, and a `send` that
 * plays the live channel (online or not). Each sent batch is checked against the channel's message table.
 */

const logger = { info() {}, warn() {}, error() {} };
const dirs: string[] = [];
const services: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(services.splice(0).map((s) => s.stop()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function setup(overrides: Partial<NetmonDeps> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'netmon-'));
  dirs.push(dataDir);
  const http = await startHttp();
  const dns = await startDns({ 'intranet.test': '192.0.2.10' });
  const closed = await refusedPort();
  const sent: NetBatch[] = [];
  const line = { online: false, clock: 1_000_000, skew: 0 };
  const deps: NetmonDeps = {
    dataDir,
    logger,
    platform: 'linux',
    runner: createProcessRunner(),
    environment: {
      defaultRoute: async () => ({ gateway: '127.0.0.1', iface: 'lo' }),
      resolvers: async () => [dns.server],
    },
    link: null,
    serverUrl: () => `http://127.0.0.1:${http.port}`,
    send(batch) {
      if (!line.online) return false;
      // What the channel would put on the wire, read back as the server would.
      const parsed = parseUpFrame(frame({ type: 'netmon.batch', ...batch }));
      if (!parsed.ok) throw new Error(parsed.detail);
      expect(Buffer.byteLength(frame({ type: 'netmon.batch', ...batch }))).toBeLessThan(CHANNEL_MAX_FRAME_BYTES);
      sent.push(batch);
      return true;
    },
    online: () => line.online,
    skewMs: () => line.skew,
    enrolled: () => true,
    now: () => line.clock,
    random: () => 0.99,
    ...overrides,
  };
  const plan: NetmonConfig = netmonConfigSchema.parse({
    probes: 2,
    timeoutMs: 500,
    dnsName: 'intranet.test',
    targets: [{ slug: 'erp', label: 'ERP', method: 'tcp', host: '127.0.0.1', port: closed }],
  });
  const netmon = createNetmon(deps);
  services.push(netmon);
  return { deps, sent, line, plan, http, dns, netmon };
}

describe('network monitoring service', { sequential: true }, () => {
  it('probes nothing before the server sent a plan, nor when IT disabled it', async () => {
    const { netmon, plan, http } = await setup();
    await netmon.runCycle();
    expect(netmon.queue.counts().samples).toBe(0);
    netmon.configure({ ...plan, enabled: false });
    await netmon.runCycle();
    expect(netmon.queue.counts().samples).toBe(0);
    expect(http.hits).toEqual([]);
  });

  it('offline → online: queued samples go later with their own timestamps (server clock), ack removes them', async () => {
    const { netmon, plan, line, sent, http, deps } = await setup();
    netmon.configure(plan);
    line.skew = 5_000;
    await netmon.runCycle();
    line.clock = 1_060_000;
    await netmon.runCycle();
    expect(sent).toEqual([]);
    const counts = netmon.queue.counts();
    // gateway (ICMP to 127.0.0.1), one resolver, the server's /healthz, IT's TCP target: 4 per cycle.
    expect(counts.samples).toBe(8);
    expect(http.hits).toEqual(['/healthz', '/healthz']);

    line.online = true;
    line.clock = 9_000_000;
    netmon.connected();
    expect(sent).toHaveLength(1);
    const samples = sent[0]?.samples ?? [];
    expect(samples.map((s) => s.at)).toEqual([...Array(4).fill(1_005_000), ...Array(4).fill(1_065_000)]);
    const byTarget = Object.fromEntries(samples.slice(0, 4).map((s) => [s.target, s]));
    expect(byTarget.gateway).toMatchObject({ method: 'icmp', address: '127.0.0.1', sent: 2, received: 2 });
    expect(byTarget.dns).toMatchObject({ method: 'dns', sent: 2, received: 2 });
    expect(byTarget.server).toMatchObject({ method: 'http', received: 1, http: { status: 200 } });
    expect(byTarget['it:erp']).toMatchObject({ method: 'tcp', received: 0, error: 'refused' });

    netmon.acked(sent[0]?.batchId ?? '');
    expect(netmon.queue.counts()).toMatchObject({ samples: 0, batches: 0 });
    await netmon.queue.flush();
    const onDisk = JSON.parse(await readFile(join(deps.dataDir, 'netmon', 'queue.json'), 'utf8')) as {
      samples: [];
      batches: [];
    };
    expect(onDisk).toMatchObject({ samples: [], batches: [] });
  });

  it('an unacknowledged batch is sent again, with the same id, after a reconnect; and survives a restart', async () => {
    const { netmon, plan, line, sent, deps } = await setup();
    netmon.configure(plan);
    line.online = true;
    await netmon.runCycle();
    expect(sent).toHaveLength(1);
    const first = sent[0];
    line.online = false; // the connection dropped before the ack
    netmon.connected(); // … nothing goes while offline
    expect(sent).toHaveLength(1);
    line.online = true;
    netmon.connected();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(first);

    // A restart before the ack: the batch is still there, same id and content.
    await netmon.stop();
    const again = createNetmon(deps);
    services.push(again);
    await again.start();
    expect(again.config()).toEqual(plan);
    again.connected();
    expect(sent[2]).toEqual(first);
    again.acked(first?.batchId ?? '');
    expect(again.queue.counts().samples).toBe(0);
    await again.stop();
  });

  it('the queue is capped: the oldest samples are dropped first', async () => {
    const { netmon, plan, line } = await setup({ queue: { maxSamples: 6 } });
    netmon.configure(plan);
    for (const clock of [1_000_000, 2_000_000, 3_000_000]) {
      line.clock = clock;
      await netmon.runCycle();
    }
    const counts = netmon.queue.counts();
    expect(counts).toMatchObject({ samples: 6, dropped: 6 });
    line.online = true;
    netmon.connected();
    // Two cycles' worth remain: the second's and the third's.
    expect(netmon.queue.unacked()[0]?.samples.map((s) => s.at)).toEqual([
      ...Array(2).fill(2_000_000).slice(0, 2),
      ...Array(4).fill(3_000_000),
    ]);
  });

  it('a long queue drains in several frames, each under the channel limit and NETMON_BATCH_SAMPLES_MAX', async () => {
    const { netmon, plan, line, sent } = await setup({ queue: { maxFrameBytes: 1_200 } });
    netmon.configure(plan);
    for (let i = 0; i < 3; i++) await netmon.runCycle();
    line.online = true;
    netmon.connected();
    expect(sent.length).toBeGreaterThan(1);
    for (const b of sent)
      expect(frameBytes({ ...b, links: b.links ?? [], bandwidth: b.bandwidth ?? [] })).toBeLessThan(1_200);
    // In flight at most 4; acks let the rest go, in order.
    while (netmon.queue.counts().batches > 0)
      netmon.acked(sent.find((b) => netmon.queue.unacked().some((u) => u.batchId === b.batchId))?.batchId ?? '');
    const ats = sent.flatMap((b) => b.samples.map((s) => s.at));
    expect(ats).toHaveLength(12);
    expect([...ats].sort((a, b) => a - b)).toEqual(ats);
  });

  it('where ping is not allowed the gateway is timed by TCP connects (a refused port still answers)', async () => {
    const closed = await refusedPort();
    const notPermitted: ProcessRunner = {
      run: async () => ({
        ok: true,
        value: { exitCode: 2, stdout: '', stderr: 'ping: socket: Operation not permitted\n' },
      }),
    };
    const { netmon, plan } = await setup({ runner: notPermitted });
    netmon.configure({ ...plan, dns: false, server: false, targets: [], gatewayTcpPort: closed });
    await netmon.runCycle();
    await netmon.runCycle();
    const samples = netmon.queue.nextBatch()?.samples ?? [];
    expect(samples).toHaveLength(2);
    for (const s of samples) expect(s).toMatchObject({ target: 'gateway', method: 'tcp', sent: 2, received: 2 });
  });

  it('follows the plan: cycles every interval, each at a random offset within the jitter window', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let routes = 0;
    const { netmon, plan } = await setup({
      random: () => 0.5,
      environment: {
        defaultRoute: async () => (routes++, { gateway: null, iface: null }),
        resolvers: async () => [],
      },
    });
    await netmon.start();
    netmon.configure({ ...plan, intervalSeconds: 60, dns: false, server: false, targets: [] });
    // First cycle at 0.5 × 20 % × 60 s = 6 s.
    await vi.advanceTimersByTimeAsync(5_900);
    expect(routes).toBe(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(routes).toBe(1);
    // The next: 60 s × (1 − 10 %) + 0.5 × 12 s = 60 s later.
    await vi.advanceTimersByTimeAsync(59_700);
    expect(routes).toBe(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(routes).toBe(2);
    expect(netmon.queue.nextBatch()?.samples[0]).toMatchObject({ target: 'gateway', error: 'no-gateway', sent: 0 });
    await netmon.stop();
  });
});
