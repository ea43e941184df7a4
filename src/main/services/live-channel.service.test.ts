import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TicketPresence } from '../../shared/ipc/contract';
import type { Message } from './api-client';
import type { ChannelState } from './channel-client';
import { startPeer, TOKEN, type Peer, type PeerConnection } from './channel-peer.test-support';
import { createLiveChannel, type LiveChannel } from './live-channel.service';

/*
 * The live channel as the agent core wires it, against the test peer: what each pushed frame turns
 * into (guidance calls, content sync, presence events) and what the agent sends back.
 */

const staff = (id: number): Message => ({
  id,
  ticketId: 1,
  author: { type: 'staff', name: 'Sam' },
  body: `reply ${id}`,
  internal: false,
  createdAt: '2026-01-01T00:00:00Z',
  attachments: [],
});

const started: LiveChannel[] = [];
afterEach(() => {
  for (const live of started.splice(0)) live.stop();
});

function liveOver(peer: Peer) {
  let cursor = 0;
  const states: ChannelState[] = [];
  const stored: number[] = [];
  const changed: number[] = [];
  const presence: TicketPresence[] = [];
  const syncContent = vi.fn(async () => {});
  const live = createLiveChannel({
    serverUrl: () => peer.url,
    token: () => TOKEN,
    agentVersion: '2.0.0',
    logger: { info() {}, warn() {}, error() {} },
    guidance: {
      channelState: (s) => void states.push(s),
      async channelMessages(messages, next) {
        stored.push(...messages.map((m) => m.id));
        cursor = next;
      },
      ticketChanged: async (ticketId) => void changed.push(ticketId),
      cursor: () => cursor,
    },
    syncContent,
    onUnauthorized: () => {},
    onLive: () => {},
    onPresence: (p) => void presence.push(p),
    timing: { reconnect: { baseMs: 10, maxMs: 10, jitter: 0 } },
    typingShownMs: 40,
    contentDebounceMs: 20,
  });
  started.push(live);
  return { live, states, stored, changed, presence, syncContent };
}

async function welcome(peer: Peer): Promise<PeerConnection> {
  const c = await peer.connection();
  expect(await c.next()).toMatchObject({ type: 'hello', agentVersion: '2.0.0' });
  c.welcome();
  return c;
}

/** Sends a ping and waits for its pong: every frame sent before it has been handled. */
async function roundTrip(c: PeerConnection, t: number): Promise<void> {
  c.send({ type: 'ping', t });
  expect(await c.next()).toEqual({ type: 'pong', t });
}

describe('live channel in the agent', () => {
  it('stores pushed messages through guidance before acknowledging them, and refreshes changed tickets', async () => {
    const peer = await startPeer();
    const t = liveOver(peer);
    t.live.start();
    const c = await welcome(peer);
    await vi.waitFor(() => expect(t.live.state()).toBe('live'));
    expect(t.states).toEqual(['connecting', 'live']);
    c.send({ type: 'messages', messages: [staff(3), staff(4)], cursor: 4 });
    expect(await c.next()).toEqual({ type: 'ack', cursor: 4 });
    expect(t.stored).toEqual([3, 4]);
    c.send({ type: 'ticket.changed', ticketId: 9 });
    await roundTrip(c, 1);
    expect(t.changed).toEqual([9]);
  });

  it('syncs content once on welcome and once per burst of content.changed', async () => {
    const peer = await startPeer();
    const t = liveOver(peer);
    t.live.start();
    const c = await welcome(peer);
    await vi.waitFor(() => expect(t.syncContent).toHaveBeenCalledTimes(1));
    c.send({ type: 'content.changed', kind: 'articles' });
    c.send({ type: 'content.changed', kind: 'announcements' });
    c.send({ type: 'content.changed', kind: 'articles' });
    await vi.waitFor(() => expect(t.syncContent).toHaveBeenCalledTimes(2));
    await roundTrip(c, 2);
    expect(t.syncContent).toHaveBeenCalledTimes(2);
  });

  it('keeps presence per ticket, ends typing on its own, and forgets presence when the channel drops', async () => {
    const peer = await startPeer();
    const t = liveOver(peer);
    t.live.start();
    const c = await welcome(peer);
    c.send({ type: 'presence', ticketId: 1, staff: { name: 'Sam' }, typing: true });
    await roundTrip(c, 1);
    expect(t.live.presence(1)).toEqual({ ticketId: 1, staff: { name: 'Sam' }, typing: true });
    expect(t.live.presence(2)).toEqual({ ticketId: 2, staff: null, typing: false });
    // No further typing presence: after typingShownMs it shows as here, not typing.
    await vi.waitFor(() => expect(t.live.presence(1).typing).toBe(false));
    expect(t.presence.at(-1)).toEqual({ ticketId: 1, staff: { name: 'Sam' }, typing: false });
    c.ws.terminate();
    await vi.waitFor(() => expect(t.presence.at(-1)).toEqual({ ticketId: 1, staff: null, typing: false }));
    expect(t.live.presence(1).staff).toBeNull();
    await welcome(peer);
  });

  it('sends a read mark once per new message id, and typing throttled', async () => {
    const peer = await startPeer();
    const t = liveOver(peer);
    t.live.start();
    const c = await welcome(peer);
    await vi.waitFor(() => expect(t.live.state()).toBe('live'));
    t.live.read(1, 5);
    t.live.read(1, 5);
    t.live.read(1, 4);
    t.live.typing(1);
    t.live.typing(1);
    t.live.read(1, 6);
    const sent = [await c.next(), await c.next(), await c.next()];
    expect(sent).toEqual([
      { type: 'read', ticketId: 1, messageId: 5 },
      { type: 'typing', ticketId: 1 },
      { type: 'read', ticketId: 1, messageId: 6 },
    ]);
  });
});
