import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestServer,
  describeEachDatabase,
  type EnrolledDevice,
  type StaffSession,
  type TestServer,
} from './harness';

type Payload = Record<string, unknown>;
const HOUR = 3_600_000;

describeEachDatabase('announcements', (dialect) => {
  let s: TestServer;
  beforeAll(async () => (s = await createTestServer(dialect)));
  afterAll(() => s.close());

  const iso = (offsetMs: number) => new Date(s.clock.now + offsetMs).toISOString();
  const create = (payload: Payload, who: StaffSession = s.admin) =>
    s.inject({ method: 'POST', url: '/api/v1/announcements', headers: who.headers, payload });
  const published = async (payload: Payload, who: StaffSession = s.admin): Promise<{ id: number }> => {
    const res = await create({ body: 'Details follow.', status: 'published', ...payload }, who);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const sync = (device: EnrolledDevice, since: number | string, limit = 50) =>
    s.inject({
      method: 'GET',
      url: '/api/v1/announcements/sync',
      query: { since: String(since), limit: String(limit) },
      headers: device.headers,
    });

  it('lets admins create, change, publish, unpublish and delete; technicians only read', async () => {
    const res = await create({
      title: 'Mail is down',
      body: 'We are **on it**.',
      severity: 'critical',
      targeting: { os: ['win32'] },
      expiresAt: iso(2 * HOUR),
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      title: 'Mail is down',
      severity: 'critical',
      status: 'draft',
      startsAt: iso(0),
      expiresAt: iso(2 * HOUR),
      active: false,
      targeting: { os: ['win32'], groups: [] },
    });
    const id = created.id as number;
    const url = `/api/v1/announcements/${id}`;

    expect((await s.inject({ method: 'GET', url, headers: s.tech.headers })).json().title).toBe('Mail is down');
    expect(
      (await s.inject({ method: 'GET', url: '/api/v1/announcements', headers: s.tech.headers })).json().total,
    ).toBe(1);
    for (const req of [
      { method: 'POST', url: '/api/v1/announcements', payload: { title: 't', body: '' } },
      { method: 'PATCH', url, payload: { title: 't' } },
      { method: 'DELETE', url },
      { method: 'POST', url: `${url}/publish` },
    ] as const) {
      expect((await s.inject({ ...req, headers: s.tech.headers })).statusCode, `${req.method} ${req.url}`).toBe(403);
    }
    const device = await s.enroll();
    expect((await s.inject({ method: 'GET', url: '/api/v1/announcements', headers: device.headers })).statusCode).toBe(
      401,
    );
    expect((await s.inject({ method: 'GET', url })).statusCode).toBe(401);

    const patched = await s.inject({
      method: 'PATCH',
      url,
      headers: s.admin.headers,
      payload: { title: 'Mail is slow', severity: 'warning' },
    });
    expect(patched.json()).toMatchObject({ title: 'Mail is slow', severity: 'warning', body: 'We are **on it**.' });
    expect((await s.inject({ method: 'POST', url: `${url}/publish`, headers: s.admin.headers })).json()).toMatchObject({
      status: 'published',
      active: true,
    });
    expect(
      (await s.inject({ method: 'POST', url: `${url}/unpublish`, headers: s.admin.headers })).json(),
    ).toMatchObject({ status: 'draft', active: false });
    expect((await s.inject({ method: 'DELETE', url, headers: s.admin.headers })).statusCode).toBe(204);
    expect((await s.inject({ method: 'GET', url, headers: s.tech.headers })).statusCode).toBe(404);
    expect((await s.inject({ method: 'DELETE', url, headers: s.admin.headers })).statusCode).toBe(404);

    const changes = await s.db.kysely
      .selectFrom('content_changes')
      .select('op')
      .where('entity', '=', 'announcement')
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    expect(changes.map((c) => c.op)).toEqual(['upsert', 'upsert', 'upsert', 'upsert', 'delete']);
    const audits = await s.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('target_type', '=', 'announcement')
      .where('target_id', '=', String(id))
      .orderBy('id')
      .execute();
    expect(audits.map((a) => a.action)).toEqual([
      'announcement.create',
      'announcement.update',
      'announcement.publish',
      'announcement.unpublish',
      'announcement.delete',
    ]);
  });

  it('answers every malformed request with 400', async () => {
    const { id } = await published({ title: 'Valid', expiresAt: iso(HOUR) });
    const bad: [string, string, unknown, string][] = [
      ['POST', '/api/v1/announcements', { body: 'no title' }, 'invalid_request'],
      ['POST', '/api/v1/announcements', { title: 'x'.repeat(201), body: '' }, 'invalid_request'],
      ['POST', '/api/v1/announcements', { title: 't', body: 'x'.repeat(20_001) }, 'invalid_request'],
      ['POST', '/api/v1/announcements', { title: 't', body: '', severity: 'apocalyptic' }, 'invalid_request'],
      ['POST', '/api/v1/announcements', { title: 't', body: '', startsAt: 'tomorrow' }, 'invalid_request'],
      ['POST', '/api/v1/announcements', { title: 't', body: '', startsAt: 1767000000000 }, 'invalid_request'],
      [
        'POST',
        '/api/v1/announcements',
        { title: 't', body: '', startsAt: iso(HOUR), expiresAt: iso(HOUR) },
        'invalid_request',
      ],
      ['POST', '/api/v1/announcements', { title: 't', body: '', expiresAt: iso(-HOUR) }, 'invalid_expiry'],
      ['POST', '/api/v1/announcements', { title: 't', body: '', targeting: { os: 'linux' } }, 'invalid_request'],
      ['PATCH', `/api/v1/announcements/${id}`, {}, 'invalid_request'],
      ['PATCH', `/api/v1/announcements/${id}`, { status: 'published' }, 'invalid_request'],
      ['PATCH', `/api/v1/announcements/${id}`, { startsAt: iso(2 * HOUR) }, 'invalid_expiry'],
      ['PATCH', `/api/v1/announcements/${id}`, { expiresAt: iso(-HOUR) }, 'invalid_expiry'],
      ['PATCH', '/api/v1/announcements/zero', { title: 't' }, 'invalid_request'],
      ['GET', '/api/v1/announcements?limit=101', undefined, 'invalid_request'],
      ['GET', '/api/v1/announcements?status=live', undefined, 'invalid_request'],
      ['POST', '/api/v1/announcements/-3/publish', undefined, 'invalid_request'],
    ];
    for (const [method, url, payload, code] of bad) {
      const res = await s.inject({
        method: method as 'GET',
        url,
        headers: s.admin.headers,
        ...(payload === undefined ? {} : { payload: payload as Payload }),
      });
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(res.json().error.code, `${method} ${url}`).toBe(code);
    }
    // Lifting the expiry altogether is fine.
    expect(
      (
        await s.inject({
          method: 'PATCH',
          url: `/api/v1/announcements/${id}`,
          headers: s.admin.headers,
          payload: { expiresAt: null },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('syncs active announcements; start, expiry, unpublishing, deletion and targeting reach agents', async () => {
    const admin = await s.staff('admin');
    const linux = await s.enroll({ os: { platform: 'linux' }, groups: ['ops'] });
    const mac = await s.enroll({ os: { platform: 'darwin' }, groups: [] });
    const base = (await sync(linux, 0)).json();
    const baseMac = (await sync(mac, 0)).json();

    const now = await published(
      { title: 'VPN maintenance tonight', severity: 'warning', expiresAt: iso(2 * HOUR) },
      admin,
    );
    const later = await published({ title: 'Office move', startsAt: iso(HOUR), expiresAt: iso(3 * HOUR) }, admin);
    const ops = await published({ title: 'Ops on call', targeting: { groups: ['ops'] } }, admin);
    const winOnly = await published({ title: 'Windows patch day', targeting: { os: ['win32'] } }, admin);
    const draft = (await create({ title: 'Draft', body: '' }, admin)).json();

    const first = (await sync(linux, base.cursor)).json();
    expect(first.announcements.map((a: { id: number }) => a.id)).toEqual([now.id, ops.id]);
    expect(first.announcements[0]).toEqual({
      id: now.id,
      title: 'VPN maintenance tonight',
      body: 'Details follow.',
      severity: 'warning',
      startsAt: iso(0),
      expiresAt: iso(2 * HOUR),
      updatedAt: expect.any(String),
    });
    expect(first.deleted.sort()).toEqual([later.id, winOnly.id, draft.id].sort());
    expect((await sync(mac, baseMac.cursor)).json().announcements.map((a: { id: number }) => a.id)).toEqual([now.id]);

    s.clock.advance(HOUR);
    const started = (await sync(linux, first.cursor)).json();
    expect(started.announcements.map((a: { id: number }) => a.id)).toEqual([later.id]);
    expect(started.deleted).toEqual([]);
    // Logged once: a second agent, and the same agent again, see the boundary exactly once.
    expect((await sync(linux, started.cursor)).json()).toMatchObject({ announcements: [], deleted: [] });

    s.clock.advance(HOUR);
    const expired = (await sync(linux, started.cursor)).json();
    expect(expired).toMatchObject({ announcements: [], deleted: [now.id], hasMore: false });

    const fresh = await s.staff('admin');
    await s.inject({ method: 'POST', url: `/api/v1/announcements/${ops.id}/unpublish`, headers: fresh.headers });
    await s.inject({ method: 'DELETE', url: `/api/v1/announcements/${later.id}`, headers: fresh.headers });
    await s.inject({
      method: 'PATCH',
      url: `/api/v1/announcements/${winOnly.id}`,
      headers: fresh.headers,
      payload: { targeting: { os: ['linux', 'win32'], groups: [] } },
    });
    const final = (await sync(linux, expired.cursor)).json();
    expect(final.announcements.map((a: { id: number }) => a.id)).toEqual([winOnly.id]);
    expect(final.deleted).toEqual([ops.id, later.id]);

    // A full sync now holds exactly what is active for this device.
    const full = (await sync(linux, 0)).json();
    const visible = full.announcements.map((a: { id: number }) => a.id);
    expect(visible).toContain(winOnly.id);
    for (const gone of [now, later, ops, draft]) expect(visible).not.toContain(gone.id);
    expect(full.deleted).toEqual(expect.arrayContaining([now.id, later.id, ops.id, draft.id]));
    expect(full.cursor).toBe(final.cursor);
    const summary = (
      await s.inject({
        method: 'GET',
        url: '/api/v1/announcements',
        query: { status: 'published' },
        headers: fresh.headers,
      })
    ).json();
    expect(summary.announcements.find((a: { id: number }) => a.id === now.id)).toMatchObject({ active: false });
  });

  it('pages with hasMore and refuses bad cursors with invalid_cursor', async () => {
    const admin = await s.staff('admin');
    const device = await s.enroll({ os: { platform: 'win32' } });
    for (let i = 0; i < 5; i++) await published({ title: `Notice ${i}` }, admin);
    const seen: number[] = [];
    let cursor = 0;
    for (let guard = 0; guard < 50; guard++) {
      const page = (await sync(device, cursor, 2)).json();
      expect(page.cursor).toBeGreaterThanOrEqual(cursor);
      expect(page.announcements.length + page.deleted.length).toBeLessThanOrEqual(2);
      seen.push(...page.announcements.map((a: { id: number }) => a.id), ...page.deleted);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const all = await s.db.kysely.selectFrom('announcements').select('id').execute();
    expect(seen.sort((a, b) => a - b)).toEqual(all.map((r) => r.id).sort((a, b) => a - b));

    for (const since of ['-5', 'x', String(cursor + 1), '0x10', '']) {
      const res = await sync(device, since);
      expect(res.statusCode, since).toBe(400);
      expect(res.json().error.code).toBe('invalid_cursor');
    }
    expect(
      (await s.inject({ method: 'GET', url: '/api/v1/announcements/sync', headers: admin.headers })).statusCode,
    ).toBe(401);
  });
});
