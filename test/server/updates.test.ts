import { request as httpRequest } from 'node:http';
import { expect, it, vi } from 'vitest';
import { describeEachDatabase, withTwoDevices, type EnrolledDevice, type TestServer } from './harness';
import { fileTicket, latestMessageId, postMessage } from './ticket-helpers';

describeEachDatabase('agent long poll for replies', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  let other: EnrolledDevice;
  withTwoDevices(dialect, (suite) => ({ s, device, other } = suite));

  const updates = (query: string, who: EnrolledDevice = device) =>
    s.inject({ method: 'GET', url: `/api/v1/tickets/updates?${query}`, headers: who.headers });
  /**
   * Starts a long poll and returns once the server is waiting on the bus for news (the event that it has
   * parked the request), instead of sleeping for a guessed time. `answer` is the eventual response.
   */
  const parkedPoll = async (query: string) => {
    const wait = vi.spyOn(s.ctx.bus, 'wait');
    try {
      const answer = updates(query);
      await vi.waitFor(() => expect(wait).toHaveBeenCalled(), { timeout: 10_000, interval: 5 });
      return { answer };
    } finally {
      wait.mockRestore();
    }
  };
  const latest = () => latestMessageId(s);

  it('returns replies on any of the device tickets at once, without internal notes or its own messages', async () => {
    const after = await latest();
    const [a, b] = [await fileTicket(s, device), await fileTicket(s, device)];
    const theirs = await fileTicket(s, other);
    await postMessage(s, s.tech, a, { body: 'Reply on A' });
    await postMessage(s, s.tech, b, { body: 'Secret', internal: true });
    await postMessage(s, device, b, { body: 'My own words' });
    await postMessage(s, s.tech, b, { body: 'Reply on B' });
    await postMessage(s, s.tech, theirs, { body: 'For the other device' });
    // Answered from what is there: the request is never parked to wait for news.
    const wait = vi.spyOn(s.ctx.bus, 'wait');
    const res = await updates(`after=${after}&wait=10`);
    expect(wait).not.toHaveBeenCalled();
    wait.mockRestore();
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.messages.map((m: { body: string }) => m.body)).toEqual(['Reply on A', 'Reply on B']);
    expect(body.cursor).toBe(body.messages[1].id);
    expect((await updates(`after=${body.cursor}&wait=0`)).json()).toEqual({ messages: [], cursor: body.cursor });
  });

  it('wait=0 returns at once when there is nothing new', async () => {
    const after = await latest();
    const wait = vi.spyOn(s.ctx.bus, 'wait');
    const res = await updates(`after=${after}&wait=0`);
    expect(wait).not.toHaveBeenCalled();
    wait.mockRestore();
    expect(res.json()).toEqual({ messages: [], cursor: after });
  });

  it('wakes a waiting agent promptly when a technician replies during the wait', async () => {
    const id = await fileTicket(s, device);
    const after = await latest();
    const started = performance.now();
    const { answer: waiting } = await parkedPoll(`after=${after}&wait=10`);
    const parked = async () => (await s.ctx.metrics.longPollsWaiting.get()).values[0]?.value;
    expect(await parked()).toBe(1);
    const reply = await postMessage(s, s.tech, id, { body: 'Try restarting the print spooler' });
    const res = await waiting;
    expect(await parked()).toBe(0);
    expect(res.json().messages).toEqual([reply.json()]);
    // Woken by the reply, well before the 10 s wait ends.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it.runIf(dialect === 'postgres')(
    'wakes at once for a reply posted through another server process (LISTEN/NOTIFY), with no re-reads while waiting',
    async () => {
      const { secondProcess } = await import('./multi-process');
      const b = await secondProcess(s);
      try {
        const id = await fileTicket(s, device);
        const after = await latest();
        const { answer: waiting } = await parkedPoll(`after=${after}&wait=20`);
        const started = performance.now();
        // Process B writes the reply and says so on its bus; this process hears it through PostgreSQL.
        await s.db.kysely
          .insertInto('messages')
          .values({
            ticket_id: id,
            author_type: 'staff',
            author_id: '1',
            author_name: 'Other node',
            body: 'From elsewhere',
            internal: 0,
            created_at: s.clock.now,
          })
          .execute();
        b.ctx.bus.notify(id);
        const res = await waiting;
        expect(res.json().messages.map((m: { body: string }) => m.body)).toEqual(['From elsewhere']);
        expect(performance.now() - started).toBeLessThan(1000);
      } finally {
        await b.close();
      }
    },
  );

  it('re-reads when the event bus says it may have missed something (resync), not on a timer', async () => {
    const id = await fileTicket(s, device);
    const after = await latest();
    const { answer: waiting } = await parkedPoll(`after=${after}&wait=20`);
    // Written without an event (as if its notification was lost while the listener reconnected).
    await s.db.kysely
      .insertInto('messages')
      .values({
        ticket_id: id,
        author_type: 'staff',
        author_id: '1',
        author_name: 'Quiet',
        body: 'Unannounced',
        internal: 0,
        created_at: s.clock.now,
      })
      .execute();
    s.ctx.bus.publish({ kind: 'resync' });
    const res = await waiting;
    expect(res.json().messages.map((m: { body: string }) => m.body)).toEqual(['Unannounced']);
  });

  it('times out with nothing when only internal notes arrive', async () => {
    const id = await fileTicket(s, device);
    const after = await latest();
    const started = performance.now();
    const { answer: waiting } = await parkedPoll(`after=${after}&wait=2`);
    await postMessage(s, s.tech, id, { body: 'Internal only', internal: true });
    const res = await waiting;
    expect(performance.now() - started).toBeGreaterThanOrEqual(1900);
    expect(res.json()).toEqual({ messages: [], cursor: after });
  });

  it('stops waiting when the agent disconnects', async () => {
    const wait = vi.spyOn(s.ctx.bus, 'wait');
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = s.app.server.address() as { port: number };
      const request = httpRequest({
        host: '127.0.0.1',
        port,
        path: `/api/v1/tickets/updates?after=${await latest()}&wait=30`,
        headers: device.headers,
      });
      request.on('error', () => undefined);
      request.end();
      await vi.waitFor(() => expect(wait).toHaveBeenCalled(), { timeout: 3000 });
      // The laptop goes to sleep mid-poll.
      request.destroy();
      const signal = wait.mock.calls.at(-1)?.[2];
      await vi.waitFor(() => expect(signal?.aborted).toBe(true), { timeout: 2000 });
    } finally {
      wait.mockRestore();
    }
  });

  it('answers 400 for bad cursors and waits, 401 without a device token', async () => {
    for (const query of ['after=abc', 'after=-1', 'after=1e20', 'wait=31', 'wait=-1', 'wait=abc', 'wait=1.5']) {
      const res = await updates(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
    expect((await s.inject({ method: 'GET', url: '/api/v1/tickets/updates?wait=0' })).statusCode).toBe(401);
    expect(
      (await s.inject({ method: 'GET', url: '/api/v1/tickets/updates?wait=0', headers: s.tech.headers })).statusCode,
    ).toBe(401);
  });
});
