import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RemoteSessionDto } from '../../src/shared/api/remote';
import { REMOTE_TOKEN_PROTOCOL_PREFIX } from '../../src/shared/remote/remote-limits';
import { SHARE_SIGNAL_PROTOCOL } from '../../src/shared/remote/share-limits';
import { openPeer, type TestPeer } from './channel-client';
import { describeEachDatabase, createTestServer, type EnrolledDevice, type TestServer } from './harness';

/*
 * A screen share whose device drops off the live channel mid-share (issue 13): what the help desk sends it
 * meanwhile (the server's `start`, the console's answer and candidates) waits in share_signals, and reaches the
 * device, in order, once it is back and says hello — not only when the next signal happens to be sent.
 */

const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };

describeEachDatabase('screen share: signals wait for a device that reconnects', (dialect) => {
  let s: TestServer;
  let url: string;
  let device: EnrolledDevice;

  beforeAll(async () => {
    s = await createTestServer(dialect);
    url = await s.app.listen({ host: '127.0.0.1', port: 0 });
    device = await s.enroll();
  });
  afterAll(async () => s?.close());

  const online = async (): Promise<TestPeer> => {
    const peer = await openPeer(url, device.token);
    peer.send({ type: 'hello', cursor: 0, agentVersion: '0.1.0' });
    await peer.next('welcome');
    return peer;
  };

  it('the signals sent while the channel was down reach the device on its hello, each once', async () => {
    const first = await online();
    const res = await s.inject({
      method: 'POST',
      url: `/api/v1/devices/${device.id}/remote-sessions`,
      headers: s.tech.headers,
      payload: { kind: 'share', reason: 'Show me the error' },
    });
    const dto = res.json<RemoteSessionDto>();
    const request = await first.next('remote.request');
    expect(request.request.envelope.id).toBe(dto.id);
    first.send({ type: 'remote.update', sessionId: dto.id, status: 'awaiting-consent' });
    first.send({ type: 'remote.update', sessionId: dto.id, status: 'accepted', consent: { by: 'employee' } });
    const session = async () =>
      (
        await s.inject({ method: 'GET', url: `/api/v1/remote-sessions/${dto.id}`, headers: s.tech.headers })
      ).json<RemoteSessionDto>();
    for (let i = 0; (await session()).status !== 'accepted'; i++) {
      if (i > 200) throw new Error('not accepted');
      await new Promise((r) => setTimeout(r, 25));
    }

    // The device's channel drops.
    first.ws.terminate();
    await first.closed;
    for (let i = 0; s.channel.isConnected(device.id); i++) {
      if (i > 200) throw new Error('still connected');
      await new Promise((r) => setTimeout(r, 25));
    }

    // The technician arrives meanwhile: `start` for the device; their candidate too.
    const ws = new WebSocket(
      `${url.replace('http', 'ws')}/api/v1/remote-sessions/${dto.id}/signaling`,
      [SHARE_SIGNAL_PROTOCOL, REMOTE_TOKEN_PROTOCOL_PREFIX + dto.consoleToken!],
      { headers: { cookie: s.tech.headers.cookie! } },
    );
    const frames: Array<{ type: string }> = [];
    const ready = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        frames.push(JSON.parse(String(data)) as { type: string });
        if (frames.length === 1) resolve();
      }),
    );
    await ready;
    expect(frames[0]!.type).toBe('ready');
    ws.send(JSON.stringify({ type: 'candidate', candidate: CANDIDATE }));
    for (let i = 0; ; i++) {
      const waiting = await s.db.kysely
        .selectFrom('share_signals')
        .select('id')
        .where('session_id', '=', dto.id)
        .where('to_side', '=', 'device')
        .where('taken_at', 'is', null)
        .execute();
      if (waiting.length === 2) break;
      if (i > 200) throw new Error(`signals stored: ${waiting.length}`);
      await new Promise((r) => setTimeout(r, 25));
    }

    // Back: hello, and what waited arrives, in order.
    const second = await online();
    const start = await second.next('share.signal');
    expect(start).toMatchObject({ sessionId: dto.id, signal: { type: 'start' } });
    const candidate = await second.next('share.signal');
    expect(candidate).toMatchObject({ sessionId: dto.id, signal: { type: 'candidate', candidate: CANDIDATE } });
    // Taken once: a second reconnect gets nothing again.
    second.ws.terminate();
    await second.closed;
    const third = await online();
    await new Promise((r) => setTimeout(r, 300));
    expect(third.received.filter((m) => m.type === 'share.signal')).toEqual([]);
    ws.close();
    third.ws.close();
  });
});
