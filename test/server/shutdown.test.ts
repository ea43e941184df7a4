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
