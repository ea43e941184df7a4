import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MessageDto } from '../../src/shared/api/tickets';
import { startPeer, type Peer } from '../../src/main/services/channel-peer.test-support';
import { createTestAgent, startListeningServer, waitFor, type ListeningServer } from './support';

/*
 * The agent core with its live channel, end to end on the agent's side: the real server answers HTTP
 * (enrollment, tickets, the long poll) through a front that also holds the channel's WebSocket (the
 * test peer), so the test plays the server's channel by hand. Replies pushed on the channel notify like
 * the long poll's; while the channel is live no long poll runs; when the upgrade is refused the long
 * poll carries replies, and the agent comes back to the channel when it is accepted again.
 */

let server: ListeningServer;
beforeAll(async () => {
  server = await startListeningServer();
});
afterAll(() => server?.close());

const longPolls = (peer: Peer) => peer.requests.filter((r) => /\/tickets\/updates\?.*wait=[1-9]/.test(r)).length;

async function staffReply(ticketId: number, body: string): Promise<MessageDto> {
  const reply = await server.s.inject({
    method: 'POST',
    url: `/api/v1/tickets/${ticketId}/messages`,
    headers: server.s.tech.headers,
    payload: { body },
  });
  expect(reply.statusCode).toBe(201);
  return reply.json() as MessageDto;
}

describe('agent core with the live channel', () => {
  it('takes replies, presence and typing over the channel, falls back to the long poll and comes back', async () => {
    const peer = await startPeer({ forward: server.url });
    const agent = await createTestAgent({
      managed: { serverUrl: peer.url, enrollSecret: server.s.enrollSecret },
      deps: {
        longPollSeconds: 1,
        channel: {
          graceMs: 300,
          timing: {
            reconnect: { baseMs: 20, maxMs: 50, jitter: 0 },
            fallbackRetry: { baseMs: 150, maxMs: 300, jitter: 0 },
          },
        },
      },
    });
    try {
      await agent.core.start();
      const first = await peer.connection();
      expect(await first.next()).toMatchObject({ type: 'hello', cursor: 0 });
      expect(first.request.headers.authorization).toMatch(/^Bearer \S{16,}$/);
      first.welcome();
      await waitFor(() => agent.core.state().enrollment.state === 'enrolled', 5000, 'enrollment');

      await agent.call('ticket:submit', { subject: 'VPN drops', category: 'network', urgency: 'medium' });
      const ticket = await waitFor(
        async () => (await agent.call('tickets:list', {})).tickets.find((t) => t.subject === 'VPN drops'),
        5000,
        'ticket on server',
      );

      // A reply pushed on the channel: stored, notified, acknowledged.
      const one = await staffReply(ticket.id, 'Which Wi-Fi are you on?');
      first.send({ type: 'messages', messages: [one], cursor: one.id });
      expect(await first.next()).toEqual({ type: 'ack', cursor: one.id });
      await waitFor(() => agent.platform.notifications.find((n) => n.ticketId === ticket.id), 5000, 'notification');
      expect(agent.core.state().unread).toBe(1);

      // Presence reaches the window; the employee's typing and reading reach the help desk.
      first.send({ type: 'presence', ticketId: ticket.id, staff: { name: 'Sam Tech' }, typing: true });
      await waitFor(() => agent.events.find((e) => e.event === 'ticket:presence'), 5000, 'presence event');
      expect(await agent.call('ticket:presence', { ticketId: ticket.id })).toEqual({
        ticketId: ticket.id,
        staff: { name: 'Sam Tech' },
        typing: true,
      });
      await agent.call('ticket:typing', { ticketId: ticket.id });
      expect(await first.next()).toEqual({ type: 'typing', ticketId: ticket.id });
      await agent.call('tickets:get', { ticketId: ticket.id });
      expect(await first.next()).toEqual({ type: 'read', ticketId: ticket.id, messageId: one.id });
      expect(agent.core.state().unread).toBe(0);
      expect(longPolls(peer)).toBe(0);

      // A proxy now refuses the upgrade: the long poll brings the next reply.
      peer.refuse = 404;
      first.ws.terminate();
      await waitFor(() => longPolls(peer) > 0, 5000, 'long poll');
      expect(await agent.call('ticket:presence', { ticketId: ticket.id })).toMatchObject({ staff: null });
      const two = await staffReply(ticket.id, 'Try the other network.');
      await waitFor(() => agent.platform.notifications.find((n) => n.body === 'Try the other network.'), 5000, 'two');

      // The channel is accepted again: the agent resumes from its cursor and the long poll stops.
      peer.refuse = null;
      const again = await peer.connection();
      expect(await again.next()).toMatchObject({ type: 'hello', cursor: two.id });
      again.welcome();
      // Resent (already had it) and new: only the new one notifies.
      const three = await staffReply(ticket.id, 'Fixed on our side.');
      again.send({ type: 'messages', messages: [two, three], cursor: three.id });
      expect(await again.next()).toEqual({ type: 'ack', cursor: three.id });
      const polls = longPolls(peer);
      await waitFor(() => agent.platform.notifications.find((n) => n.body === 'Fixed on our side.'), 5000, 'three');
      expect(agent.platform.notifications.filter((n) => n.body === 'Try the other network.')).toHaveLength(1);
      expect(longPolls(peer)).toBe(polls);
    } finally {
      await agent.stop();
    }
  });

  it('against the real server: replies, presence and read marks travel the channel, with no long poll', async () => {
    const agent = await createTestAgent({
      managed: { serverUrl: server.url, enrollSecret: server.s.enrollSecret },
      deps: { longPollSeconds: 1 },
    });
    const connections = () => server.s.ctx.metrics.registry.getSingleMetricAsString('deskside_channel_connections');
    try {
      await agent.core.start();
      await waitFor(() => agent.core.state().enrollment.state === 'enrolled', 5000, 'enrollment');
      await agent.call('ticket:submit', { subject: 'Teams echo', category: 'other', urgency: 'low' });
      const ticket = await waitFor(
        async () => (await agent.call('tickets:list', {})).tickets.find((t) => t.subject === 'Teams echo'),
        5000,
        'ticket on server',
      );
      await waitFor(async () => /deskside_channel_connections [1-9]/.test(await connections()), 5000, 'channel live');
      const polling = vi.spyOn(server.s.ctx.bus, 'wait');
      const started = performance.now();
      const reply = await staffReply(ticket.id, 'Does it happen with headphones?');
      await waitFor(
        () => agent.platform.notifications.find((n) => n.body === 'Does it happen with headphones?'),
        5000,
        'reply',
      );
      expect(performance.now() - started).toBeLessThan(1000);
      // Nobody long-polled for it: it came over the socket.
      expect(polling).not.toHaveBeenCalled();
      polling.mockRestore();

      const presence = await server.s.inject({
        method: 'POST',
        url: `/api/v1/tickets/${ticket.id}/presence`,
        headers: server.s.tech.headers,
        payload: { present: true, typing: false },
      });
      expect(presence.statusCode).toBe(204);
      await waitFor(
        async () => (await agent.call('ticket:presence', { ticketId: ticket.id })).staff !== null,
        5000,
        'presence',
      );

      await agent.call('tickets:get', { ticketId: ticket.id });
      await waitFor(
        async () => {
          const thread = await server.s.inject({
            method: 'GET',
            url: `/api/v1/tickets/${ticket.id}/messages`,
            headers: server.s.tech.headers,
          });
          const mine = (thread.json() as { messages: MessageDto[] }).messages.find((m) => m.id === reply.id);
          return mine?.deliveredAt && mine.readAt ? mine : undefined;
        },
        5000,
        'delivered and read marks',
      );
    } finally {
      await agent.stop();
    }
  });
});
