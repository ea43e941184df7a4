import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_PROTOCOL, CLOSE } from '../../shared/channel/channel-limits';
import type { Message } from './api-client';
import {
  createChannelClient,
  type ChannelClientDeps,
  type ChannelState,
  type ChannelTiming,
  type Presence,
} from './channel-client';
import { startPeer, TOKEN, type Peer, type PeerConnection } from './channel-peer.test-support';

/*
 * The channel client against a small test peer on 127.0.0.1 (channel-peer.test-support.ts). Waits are
 * on events (frames, connections, mode changes); the retry waits go through recording timers, so a
 * test can read the delay the client chose.
 */

const staff = (id: number, ticketId = 1): Message => ({
  id,
  ticketId,
  author: { type: 'staff', name: 'Sam' },
  body: `reply ${id}`,
  internal: false,
  createdAt: '2026-01-01T00:00:00Z',
  attachments: [],
});

/** A client over `peer` with fast test timings; records modes, deliveries and the retry delays it chose. */
function clientFor(peer: Peer, options: { timing?: Partial<ChannelTiming>; random?: () => number } = {}) {
  const delivered: number[] = [];
  const modes: ChannelState[] = [];
  const delays: number[] = [];
  const presence: Presence[] = [];
  const unauthorized = vi.fn();
  let cursor = 0;
  const modeWaiters: Array<{ mode: ChannelState; resolve: () => void }> = [];
  let clock = 1_000_000;
  const deps: ChannelClientDeps = {
    serverUrl: () => peer.url,
    token: () => TOKEN,
    cursor: () => cursor,
    agentVersion: '1.2.3',
    logger: { info() {}, warn() {}, error() {} },
    now: () => clock,
    random: options.random ?? (() => 0),
    timing: {
      reconnect: { baseMs: 10, maxMs: 40, jitter: 0 },
      fallbackRetry: { baseMs: 20, maxMs: 80, jitter: 0 },
      ...options.timing,
    },
    timers: {
      set(run, delayMs) {
        delays.push(delayMs);
        return setTimeout(run, delayMs);
      },
      clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    handlers: {
      async onMessages(messages, next) {
        delivered.push(...messages.map((m) => m.id));
        cursor = Math.max(cursor, next);
      },
      onPresence: (p) => void presence.push(p),
      onUnauthorized: unauthorized,
      onModeChange(mode) {
        modes.push(mode);
        for (const w of modeWaiters.filter((x) => x.mode === mode)) {
          modeWaiters.splice(modeWaiters.indexOf(w), 1);
          w.resolve();
        }
      },
    },
  };
  const client = createChannelClient(deps);
  clients.push(client);
  return {
    client,
    delivered,
    modes,
    delays,
    presence,
    unauthorized,
    setCursor: (c: number) => void (cursor = c),
    advance: (ms: number) => void (clock += ms),
    /** Resolves when the client next enters `mode` (at once if it is in it). */
    mode: (mode: ChannelState) =>
      client.state() === mode ? Promise.resolve() : new Promise<void>((resolve) => modeWaiters.push({ mode, resolve })),
  };
}
const clients: Array<ReturnType<typeof createChannelClient>> = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.stop();
});

/** Accepts the next connection, checks its hello and answers welcome. */
async function accept(peer: Peer, expectedCursor: number): Promise<PeerConnection> {
  const c = await peer.connection();
  expect(await c.next()).toEqual({
    type: 'hello',
    cursor: expectedCursor,
    agentVersion: '1.2.3',
    features: ['netmon'],
  });
  c.welcome();
  return c;
}

describe('channel client', () => {
  it('says hello with the token, subprotocol and cursor, delivers messages and acknowledges them', async () => {
    const peer = await startPeer();
    const t = clientFor(peer);
    t.setCursor(7);
    t.client.start();
    expect(t.client.state()).toBe('connecting');
    const c = await peer.connection();
    expect(c.request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(c.ws.protocol).toBe(CHANNEL_PROTOCOL);
    expect(await c.next()).toEqual({ type: 'hello', cursor: 7, agentVersion: '1.2.3', features: ['netmon'] });
    c.welcome();
    await t.mode('live');
    c.send({ type: 'messages', messages: [staff(8), staff(9)], cursor: 9 });
    expect(await c.next()).toEqual({ type: 'ack', cursor: 9 });
    expect(t.delivered).toEqual([8, 9]);
    expect(t.modes).toEqual(['connecting', 'live']);
  });

  it('answers ping with pong, and hands presence over', async () => {
    const peer = await startPeer();
    const t = clientFor(peer);
    t.client.start();
    const c = await accept(peer, 0);
    c.send({ type: 'ping', t: 123.5 });
    expect(await c.next()).toEqual({ type: 'pong', t: 123.5 });
    c.send({ type: 'presence', ticketId: 4, staff: { name: 'Sam' }, typing: true });
    c.send({ type: 'ping', t: 2 });
    await c.next();
    expect(t.presence).toEqual([{ ticketId: 4, staff: { name: 'Sam' }, typing: true }]);
  });

  it('reconnects with backoff after a drop and resumes from its cursor: nothing lost, nothing twice', async () => {
    const peer = await startPeer();
    const t = clientFor(peer);
    t.client.start();
    const first = await accept(peer, 0);
    first.send({ type: 'messages', messages: [staff(1), staff(2)], cursor: 2 });
    expect(await first.next()).toEqual({ type: 'ack', cursor: 2 });
    first.ws.terminate();
    await t.mode('connecting');
    // The second connection says where it is; the peer resends an id it already had.
    const second = await accept(peer, 2);
    second.send({ type: 'messages', messages: [staff(2), staff(3)], cursor: 3 });
    expect(await second.next()).toEqual({ type: 'ack', cursor: 3 });
    second.send({ type: 'messages', messages: [staff(1), staff(3)], cursor: 3 });
    expect(await second.next()).toEqual({ type: 'ack', cursor: 3 });
    expect(t.delivered).toEqual([1, 2, 3]);
    expect(t.delays).toEqual([10]);
    expect(t.modes).toEqual(['connecting', 'live', 'connecting', 'live']);
  });

  it('backs off further while connections keep failing, and resets after a welcome', async () => {
    const peer = await startPeer();
    const t = clientFor(peer, { timing: { failuresBeforeFallback: 10 } });
    t.client.start();
    for (let i = 0; i < 3; i++) (await peer.connection()).ws.terminate();
    const c = await accept(peer, 0);
    c.ws.terminate();
    await accept(peer, 0);
    expect(t.delays).toEqual([10, 20, 40, 10]);
  });

  it('takes silence for a dead connection and reconnects', async () => {
    const peer = await startPeer();
    const t = clientFor(peer, { timing: { idleTimeoutMs: 150 } });
    t.client.start();
    const first = await peer.connection();
    await first.next();
    first.welcome(50);
    await t.mode('live');
    // The peer says nothing more; the client gives the connection up and opens another.
    const second = await peer.connection();
    expect(await second.next()).toMatchObject({ type: 'hello' });
    await first.closed;
    expect(first.ws.readyState).toBe(first.ws.CLOSED);
  });

  it('on 4001 tells the agent the token was refused and stops retrying until started again', async () => {
    const peer = await startPeer();
    const t = clientFor(peer);
    t.client.start();
    const c = await accept(peer, 0);
    await t.mode('live');
    c.ws.close(CLOSE.unauthorized, 'token revoked');
    await vi.waitFor(() => expect(t.unauthorized).toHaveBeenCalledTimes(1));
    expect(t.client.state()).toBe('stopped');
    expect(t.delays).toEqual([]);
    t.client.wake();
    expect(t.delays).toEqual([]);
    expect(peer.accepted).toBe(1);
    t.client.start();
    await accept(peer, 0);
    await t.mode('live');
  });

  it('on 1013 waits the delay the server gave (plus jitter) before reconnecting', async () => {
    const peer = await startPeer();
    const t = clientFor(peer, { random: () => 0.5 });
    t.client.start();
    const c = await accept(peer, 0);
    await t.mode('live');
    const closedAt = Date.now();
    c.ws.close(CLOSE.tryAgainLater, '200');
    await accept(peer, 0);
    expect(t.delays).toEqual([250]);
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(240);
  });

  it('falls back to the long poll when the upgrade is answered by HTTP (426, 404), and comes back live', async () => {
    const peer = await startPeer();
    peer.refuse = 426;
    const t = clientFor(peer);
    t.client.start();
    await t.mode('long-poll');
    peer.refuse = 404;
    // Still refused: the retry waits longer each time, within the fallback policy.
    await vi.waitFor(() => expect(t.delays.length).toBeGreaterThanOrEqual(2));
    peer.refuse = null;
    await accept(peer, 0);
    await t.mode('live');
    expect(t.modes[0]).toBe('connecting');
    expect(t.modes.slice(1)).toEqual(['long-poll', 'live']);
    expect(t.delays.slice(0, 2)).toEqual([20, 40]);
  });

  it('falls back to the long poll when connections keep dying before welcome', async () => {
    const peer = await startPeer();
    const t = clientFor(peer);
    t.client.start();
    for (let i = 0; i < 3; i++) {
      const c = await peer.connection();
      await c.next();
      c.ws.terminate();
    }
    await t.mode('long-poll');
    expect(t.delays).toEqual([10, 20, 20]);
    await accept(peer, 0);
    await t.mode('live');
  });

  it('closes on a malformed frame from the server (1002) and reconnects', async () => {
    const peer = await startPeer();
    const t = clientFor(peer);
    t.client.start();
    const first = await accept(peer, 0);
    await t.mode('live');
    first.sendRaw(JSON.stringify({ type: 'messages', messages: 'not a list', cursor: 1 }));
    expect(await first.closed).toBe(CLOSE.protocolError);
    await accept(peer, 0);
    expect(t.delivered).toEqual([]);
  });

  it('ignores a frame type it does not know (a newer server) and closes on a frame before welcome', async () => {
    const peer = await startPeer();
    const t = clientFor(peer);
    t.client.start();
    const first = await accept(peer, 0);
    first.sendRaw('{"type":"reboot"}');
    // Still connected: what follows is delivered on the same connection.
    first.send({ type: 'messages', messages: [staff(1)], cursor: 1 });
    expect(await first.next()).toEqual({ type: 'ack', cursor: 1 });
    expect(t.delivered).toEqual([1]);
    first.ws.terminate();
    const second = await peer.connection();
    await second.next();
    second.send({ type: 'ticket.changed', ticketId: 3 });
    expect(await second.closed).toBe(CLOSE.protocolError);
  });

  it('throttles typing per ticket, and keeps a read mark made offline for the next connection', async () => {
    const peer = await startPeer();
    const t = clientFor(peer);
    expect(t.client.send({ type: 'read', ticketId: 5, messageId: 40 })).toBe(false);
    expect(t.client.send({ type: 'read', ticketId: 5, messageId: 41 })).toBe(false);
    expect(t.client.send({ type: 'typing', ticketId: 5 })).toBe(false);
    t.client.start();
    const c = await accept(peer, 0);
    expect(await c.next()).toEqual({ type: 'read', ticketId: 5, messageId: 41 });
    expect(t.client.send({ type: 'typing', ticketId: 5 })).toBe(true);
    expect(t.client.send({ type: 'typing', ticketId: 5 })).toBe(false);
    expect(t.client.send({ type: 'typing', ticketId: 6 })).toBe(true);
    t.advance(3000);
    expect(t.client.send({ type: 'typing', ticketId: 5 })).toBe(true);
    const sent = [await c.next(), await c.next(), await c.next()];
    expect(sent).toEqual([
      { type: 'typing', ticketId: 5 },
      { type: 'typing', ticketId: 6 },
      { type: 'typing', ticketId: 5 },
    ]);
  });

  it('reconnects without acknowledging when the agent could not store the messages', async () => {
    const peer = await startPeer();
    let fail = true;
    const delivered: number[] = [];
    // The handler fails once (a full disk, say): no ack, a new connection, the server sends them again.
    const failing = createChannelClient({
      serverUrl: () => peer.url,
      token: () => TOKEN,
      cursor: () => 0,
      agentVersion: '1.2.3',
      logger: { info() {}, warn() {}, error() {} },
      timing: { reconnect: { baseMs: 5, maxMs: 5, jitter: 0 } },
      handlers: {
        async onMessages(messages) {
          if (fail) {
            fail = false;
            throw new Error('disk full');
          }
          delivered.push(...messages.map((m) => m.id));
        },
      },
    });
    clients.push(failing);
    failing.start();
    const first = await accept(peer, 0);
    first.send({ type: 'messages', messages: [staff(1)], cursor: 1 });
    await first.closed;
    const second = await accept(peer, 0);
    second.send({ type: 'messages', messages: [staff(1)], cursor: 1 });
    expect(await second.next()).toEqual({ type: 'ack', cursor: 1 });
    expect(delivered).toEqual([1]);
  });
});
