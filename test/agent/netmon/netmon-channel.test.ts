import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpMessage } from '../../../src/shared/channel/messages';
import { DEFAULT_NETMON_CONFIG } from '../../../src/shared/netmon/netmon';
import { createProcessRunner } from '../../../src/main/actions/process-runner';
import { createChannelClient, type ChannelClient } from '../../../src/main/services/channel-client';
import { startPeer, TOKEN, type PeerConnection } from '../../../src/main/services/channel-peer.test-support';
import { createNetmon, type Netmon } from '../../../src/main/netmon/netmon.service';
import { startHttp } from './loopback';

/*
 * Network monitoring over the real channel client and a test help-desk peer on 127.0.0.1: the skew from
 * welcome.serverTime stamps the samples, `netmon.config` starts the plan, `netmon.batch` passes the message
 * table, `netmon.ack` empties the queue, and a batch not acknowledged before the connection dropped is sent
 * again, same id, after the reconnect.
 */

const logger = { info() {}, warn() {}, error() {} };
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function nextOf<T extends UpMessage['type']>(conn: PeerConnection, type: T): Promise<UpMessage<T>> {
  for (;;) {
    const m = await conn.next();
    if (m.type === type) return m as unknown as UpMessage<T>;
  }
}

describe('netmon over the live channel', () => {
  it('plan down, batches up stamped on the server clock, ack, and a re-send after reconnect', async () => {
    const peer = await startPeer();
    const http = await startHttp();
    const dataDir = await mkdtemp(join(tmpdir(), 'netmon-ch-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    let netmon: Netmon | null = null;
    const client: ChannelClient = createChannelClient({
      serverUrl: () => peer.url,
      token: () => TOKEN,
      cursor: () => 0,
      agentVersion: '1.0.0',
      logger,
      random: () => 0,
      timing: { reconnect: { baseMs: 10, maxMs: 20, jitter: 0 } },
      handlers: {
        onMessages: async () => {},
        onNetmonConfig: (m) => netmon?.configure(m.config),
        onNetmonAck: (batchId) => netmon?.acked(batchId),
        onModeChange: (mode) => (mode === 'live' ? netmon?.connected() : undefined),
      },
    });
    netmon = createNetmon({
      dataDir,
      logger,
      platform: 'linux',
      runner: createProcessRunner(),
      environment: { defaultRoute: async () => ({ gateway: null, iface: null }), resolvers: async () => [] },
      link: null,
      serverUrl: () => `http://127.0.0.1:${http.port}`,
      online: () => client.state() === 'live',
      send: (batch) => client.send({ type: 'netmon.batch', ...batch }),
      skewMs: () => client.skewMs(),
      enrolled: () => true,
    });
    cleanup.push(
      () => netmon?.stop(),
      () => client.stop(),
    );
    client.start();
    const conn = await peer.connection();
    await nextOf(conn, 'hello');
    // The server's clock is an hour ahead of this one.
    const serverAhead = 3_600_000;
    conn.send({
      type: 'welcome',
      deviceId: 'dev-1',
      serverTime: new Date(Date.now() + serverAhead).toISOString(),
      pingIntervalMs: 25_000,
    });
    conn.send({
      type: 'netmon.config',
      config: {
        ...DEFAULT_NETMON_CONFIG,
        gateway: false,
        dns: false,
      },
    });
    await expect.poll(() => netmon?.config()?.gateway).toBe(false);
    expect(Math.abs(client.skewMs() - serverAhead)).toBeLessThan(2_000);

    const before = Date.now();
    await netmon.runCycle();
    const batch = await nextOf(conn, 'netmon.batch');
    expect(batch.samples).toHaveLength(1);
    expect(batch.samples[0]).toMatchObject({ target: 'server', method: 'http', received: 1, http: { status: 200 } });
    expect((batch.samples[0]?.at ?? 0) - before - serverAhead).toBeLessThan(2_000);
    expect(http.hits).toEqual(['/healthz']);

    // The connection drops before the ack: after the reconnect the same batch goes again.
    conn.ws.terminate();
    const again = await peer.connection();
    await nextOf(again, 'hello');
    again.welcome();
    const resent = await nextOf(again, 'netmon.batch');
    expect(resent).toEqual(batch);
    again.send({ type: 'netmon.ack', batchId: batch.batchId });
    await expect.poll(() => netmon?.queue.counts().batches).toBe(0);
    expect(netmon.queue.counts().samples).toBe(0);
  });
});
