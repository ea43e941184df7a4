import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAgent, startListeningServer, waitFor, type ListeningServer } from './support';

let server: ListeningServer;
beforeAll(async () => {
  server = await startListeningServer();
});
afterAll(() => server?.close());

const handles = () =>
  process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'TCPSocketWrap' || r === 'TCPWRAP').length;

describe('agent core against the real server', () => {
  it('stop() ends every timer, poll and connection it started (no dangling handles)', async () => {
    const before = handles();
    const agent = await createTestAgent({ managed: { serverUrl: server.url, enrollSecret: server.s.enrollSecret } });
    await agent.core.start();
    await waitFor(() => agent.core.state().online, 5000, 'online');
    await agent.call('ticket:submit', { subject: 'Before stopping', category: 'other', urgency: 'low' });
    await waitFor(() => agent.core.state().outbox.pending === 0, 5000, 'sent');
    expect(handles()).toBeGreaterThan(before);
    await agent.core.stop();
    await agent.core.stop();
    await waitFor(() => handles() <= before, 2000, 'handles released');
    await agent.stop();
  });

  it('enrolls silently at start and files a ticket with its snapshot', async () => {
    const agent = await createTestAgent({
      managed: { serverUrl: server.url, enrollSecret: server.s.enrollSecret, groups: ['laptops'] },
    });
    try {
      await agent.core.start();
      await waitFor(() => agent.core.state().enrollment.state === 'enrolled', 5000, 'enrollment');
      const deviceId = agent.core.state().enrollment.deviceId as string;
      const device = await server.s.db.kysely
        .selectFrom('devices')
        .selectAll()
        .where('id', '=', deviceId)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(device.groups)).toEqual(['laptops']);

      const prepared = await agent.call('snapshot:prepare', { fresh: false });
      expect(['collecting', 'ready']).toContain(prepared.state);
      const preview = await agent.call('snapshot:preview', {});
      expect(preview.state).toBe('ready');
      const item = await agent.call('ticket:submit', {
        subject: 'Printer jams',
        description: 'Every page',
        category: 'printing',
        urgency: 'high',
        excludeSections: ['software'],
      });
      expect(item.state).toBe('queued');
      const sent = await waitFor(
        async () => (await agent.call('tickets:list', {})).tickets.find((t) => t.subject === 'Printer jams'),
        5000,
        'ticket on server',
      );
      const row = await server.s.db.kysely
        .selectFrom('tickets')
        .select(['id', 'snapshot_id', 'device_id'])
        .where('id', '=', sent.id)
        .executeTakeFirstOrThrow();
      expect(row.device_id).toBe(deviceId);
      expect(row.snapshot_id).not.toBeNull();
      const snap = await server.s.inject({
        method: 'GET',
        url: `/api/v1/snapshots/${row.snapshot_id}`,
        headers: server.s.tech.headers,
      });
      const stored = snap.json() as {
        snapshot: { sections: Record<string, unknown>; probes: Record<string, unknown> };
      };
      expect(stored.snapshot.sections.software).toBeUndefined();
      expect(stored.snapshot.probes.software).toBeUndefined();
      expect(stored.snapshot.sections.os).toEqual(preview.snapshot?.sections.os);
      await waitFor(() => agent.core.state().outbox.pending === 0, 3000, 'outbox empty');
      // The window learns it from the pushed state too.
      const states = agent.events
        .filter((e) => e.event === 'state')
        .map((e) => e.payload as { outbox: { pending: number } });
      expect(states.some((st) => st.outbox.pending === 1)).toBe(true);
      expect(
        states.at(-1)?.outbox.pending,
        JSON.stringify(agent.events.map((e) => [e.event, (e.payload as { outbox?: unknown }).outbox ?? e.payload])),
      ).toBe(0);
    } finally {
      await agent.stop();
    }
  });
});
