import { connect, type Socket } from 'node:net';
import { expect, it } from 'vitest';
import { createTestServer, describeEachDatabase } from './harness';

/* Closing the server does not wait on clients that opened a connection and never sent a request. */
describeEachDatabase('server shutdown', (dialect) => {
  it('closes connections that never sent a request instead of waiting for their headers (60 s)', async () => {
    const s = await createTestServer(dialect);
    const url = new URL(await s.app.listen({ host: '127.0.0.1', port: 0 }));
    const silent: Socket = connect(Number(url.port), '127.0.0.1');
    await new Promise<void>((resolve) => silent.once('connect', () => resolve()));
    const ended = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    // A request in flight on another connection still gets its answer.
    const health = await fetch(`${url.origin}/healthz`);
    expect(health.status).toBe(200);
    let closed = false;
    const closing = s.close().then(() => (closed = true));
    await ended;
    await closing;
    expect(closed).toBe(true);
  }, 20_000);
});

describeEachDatabase('server shutdown under reconnecting agents', (dialect) => {
  it('answers an upgrade request that arrives while it closes, and finishes closing', async () => {
    const s = await createTestServer(dialect);
    const url = new URL(await s.app.listen({ host: '127.0.0.1', port: 0 }));
    // An agent reconnects while the server is in its shutdown steps (the WebSocket plugin has stopped
    // taking upgrades, the listener is still open): held there until its request has been read.
    let answer: Promise<string> | undefined;
    const shutdown = s.channel.shutdown.bind(s.channel);
    s.channel.shutdown = async () => {
      const late: Socket = connect(Number(url.port), '127.0.0.1');
      answer = new Promise<string>((resolve) => {
        let text = '';
        late.on('data', (chunk: Buffer) => (text += chunk.toString()));
        late.on('close', () => resolve(text));
        late.on('error', () => resolve(text));
      });
      await new Promise<void>((resolve) => late.once('connect', () => resolve()));
      late.write(
        'GET /api/v1/device/channel HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      return shutdown();
    };
    await s.close();
    // Answered as an ordinary request while closing, never taken as an upgrade nor left open.
    expect(await answer).toMatch(/^HTTP\/1\.1 503/);
  }, 20_000);
});
