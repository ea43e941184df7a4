import { afterAll, beforeAll, expect, it } from 'vitest';
import { TICKET_CATEGORIES } from '../../src/shared/api/tickets';
import { createTestServer, describeEachDatabase, type StaffSession, type TestServer } from './harness';
import { fileTicket } from './ticket-helpers';

describeEachDatabase('settings: support groups', (dialect) => {
  let s: TestServer;
  beforeAll(async () => (s = await createTestServer(dialect)));
  afterAll(() => s.close());

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: Record<string, unknown>,
    who: StaffSession = s.admin,
  ) => s.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
  const auditActions = async () =>
    (await s.db.kysely.selectFrom('audit_log').select(['action', 'details']).orderBy('id').execute()).map(
      (r) => r.action,
    );

  it('lets admins create, list, change and delete groups; technicians only read', async () => {
    const created = await call('POST', '/api/v1/groups', {
      name: ' Service desk ',
      tier: 1,
      description: 'First line',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Service desk', tier: 1, description: 'First line', members: 0 });
    const second = await call('POST', '/api/v1/groups', { name: 'Workplace engineering', tier: 2 });
    expect(second.json()).toMatchObject({ tier: 2, description: '' });

    const listed = await call('GET', '/api/v1/groups', undefined, s.tech);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().groups.map((g: { name: string }) => g.name)).toEqual([
      'Service desk',
      'Workplace engineering',
    ]);

    expect((await call('POST', '/api/v1/groups', { name: 'x' }, s.tech)).statusCode).toBe(403);
    expect((await call('PATCH', `/api/v1/groups/${created.json().id}`, { tier: 3 }, s.tech)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/groups/${created.json().id}`, undefined, s.tech)).statusCode).toBe(403);

    const patched = await call('PATCH', `/api/v1/groups/${second.json().id}`, { tier: 3, description: 'Specialists' });
    expect(patched.json()).toMatchObject({ name: 'Workplace engineering', tier: 3, description: 'Specialists' });
    expect((await call('DELETE', `/api/v1/groups/${second.json().id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/v1/groups/${second.json().id}`)).json().error.code).toBe('group_not_found');
    expect(await auditActions()).toEqual(expect.arrayContaining(['group.create', 'group.update', 'group.delete']));
  });

  it('refuses duplicate names (ignoring case) and bad input with stable codes', async () => {
    await call('POST', '/api/v1/groups', { name: 'Network team', tier: 2 });
    const dup = await call('POST', '/api/v1/groups', { name: 'network TEAM' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('group_exists');
    const other = (await call('POST', '/api/v1/groups', { name: 'Printers' })).json();
    const rename = await call('PATCH', `/api/v1/groups/${other.id}`, { name: 'Network Team' });
    expect(rename.statusCode).toBe(409);
    expect(rename.json().error.code).toBe('group_exists');

    for (const payload of [
      { name: '' },
      { name: 'a'.repeat(65) },
      { name: 'ok', tier: 0 },
      { name: 'ok', tier: 10 },
      { name: 'ok', tier: 1.5 },
      { name: 'ok', extra: 1 },
      { name: 'nul\u0000' },
    ]) {
      const res = await call('POST', '/api/v1/groups', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(typeof res.json().error.code).toBe('string');
    }
    expect((await call('PATCH', `/api/v1/groups/${other.id}`, {})).statusCode).toBe(400);
    expect((await call('PATCH', '/api/v1/groups/999999', { tier: 2 })).json().error.code).toBe('group_not_found');
  });

  it('carries a rename over to staff and tickets, and keeps a group in use from being deleted', async () => {
    const group = (await call('POST', '/api/v1/groups', { name: 'tier1', tier: 1 })).json();
    // The harness's technician is in "tier1"; a ticket assigned to the group is open.
    const device = await s.enroll();
    const ticketId = await fileTicket(s, device);
    const assigned = await call('PATCH', `/api/v1/tickets/${ticketId}`, { group: 'tier1' });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(
      (await call('GET', '/api/v1/groups')).json().groups.find((g: { id: number }) => g.id === group.id).members,
    ).toBe(1);

    const blocked = await call('DELETE', `/api/v1/groups/${group.id}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.code).toBe('group_in_use');

    const rule = await call('POST', '/api/v1/sla/escalation-rules', {
      name: 'Overdue to tier1',
      trigger: 'resolution_breach',
      action: { assignGroup: 'tier1', notify: 'moved' },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    const renamed = await call('PATCH', `/api/v1/groups/${group.id}`, { name: 'Service desk L1' });
    expect(renamed.json()).toMatchObject({ name: 'Service desk L1', members: 1 });
    const staff = (await call('GET', '/api/v1/staff')).json().staff as Array<{ id: number; group: string | null }>;
    expect(staff.find((m) => m.id === s.tech.id)?.group).toBe('Service desk L1');
    expect((await call('GET', `/api/v1/tickets/${ticketId}`)).json().group).toBe('Service desk L1');
    const rules = (await call('GET', '/api/v1/sla/escalation-rules')).json().rules as Array<{
      id: number;
      action: Record<string, unknown>;
    }>;
    expect(rules.find((r) => r.id === rule.json().id)?.action).toEqual({
      assignGroup: 'Service desk L1',
      notify: 'moved',
    });
    const entry = await s.db.kysely
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'group.update')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(entry.details)).toMatchObject({ renamedFrom: 'tier1', renamedTo: 'Service desk L1' });

    // Once nobody is in it, it can go.
    expect((await call('PATCH', `/api/v1/staff/${s.tech.id}`, { group: null })).statusCode).toBe(200);
    expect((await call('PATCH', `/api/v1/tickets/${ticketId}`, { group: null })).statusCode).toBe(200);
    expect((await call('DELETE', `/api/v1/groups/${group.id}`)).statusCode).toBe(204);
  });
});

describeEachDatabase('settings: ticket categories', (dialect) => {
  let s: TestServer;
  beforeAll(async () => (s = await createTestServer(dialect)));
  afterAll(() => s.close());

  const get = (who: StaffSession = s.tech) =>
    s.inject({ method: 'GET', url: '/api/v1/settings/categories', headers: who.headers });
  const put = (payload: unknown, who: StaffSession = s.admin) =>
    s.inject({
      method: 'PUT',
      url: '/api/v1/settings/categories',
      headers: who.headers,
      payload: payload as Record<string, unknown>,
    });

  it('lists every category with default labels, all enabled', async () => {
    const res = await get();
    expect(res.statusCode).toBe(200);
    expect(res.json().categories).toEqual(
      TICKET_CATEGORIES.map((c) => ({ category: c, label: c[0]!.toUpperCase() + c.slice(1), enabled: true })),
    );
  });

  it('lets admins relabel and disable categories; the rest stay as they are', async () => {
    const res = await put({
      categories: [
        { category: 'printing', label: 'Printers & scanners', enabled: true },
        { category: 'security', label: 'Security', enabled: false },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await get()).json().categories as Array<{ category: string; label: string; enabled: boolean }>;
    expect(after.find((c) => c.category === 'printing')).toEqual({
      category: 'printing',
      label: 'Printers & scanners',
      enabled: true,
    });
    expect(after.find((c) => c.category === 'security')?.enabled).toBe(false);
    expect(after.find((c) => c.category === 'email')).toEqual({ category: 'email', label: 'Email', enabled: true });
    // Changing it again updates the same row.
    await put({ categories: [{ category: 'security', label: 'Security', enabled: true }] });
    expect((await get()).json().categories.every((c: { enabled: boolean }) => c.enabled)).toBe(true);
    const audited = await s.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'settings.categories.update')
      .execute();
    expect(audited).toHaveLength(2);
  });

  it('keeps at least one category enabled, rolling the whole change back', async () => {
    const allOff = TICKET_CATEGORIES.map((category) => ({ category, label: 'Off', enabled: false }));
    const res = await put({ categories: allOff });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('no_category_enabled');
    expect(
      (await get()).json().categories.every((c: { enabled: boolean; label: string }) => c.enabled && c.label !== 'Off'),
    ).toBe(true);
  });

  it('refuses technicians, unknown categories, repeats and bad labels', async () => {
    expect((await put({ categories: [{ category: 'email', label: 'Mail', enabled: true }] }, s.tech)).statusCode).toBe(
      403,
    );
    for (const payload of [
      { categories: [] },
      { categories: [{ category: 'coffee', label: 'Coffee', enabled: true }] },
      {
        categories: [
          { category: 'email', label: 'Mail', enabled: true },
          { category: 'email', label: 'Email', enabled: false },
        ],
      },
      { categories: [{ category: 'email', label: '  ', enabled: true }] },
      { categories: [{ category: 'email', label: 'x'.repeat(65), enabled: true }] },
      { categories: [{ category: 'email', label: 'Mail', enabled: 'yes' }] },
      { categories: [{ category: 'email', label: 'Mail', enabled: true }], extra: true },
    ]) {
      const res = await put(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(typeof res.json().error.code).toBe('string');
    }
  });
});
