import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import {
  createTestServer,
  describeEachDatabase,
  type EnrolledDevice,
  type StaffSession,
  type TestServer,
} from './harness';

type Payload = Record<string, unknown>;

/** Shortcuts over one test server for article requests. */
function articleApi(s: TestServer) {
  const create = (payload: Payload, who: StaffSession = s.admin) =>
    s.inject({ method: 'POST', url: '/api/v1/articles', headers: who.headers, payload });
  return {
    create,
    async published(payload: Payload): Promise<{ id: number }> {
      const res = await create({ body: '', ...payload, status: 'published' });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    },
    patch: (id: number, payload: Payload) =>
      s.inject({ method: 'PATCH', url: `/api/v1/articles/${id}`, headers: s.admin.headers, payload }),
    action: (id: number, action: 'publish' | 'unpublish') =>
      s.inject({ method: 'POST', url: `/api/v1/articles/${id}/${action}`, headers: s.admin.headers }),
    remove: (id: number) => s.inject({ method: 'DELETE', url: `/api/v1/articles/${id}`, headers: s.admin.headers }),
    search: (q: string, headers: Record<string, string> = s.tech.headers, limit = 10) =>
      s.inject({ method: 'GET', url: '/api/v1/articles/search', query: { q, limit: String(limit) }, headers }),
    sync: (device: EnrolledDevice, since: string | number, limit = 50) =>
      s.inject({
        method: 'GET',
        url: '/api/v1/articles/sync',
        query: { since: String(since), limit: String(limit) },
        headers: device.headers,
      }),
  };
}

const ids = (res: LightMyRequestResponse, key = 'results') => (res.json()[key] as { id: number }[]).map((r) => r.id);

describeEachDatabase('articles: staff CRUD', (dialect) => {
  let s: TestServer;
  let api: ReturnType<typeof articleApi>;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    api = articleApi(s);
  });
  afterAll(() => s.close());

  it('lets admins create, change, publish, unpublish and delete, logging and auditing each write', async () => {
    const created = await api.create({
      title: 'Free up disk space',
      body: '# Steps\n\n1. Empty the **trash**\n2. See [cleanup](https://example.com/cleanup)',
      tags: ['Disk-Space', 'cleanup', 'cleanup'],
      findingCodes: ['disk.almost_full'],
      targeting: { os: ['win32', 'darwin'], groups: ['finance'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const article = created.json();
    expect(article).toMatchObject({
      title: 'Free up disk space',
      tags: ['disk-space', 'cleanup'],
      findingCodes: ['disk.almost_full'],
      targeting: { os: ['win32', 'darwin'], groups: ['finance'] },
      status: 'draft',
      publishedAt: null,
      views: 0,
      helped: 0,
    });
    const id = article.id as number;

    const techRead = await s.inject({ method: 'GET', url: `/api/v1/articles/${id}`, headers: s.tech.headers });
    expect(techRead.statusCode).toBe(200);
    expect(techRead.json().body).toContain('**trash**');

    const changed = await api.patch(id, {
      title: 'Free up disk space on your laptop',
      targeting: { os: [], groups: [] },
    });
    expect(changed.json()).toMatchObject({
      title: 'Free up disk space on your laptop',
      targeting: { os: [], groups: [] },
      tags: ['disk-space', 'cleanup'],
    });
    expect((await api.action(id, 'publish')).json()).toMatchObject({
      status: 'published',
      publishedAt: expect.any(String),
    });
    expect((await api.action(id, 'publish')).statusCode).toBe(200);
    expect((await api.action(id, 'unpublish')).json().status).toBe('draft');
    expect((await api.remove(id)).statusCode).toBe(204);
    expect((await s.inject({ method: 'GET', url: `/api/v1/articles/${id}`, headers: s.tech.headers })).statusCode).toBe(
      404,
    );
    expect((await api.remove(id)).statusCode).toBe(404);
    expect((await api.patch(id, { title: 'x' })).statusCode).toBe(404);

    // The repeated publish changed nothing, so it logged nothing.
    const changes = await s.db.kysely
      .selectFrom('content_changes')
      .select(['op'])
      .where('entity', '=', 'article')
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    expect(changes.map((c) => c.op)).toEqual(['upsert', 'upsert', 'upsert', 'upsert', 'delete']);
    const audits = await s.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('target_type', '=', 'article')
      .where('target_id', '=', String(id))
      .orderBy('id')
      .execute();
    expect(audits.map((a) => a.action)).toEqual([
      'article.create',
      'article.update',
      'article.publish',
      'article.unpublish',
      'article.delete',
    ]);
    expect(audits.every((a) => a.actor_id === String(s.admin.id))).toBe(true);
    const row = await s.db.kysely
      .selectFrom('articles')
      .select(['deleted_at', 'search_text'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).not.toBeNull();
    expect(row.search_text).toContain('Empty the trash');
    expect(row.search_text).not.toMatch(/[*#]|https:/);
  });

  it('gives technicians read access only, and devices and strangers none', async () => {
    const { id } = await api.published({ title: 'Reset your password' });
    const tech = s.tech.headers;
    expect((await api.create({ title: 'Nope', body: '' }, s.tech)).json().error.code).toBe('admin_only');
    for (const req of [
      { method: 'PATCH', url: `/api/v1/articles/${id}`, payload: { title: 'x' } },
      { method: 'DELETE', url: `/api/v1/articles/${id}` },
      { method: 'POST', url: `/api/v1/articles/${id}/publish` },
      { method: 'POST', url: `/api/v1/articles/${id}/unpublish` },
    ] as const) {
      expect((await s.inject({ ...req, headers: tech })).statusCode, req.url).toBe(403);
    }
    expect((await s.inject({ method: 'GET', url: '/api/v1/articles', headers: tech })).statusCode).toBe(200);
    const device = await s.enroll();
    for (const url of ['/api/v1/articles', `/api/v1/articles/${id}`]) {
      expect((await s.inject({ method: 'GET', url, headers: device.headers })).statusCode).toBe(401);
      expect((await s.inject({ method: 'GET', url })).statusCode).toBe(401);
    }
    expect(
      (
        await s.inject({
          method: 'POST',
          url: '/api/v1/articles',
          headers: device.headers,
          payload: { title: 't', body: '' },
        })
      ).statusCode,
    ).toBe(401);
    expect((await s.inject({ method: 'GET', url: '/api/v1/articles/999999', headers: tech })).statusCode).toBe(404);
    expect(
      (await s.inject({ method: 'POST', url: '/api/v1/articles/999999/view', headers: device.headers })).statusCode,
    ).toBe(404);
  });

  it('lists with status, tag, finding and text filters, paged with a total', async () => {
    await api.published({
      title: 'Printer shows offline',
      tags: ['printing'],
      findingCodes: ['network.server_unreachable'],
    });
    await api.published({ title: 'Add a network printer', tags: ['printing'] });
    await api.create({ title: 'Printer drivers (draft)', body: '', tags: ['printing'] });
    const list = (query: Record<string, string>) =>
      s.inject({ method: 'GET', url: '/api/v1/articles', query, headers: s.tech.headers }).then((r) => r.json());
    expect((await list({ tag: 'printing' })).total).toBe(3);
    expect((await list({ tag: 'printing', status: 'published' })).total).toBe(2);
    expect(
      (await list({ finding: 'network.server_unreachable' })).articles.map((a: { title: string }) => a.title),
    ).toEqual(['Printer shows offline']);
    expect((await list({ q: 'offline' })).total).toBe(1);
    expect((await list({ q: '"*' })).total).toBe(0);
    const page = await list({ tag: 'printing', limit: '2', offset: '2' });
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 2 });
    expect(page.articles).toHaveLength(1);
  });

  it('answers every malformed request with 400', async () => {
    const { id } = await api.published({ title: 'Valid' });
    const long = 'x'.repeat(201);
    const bad: [string, string, unknown][] = [
      ['POST', '/api/v1/articles', { body: 'no title' }],
      ['POST', '/api/v1/articles', { title: 'No body' }],
      ['POST', '/api/v1/articles', { title: long, body: '' }],
      ['POST', '/api/v1/articles', { title: '   ', body: '' }],
      ['POST', '/api/v1/articles', { title: 't', body: 42 }],
      ['POST', '/api/v1/articles', { title: 't', body: 'x'.repeat(100_001) }],
      ['POST', '/api/v1/articles', { title: 't', body: '', tags: 'printing' }],
      ['POST', '/api/v1/articles', { title: 't', body: '', tags: ['has space'] }],
      ['POST', '/api/v1/articles', { title: 't', body: '', findingCodes: ['disk.on_fire'] }],
      ['POST', '/api/v1/articles', { title: 't', body: '', targeting: { os: ['beos'] } }],
      ['POST', '/api/v1/articles', { title: 't', body: '', targeting: { groups: ['g'.repeat(65)] } }],
      ['POST', '/api/v1/articles', { title: 't', body: '', status: 'archived' }],
      ['POST', '/api/v1/articles', { title: 't', body: 'nul \u0000 byte' }],
      ['PATCH', `/api/v1/articles/${id}`, {}],
      ['PATCH', `/api/v1/articles/${id}`, { status: 'draft' }],
      ['PATCH', `/api/v1/articles/${id}`, { findingCodes: ['nope'] }],
      ['PATCH', '/api/v1/articles/abc', { title: 'x' }],
      ['GET', '/api/v1/articles?limit=0', undefined],
      ['GET', '/api/v1/articles?finding=disk.on_fire', undefined],
      ['GET', '/api/v1/articles?status=gone', undefined],
      ['GET', '/api/v1/articles/search', undefined],
      ['GET', `/api/v1/articles/search?q=${long}`, undefined],
      ['GET', '/api/v1/articles/search?q=a&limit=51', undefined],
      ['GET', '/api/v1/articles/0', undefined],
      ['DELETE', '/api/v1/articles/-1', undefined],
      ['POST', '/api/v1/articles/1.5/publish', undefined],
    ];
    for (const [method, url, payload] of bad) {
      const res = await s.inject({
        method: method as 'GET',
        url,
        headers: s.admin.headers,
        ...(payload === undefined ? {} : { payload: payload as Payload }),
      });
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
    const device = await s.enroll();
    for (const url of [`/api/v1/articles/abc/view`, `/api/v1/articles/0/helped`]) {
      expect((await s.inject({ method: 'POST', url, headers: device.headers })).statusCode, url).toBe(400);
    }
  });
});

describeEachDatabase('articles: search', (dialect) => {
  let s: TestServer;
  let api: ReturnType<typeof articleApi>;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    api = articleApi(s);
  });
  afterAll(() => s.close());

  it('ranks a title match above a body match, matches the last word as a prefix, and cuts a snippet', async () => {
    const inBody = await api.published({
      title: 'Slow laptop',
      body: `${'Close programs you do not need. '.repeat(10)}If a VPN is connected, disconnect it.`,
    });
    const inTitle = await api.published({
      title: 'VPN will not connect',
      body: 'Check your password and try again.',
      tags: ['network'],
    });
    await api.published({ title: 'Unrelated', body: 'Nothing to see' });
    const res = await api.search('vpn');
    expect(res.statusCode).toBe(200);
    const results = res.json().results;
    expect(results.map((r: { id: number }) => r.id)).toEqual([inTitle.id, inBody.id]);
    expect(results[0].score).toBeGreaterThan(results[1].score);
    expect(results[0].tags).toEqual(['network']);
    expect(results[1].snippet).toMatch(/^….*VPN is connected/);

    expect(ids(await api.search('laptop vp'))).toContain(inBody.id);
    expect(ids(await api.search('conn'))).toEqual(expect.arrayContaining([inTitle.id, inBody.id]));
    expect(ids(await api.search('the'))).toEqual([]);
  });

  it('answers hostile and odd queries with 200, never 500', async () => {
    const near = await api.published({ title: 'NEAR and AND are words too', body: 'quotes " and stars *' });
    const device = await s.enroll();
    const hostile = [
      '"',
      '*',
      'AND(',
      'NEAR',
      'NEAR(a b, 2)',
      '"unterminated',
      'a OR',
      'OR',
      'NOT',
      '-vpn',
      '^vpn',
      'title:vpn',
      'vpn:*',
      "'",
      '!',
      '&|',
      '(',
      ')',
      '\\',
      '{}',
      '[]',
      '%',
      '_',
      '🙂',
      '   ',
      '',
      'x'.repeat(200),
      'a'.repeat(65),
      "'; DROP TABLE articles; --",
      'e\u0301',
      '\u0301',
      'near/2',
      '日本語',
      'Ⅻ ß ǅ',
      'a:b & c | !d <-> e',
    ];
    for (const q of hostile) {
      for (const headers of [s.tech.headers, device.headers]) {
        const res = await api.search(q, headers);
        expect(res.statusCode, JSON.stringify(q)).toBe(200);
      }
    }
    // NUL is refused like in every other text field (issue 10), never a 500.
    const nul = await api.search('\u0000', device.headers);
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.message).toMatch(/^querystring\.q: must not contain NUL/);
    expect(ids(await api.search('NEAR'))).toEqual([near.id]);
    expect(ids(await api.search('near/2 stars'))).toEqual([near.id]);
  });

  it('shows devices only published articles targeted at them; staff also see drafts', async () => {
    const draft = (await api.create({ title: 'Zebra printer draft', body: '' })).json();
    const linuxOnly = await api.published({ title: 'Zebra printer on Linux', targeting: { os: ['linux'] } });
    const finance = await api.published({ title: 'Zebra printer for finance', targeting: { groups: ['finance'] } });
    const everyone = await api.published({ title: 'Zebra printer basics' });
    const gone = await api.published({ title: 'Zebra printer removed' });
    await api.remove(gone.id);
    const linux = await s.enroll({ os: { platform: 'linux' }, groups: ['sales'] });
    const mac = await s.enroll({ os: { platform: 'darwin' }, groups: ['finance'] });
    expect(ids(await api.search('zebra', linux.headers)).sort()).toEqual([linuxOnly.id, everyone.id].sort());
    expect(ids(await api.search('zebra', mac.headers)).sort()).toEqual([finance.id, everyone.id].sort());
    expect(ids(await api.search('zebra')).sort()).toEqual([draft.id, linuxOnly.id, finance.id, everyone.id].sort());
    expect(ids(await api.search('zebra', s.tech.headers, 2))).toHaveLength(2);
  });
});

describeEachDatabase('articles: agent sync and counters', (dialect) => {
  let s: TestServer;
  let api: ReturnType<typeof articleApi>;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    api = articleApi(s);
  });
  afterAll(() => s.close());

  it('syncs in full, then only changes, each once; deletions, unpublishing and retargeting arrive in deleted', async () => {
    const device = await s.enroll({ os: { platform: 'linux' }, groups: ['it'] });
    const a = await api.published({ title: 'A', body: 'alpha' });
    const b = await api.published({ title: 'B', body: 'beta' });
    const c = await api.published({ title: 'C', body: 'gamma', targeting: { os: ['linux'] } });
    const d = await api.published({ title: 'D', body: 'delta', targeting: { groups: ['it'] } });
    await api.create({ title: 'Draft', body: 'never pushed' });
    await api.published({ title: 'Windows only', targeting: { os: ['win32'] } });
    await api.published({ title: 'HR only', targeting: { groups: ['hr'] } });

    const full = (await api.sync(device, 0)).json();
    expect(full.articles.map((x: { title: string }) => x.title)).toEqual(['A', 'B', 'C', 'D']);
    expect(full.articles[0]).toEqual({
      id: a.id,
      title: 'A',
      body: 'alpha',
      tags: [],
      findingCodes: [],
      updatedAt: expect.any(String),
      publishedAt: expect.any(String),
    });
    expect(full.hasMore).toBe(false);
    expect((await api.sync(device, full.cursor)).json()).toEqual({
      cursor: full.cursor,
      articles: [],
      deleted: [],
      hasMore: false,
    });

    await api.patch(a.id, { body: 'alpha 2' });
    await api.patch(a.id, { body: 'alpha 3' });
    await api.action(b.id, 'unpublish');
    await api.remove(c.id);
    await api.patch(d.id, { targeting: { os: [], groups: ['hr'] } });
    const delta = (await api.sync(device, full.cursor)).json();
    expect(delta.articles).toEqual([expect.objectContaining({ id: a.id, body: 'alpha 3' })]);
    expect(delta.deleted).toEqual([b.id, c.id, d.id]);
    expect(delta.cursor).toBeGreaterThan(full.cursor);

    await api.action(b.id, 'publish');
    await api.patch(d.id, { targeting: { os: ['linux'], groups: [] } });
    const back = (await api.sync(device, delta.cursor)).json();
    expect(back.articles.map((x: { id: number }) => x.id)).toEqual([b.id, d.id]);
    expect(back.deleted).toEqual([]);
  });

  it('pages with hasMore, a cursor that only grows, and every article exactly once', async () => {
    const device = await s.enroll({ os: { platform: 'win32' } });
    // Written concurrently: on PostgreSQL the advisory lock makes them queue, none may be lost or fail.
    await Promise.all(
      Array.from({ length: 7 }, (_, i) => api.published({ title: `Paged ${i}`, targeting: { os: ['win32'] } })),
    );
    const seen: number[] = [];
    let cursor = 0;
    let pages = 0;
    for (;;) {
      const page = (await api.sync(device, cursor, 3)).json();
      expect(page.cursor).toBeGreaterThanOrEqual(cursor);
      seen.push(...page.articles.map((x: { id: number }) => x.id));
      expect(page.articles.length + page.deleted.length).toBeLessThanOrEqual(3);
      cursor = page.cursor;
      pages++;
      if (!page.hasMore) break;
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
    const titles = (
      await s.db.kysely.selectFrom('articles').select('id').where('title', 'like', 'Paged %').execute()
    ).map((r) => r.id);
    expect(seen).toEqual(expect.arrayContaining(titles));
  });

  it('refuses cursors it never gave out', async () => {
    const device = await s.enroll();
    const { cursor } = (await api.sync(device, 0)).json();
    for (const since of ['-1', 'abc', '1.5', '1e3', String(cursor + 1), '99999999999999999999', ' 1']) {
      const res = await api.sync(device, since);
      expect(res.statusCode, since).toBe(400);
      expect(res.json().error.code).toBe('invalid_cursor');
    }
    expect((await api.sync(device, 0, 0)).statusCode).toBe(400);
    expect((await api.sync(device, 0, 201)).statusCode).toBe(400);
    expect((await s.inject({ method: 'GET', url: '/api/v1/articles/sync', headers: s.admin.headers })).statusCode).toBe(
      401,
    );
    expect((await s.inject({ method: 'GET', url: '/api/v1/articles/sync' })).statusCode).toBe(401);
  });

  it('counts views and helped for visible articles only, helped once per device', async () => {
    const mac = await s.enroll({ os: { platform: 'darwin' } });
    const other = await s.enroll({ os: { platform: 'darwin' } });
    const { id } = await api.published({ title: 'Counted' });
    const post = (device: EnrolledDevice, kind: string, articleId = id) =>
      s.inject({ method: 'POST', url: `/api/v1/articles/${articleId}/${kind}`, headers: device.headers });
    expect((await post(mac, 'view')).statusCode).toBe(204);
    expect((await post(mac, 'view')).statusCode).toBe(204);
    expect((await post(mac, 'helped')).statusCode).toBe(204);
    expect((await post(mac, 'helped')).statusCode).toBe(204);
    expect((await post(other, 'helped')).statusCode).toBe(204);
    const article = (await s.inject({ method: 'GET', url: `/api/v1/articles/${id}`, headers: s.tech.headers })).json();
    expect(article).toMatchObject({ views: 2, helped: 2 });
    const events = await s.db.kysely
      .selectFrom('article_events')
      .select(['kind', 'device_id'])
      .where('article_id', '=', id)
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { kind: 'view', device_id: mac.id },
      { kind: 'view', device_id: mac.id },
      { kind: 'helped', device_id: mac.id },
      { kind: 'helped', device_id: other.id },
    ]);

    const draft = (await api.create({ title: 'Hidden', body: '' })).json();
    const windows = await api.published({ title: 'Windows', targeting: { os: ['win32'] } });
    expect((await post(mac, 'view', draft.id)).statusCode).toBe(404);
    expect((await post(mac, 'helped', windows.id)).statusCode).toBe(404);
    await api.remove(id);
    expect((await post(mac, 'view')).statusCode).toBe(404);
    expect(
      (await s.inject({ method: 'POST', url: `/api/v1/articles/${windows.id}/view`, headers: s.tech.headers }))
        .statusCode,
    ).toBe(401);
  });
});
