import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthySnapshot } from '../fixtures/snapshot-factory';
import { rootFull } from '../server/ticket-helpers';
import { createTestAgent, startListeningServer, waitFor, type ListeningServer, type TestAgent } from './support';

let server: ListeningServer;
let agent: TestAgent;

async function staff<T = Record<string, unknown>>(
  method: 'POST' | 'DELETE' | 'PATCH',
  url: string,
  payload?: unknown,
): Promise<T> {
  const res = await server.s.inject({
    method,
    url,
    headers: server.s.admin.headers,
    payload: payload as Record<string, unknown>,
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return (res.body ? res.json() : {}) as T;
}

const article = (title: string, body: string, extra: Record<string, unknown> = {}) =>
  staff<{ id: number }>('POST', '/api/v1/articles', { title, body, status: 'published', ...extra });

beforeAll(async () => {
  server = await startListeningServer();
  await article('Free up disk space', 'Empty the trash and clear **Downloads**.', {
    findingCodes: ['disk.almost_full'],
  });
  await article('Clean up old files', 'Use the storage cleanup tool.', { tags: ['cleanup'] });
  await article('Set up the VPN', 'Install the VPN client from the portal.', { tags: ['vpn'] });
  await staff('POST', '/api/v1/announcements', {
    title: 'Mail is down',
    body: 'We are on it.',
    severity: 'warning',
    status: 'published',
  });
  agent = await createTestAgent({
    managed: { serverUrl: server.url, enrollSecret: server.s.enrollSecret, privacy: { redact: true } },
    deps: { collector: { collect: async () => rootFull(healthySnapshot(), 96) }, syncIntervalMs: 300 },
    now: () => server.s.clock.now,
  });
  await agent.core.start();
  await waitFor(() => agent.core.state().enrollment.state === 'enrolled', 5000, 'enrollment');
});
afterAll(async () => {
  await agent?.stop();
  await server?.close();
});

describe('self-help content', () => {
  it('syncs articles and announcements, searches locally, and follows deletions', async () => {
    await waitFor(async () => (await agent.call('articles:list', {})).articles.length === 3, 5000, 'three articles');
    const list = await agent.call('articles:list', {});
    expect(list.syncedAt).not.toBeNull();
    await waitFor(
      () =>
        agent.events.some((e) => e.event === 'content:changed' && (e.payload as { kind: string }).kind === 'articles'),
      2000,
      'content:changed',
    );

    const hits = (await agent.call('articles:search', { query: 'vpn clie', limit: 5 })).hits;
    expect(hits[0]?.title).toBe('Set up the VPN');
    expect((await agent.call('announcements:list', {})).announcements.map((a) => a.title)).toEqual(['Mail is down']);

    const vpn = list.articles.find((a) => a.title === 'Set up the VPN');
    await staff('DELETE', `/api/v1/articles/${vpn?.id}`);
    await waitFor(async () => (await agent.call('articles:list', {})).articles.length === 2, 5000, 'deletion synced');
    expect((await agent.call('articles:search', { query: 'vpn', limit: 5 })).hits).toEqual([]);
    expect(await agent.invoke('articles:get', { articleId: vpn?.id as number })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });

    const added = await article('Printer offline', 'Turn it off and on.');
    await waitFor(
      async () => (await agent.call('articles:list', {})).articles.some((a) => a.id === added.id),
      5000,
      'new article',
    );
  });

  it('counts views and "this helped" on the server', async () => {
    const [first] = (await agent.call('articles:list', {})).articles;
    const id = first?.id as number;
    expect((await agent.call('articles:get', { articleId: id })).id).toBe(id);
    await agent.call('articles:helped', { articleId: id });
    await waitFor(
      async () => {
        const row = await server.s.db.kysely
          .selectFrom('articles')
          .select(['views', 'helped'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        return row.views === 1 && row.helped === 1;
      },
      5000,
      'counters',
    );
  });

  it('hides announcements once they expire, offline too', async () => {
    const expires = new Date(server.s.clock.now + 60_000).toISOString();
    await staff('POST', '/api/v1/announcements', {
      title: 'Maintenance tonight',
      body: 'VPN down 22:00-23:00',
      status: 'published',
      expiresAt: expires,
    });
    await waitFor(
      async () => (await agent.call('announcements:list', {})).announcements.length === 2,
      5000,
      'second announcement',
    );
    server.s.clock.advance(61_000);
    expect((await agent.call('announcements:list', {})).announcements.map((a) => a.title)).toEqual(['Mail is down']);
  });

  it('the health check finds the full disk with the articles that fix it, and reports it in the heartbeat', async () => {
    const articles = (await agent.call('articles:list', {})).articles;
    const result = await agent.call('health:check', {});
    const disk = result.findings.find((f) => f.code === 'disk.almost_full');
    expect(result.status).toBe('critical');
    const titles = disk?.articleIds.map((id) => articles.find((a) => a.id === id)?.title).sort();
    expect(titles).toEqual(['Clean up old files', 'Free up disk space']);
    expect(agent.core.state().health?.status).toBe('critical');
    const deviceId = agent.core.state().enrollment.deviceId as string;
    await waitFor(
      async () =>
        (
          await server.s.db.kysely
            .selectFrom('devices')
            .select('health_status')
            .where('id', '=', deviceId)
            .executeTakeFirstOrThrow()
        ).health_status === 'critical',
      5000,
      'heartbeat',
    );
  });
});

describe('settings and app info', () => {
  it('shows managed keys locked and refuses to change them', async () => {
    const view = await agent.call('settings:get', {});
    expect(view.managed).toEqual(['serverUrl', 'privacy.redact']);
    expect(view.effective.privacy.redact).toBe(true);
    expect(await agent.invoke('settings:set', { privacy: { redact: false } })).toMatchObject({
      ok: false,
      error: { code: 'managed' },
    });
    const changed = await agent.call('settings:set', { startAtLogin: false });
    expect(changed.effective.startAtLogin).toBe(false);
    expect(agent.platform.startAtLogin.at(-1)).toBe(false);
  });

  it('app:info and external:open follow the allow-list', async () => {
    const info = await agent.call('app:info', {});
    expect(info.dataDir).toBe(agent.platform.dataDir);
    expect(info.branding.name).toBe('Deskside');
    expect(await agent.invoke('external:open', { url: 'file:///etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });
    await agent.call('external:open', { url: 'https://it.example.com/help' });
    expect(agent.platform.opened).toEqual(['https://it.example.com/help']);
    expect(await agent.invoke('screenshot:capture', {})).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });
});
