import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrollSecret, staffClient } from '../e2e/support/server';
import { freePort } from '../helpers/server-process';
import { createTestAgent, removePrivateCli, spawnedServer, waitFor, type SpawnedServer } from './support';

/*
 * The real server as a process that goes away and comes back: a ticket filed while it is down waits
 * in the outbox and arrives exactly once when it is up again; a revoked device token is replaced by
 * enrolling again with the secret, and the waiting ticket still arrives.
 */

let dir: string;
let server: SpawnedServer;
let secret: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskside-offline-'));
  server = spawnedServer(await freePort(), join(dir, 'server'));
  await server.start();
  secret = await createEnrollSecret(server.url, 'offline test');
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await removePrivateCli();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function ticketsNamed(subject: string): Promise<number> {
  const staff = await staffClient(server.url);
  const res = await staff.request<{ tickets: Array<{ subject: string }> }>('GET', `/api/v1/tickets?limit=100`);
  return res.body.tickets.filter((t) => t.subject === subject).length;
}

describe('offline and back', () => {
  it('a ticket filed while the server is down is sent exactly once when it is back', async () => {
    const agent = await createTestAgent({
      managed: { serverUrl: server.url, enrollSecret: secret },
      deps: { longPollSeconds: 2, outboxBackoff: { baseMs: 200, maxMs: 1000, jitter: 0.5 } },
    });
    try {
      await agent.core.start();
      await waitFor(() => agent.core.state().enrollment.state === 'enrolled', 10_000, 'enrollment');
      await waitFor(() => agent.core.state().online, 5000, 'online');

      await server.stop();
      const item = await agent.call('ticket:submit', {
        subject: 'Filed offline',
        category: 'network',
        urgency: 'high',
      });
      expect(item.state).toBe('queued');
      const waiting = await waitFor(
        async () => (await agent.call('tickets:list', {})).outbox.find((o) => o.attempts >= 2),
        10_000,
        'failed attempts',
      );
      expect(waiting.error).toMatch(/cannot be reached/);
      expect(agent.core.state().online).toBe(false);
      expect(agent.core.state().outbox.pending).toBe(1);
      const cached = await agent.call('tickets:list', {});
      expect(cached.fromCache).toBe(true);

      await server.start();
      await waitFor(() => agent.core.state().outbox.pending === 0, 15_000, 'sent after the server came back');
      expect(agent.core.state().online).toBe(true);
      expect(await ticketsNamed('Filed offline')).toBe(1);
      expect((await agent.call('tickets:list', {})).tickets.filter((t) => t.subject === 'Filed offline')).toHaveLength(
        1,
      );
    } finally {
      await agent.stop();
    }
  }, 60_000);

  it('a revoked token is replaced by enrolling again, and the ticket still arrives once', async () => {
    const agent = await createTestAgent({
      managed: { serverUrl: server.url, enrollSecret: secret },
      deps: { longPollSeconds: 2 },
    });
    try {
      await agent.core.start();
      await waitFor(() => agent.core.state().enrollment.state === 'enrolled', 10_000, 'enrollment');
      const deviceId = agent.core.state().enrollment.deviceId as string;
      const staff = await staffClient(server.url);
      expect((await staff.request('POST', `/api/v1/devices/${deviceId}/revoke`)).status).toBe(204);

      await agent.call('ticket:submit', {
        subject: 'After revocation',
        category: 'account',
        urgency: 'low',
        includeSnapshot: false,
      });
      await waitFor(async () => (await ticketsNamed('After revocation')) === 1, 15_000, 'ticket after re-enrollment');
      expect(agent.core.state().enrollment).toMatchObject({ state: 'enrolled', deviceId });
      await waitFor(() => agent.core.state().outbox.pending === 0, 5000, 'outbox empty');
      expect(await ticketsNamed('After revocation')).toBe(1);
    } finally {
      await agent.stop();
    }
  }, 60_000);
});
