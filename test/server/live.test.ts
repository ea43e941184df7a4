import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseStaffEvent, PRESENCE_TTL_MS, type StaffEvent } from '../../src/shared/channel/staff-events';
import { openPeer, type TestPeer } from './channel-client';
import { describeEachDatabase, type TestServer } from './harness';
import { fileTicket, postMessage } from './ticket-helpers';

/*
 * The consoles' live side over real HTTP: the staff event stream (server-sent events) and a technician's
 * presence on a ticket, with an agent on the live channel at the other end.
 */
describeEachDatabase('live chat: staff events and presence', (dialect) => {
  let s: TestServer;
  let url: string;
  const peers: TestPeer[] = [];
  const streams: AbortController[] = [];

  beforeAll(async () => {
    s = await createTestServerListening();
  });
  afterAll(async () => {
    for (const p of peers) p.ws.terminate();
    for (const a of streams) a.abort();
    await s?.close();
  });
  async function createTestServerListening(): Promise<TestServer> {
    const { createTestServer } = await import('./harness');
    const server = await createTestServer(dialect);
    url = await server.app.listen({ host: '127.0.0.1', port: 0 });
    return server;
  }

  /** Opens the event stream as a staff member; `next(match)` resolves with the first event that matches. */
  const openStream = async (headers: Record<string, string>) => {
    const abort = new AbortController();
    streams.push(abort);
    const res = await fetch(`${url}/api/v1/staff/events`, { headers, signal: abort.signal });
    const events: StaffEvent[] = [];
    const waiters: { match: (e: StaffEvent) => boolean; resolve: (e: StaffEvent) => void }[] = [];
    if (res.body) {
      void (async () => {
        let buffer = '';
        const decoder = new TextDecoder();
        try {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            buffer += decoder.decode(chunk, { stream: true });
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = block.split('\n').find((l) => l.startsWith('data: '));
              const event = data ? parseStaffEvent(data.slice(6)) : null;
              if (!event) continue;
              events.push(event);
              for (const w of waiters.splice(0))
                if (w.match(event)) w.resolve(event);
                else waiters.push(w);
            }
          }
        } catch {
          // aborted
        }
      })();
    }
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      next: (match: (e: StaffEvent) => boolean) =>
        new Promise<StaffEvent>((resolve, reject) => {
          const early = events.find(match);
          if (early) return resolve(early);
          const timer = setTimeout(() => reject(new Error('no matching staff event within 5 s')), 5000);
          waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
        }),
    };
  };

  it('refuses the stream without a staff session (401)', async () => {
    const res = await fetch(`${url}/api/v1/staff/events`);
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });

  it('tells consoles of devices coming online, replies, the employee typing, delivered and read marks, and shows the technician to the employee', async () => {
    const device = await s.enroll();
    const ticketId = await fileTicket(s, device);
    const stream = await openStream(s.tech.headers);
    expect(stream.status).toBe(200);
    expect(stream.type).toMatch(/^text\/event-stream/);
    const peer = await openPeer(url, device.token);
    peers.push(peer);
    peer.send({ type: 'hello', cursor: Number.MAX_SAFE_INTEGER - 1, agentVersion: 't' });
    await peer.next('welcome');
    // The device came online: every console hears which (its badges are live).
    await stream.next((e) => e.type === 'devices' && (e.deviceIds ?? []).includes(device.id));

    // The technician opens the ticket and types: the employee's tray hears it.
    const presence = (body: object) =>
      s.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/presence`, headers: s.tech.headers, payload: body });
    expect((await presence({ present: true, typing: true })).statusCode).toBe(204);
    expect(await peer.next('presence')).toMatchObject({ ticketId, staff: { name: expect.any(String) }, typing: true });

    // The employee types: every console hears it.
    peer.send({ type: 'typing', ticketId });
    await stream.next((e) => e.type === 'device-typing' && e.ticketId === ticketId);

    // A reply: the console hears of the ticket; the agent acknowledges and reads it, the console hears the marks.
    const res = await postMessage(s, s.tech, ticketId, { body: 'Here to help' });
    const replyId = res.json<{ id: number }>().id;
    await stream.next((e) => e.type === 'ticket' && e.ticketId === ticketId);
    peer.send({ type: 'hello', cursor: 0, agentVersion: 't' });
    // (a second hello closes the socket: the agent resumes on a new one, as after a reconnect)
    await peer.closed;
    const again = await openPeer(url, device.token);
    peers.push(again);
    again.send({ type: 'hello', cursor: replyId - 1, agentVersion: 't' });
    // The new connection hears at once that the technician is still on the ticket.
    expect(await again.next('presence')).toMatchObject({
      ticketId,
      staff: { name: expect.any(String) },
      typing: false,
    });
    const pushed = await again.next('messages');
    expect(pushed.messages.map((m) => m.id)).toEqual([replyId]);
    again.send({ type: 'ack', cursor: replyId });
    await stream.next((e) => e.type === 'marks' && e.ticketIds.includes(ticketId));
    again.send({ type: 'read', ticketId, messageId: replyId });
    await expect
      .poll(async () => {
        const thread = await s.inject({
          method: 'GET',
          url: `/api/v1/tickets/${ticketId}/messages`,
          headers: s.tech.headers,
        });
        const mine = (
          thread.json() as { messages: { id: number; deliveredAt: string | null; readAt: string | null }[] }
        ).messages.find((m) => m.id === replyId);
        return [typeof mine?.deliveredAt, typeof mine?.readAt];
      })
      .toEqual(['string', 'string']);

    // The technician leaves: the employee's tray hears that too.
    expect((await presence({ present: false })).statusCode).toBe(204);
    expect(await again.next('presence')).toMatchObject({ ticketId, staff: null, typing: false });
  });

  it('tells a device that connects which of its tickets a technician has open, until they leave or it lapses', async () => {
    const device = await s.enroll();
    const ticketId = await fileTicket(s, device);
    const presence = (body: object) =>
      s.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/presence`, headers: s.tech.headers, payload: body });
    const connect = async () => {
      const peer = await openPeer(url, device.token);
      peers.push(peer);
      peer.send({ type: 'hello', cursor: Number.MAX_SAFE_INTEGER - 1, agentVersion: 't' });
      await peer.next('welcome');
      return peer;
    };
    // The technician opened the ticket before the employee's agent came online (it renews every 20 s).
    expect((await presence({ present: true, typing: false })).statusCode).toBe(204);
    const first = await connect();
    expect(await first.next('presence', 2_000)).toMatchObject({ ticketId, staff: { name: expect.any(String) } });

    // Left (the connected agent hears it): a device connecting now hears nothing of it. Presence is a state, not
    // a count: when the technician's event (a NOTIFY on PostgreSQL) crossed the hello, the agent may have heard
    // the open state twice, by the hello's replay and by the event, before it hears the technician leave.
    expect((await presence({ present: false })).statusCode).toBe(204);
    let heard = await first.next('presence', 2_000);
    while (heard.staff !== null) {
      expect(heard).toMatchObject({ ticketId, staff: { name: expect.any(String) } });
      heard = await first.next('presence', 2_000);
    }
    expect(heard).toMatchObject({ ticketId, staff: null });
    first.ws.terminate();
    await first.closed;
    const second = await connect();
    await expect(second.next('presence', 500)).rejects.toThrow();
    second.ws.terminate();
    await second.closed;

    // Not renewed within PRESENCE_TTL_MS (the tab was closed): forgotten too.
    expect((await presence({ present: true, typing: false })).statusCode).toBe(204);
    const before = await connect();
    expect(await before.next('presence', 2_000)).toMatchObject({ ticketId, staff: { name: expect.any(String) } });
    before.ws.terminate();
    await before.closed;
    s.clock.advance(PRESENCE_TTL_MS + 1_000);
    const third = await connect();
    await expect(third.next('presence', 500)).rejects.toThrow();
    third.ws.terminate();
  });

  it('answers 404 for presence on a ticket that does not exist, 400 for a bad body', async () => {
    const missing = await s.inject({
      method: 'POST',
      url: '/api/v1/tickets/999999/presence',
      headers: s.tech.headers,
      payload: { present: true },
    });
    expect(missing.statusCode).toBe(404);
    const device = await s.enroll();
    const ticketId = await fileTicket(s, device);
    const bad = await s.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/presence`,
      headers: s.tech.headers,
      payload: { present: 'yes' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it("does not relay a device's typing on a ticket that is not its own", async () => {
    const owner = await s.enroll();
    const stranger = await s.enroll();
    const ticketId = await fileTicket(s, owner);
    const stream = await openStream(s.tech.headers);
    const peer = await openPeer(url, stranger.token);
    peers.push(peer);
    peer.send({ type: 'hello', cursor: Number.MAX_SAFE_INTEGER - 1, agentVersion: 't' });
    await peer.next('welcome');
    peer.send({ type: 'typing', ticketId });
    // A marker after it: once the marker arrives, the typing would have arrived before it.
    await postMessage(s, s.tech, ticketId, { body: 'marker' });
    await stream.next((e) => e.type === 'ticket' && e.ticketId === ticketId);
    await expect(stream.next((e) => e.type === 'device-typing' && e.ticketId === ticketId)).rejects.toThrow();
  });
});
