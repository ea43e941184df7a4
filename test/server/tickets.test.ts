import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureDefaultSlaPolicies } from '../../src/server/sla/sla.service';
import { IMPACTS, priorityFor, URGENCIES } from '../../src/shared/priority';
import { healthySnapshot, withSection } from '../fixtures/snapshot-factory';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';
import { fileTicket, newKey, postTicket, rootFull, ticketPayload, withPackages } from './ticket-helpers';

describeEachDatabase('device tickets', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  let other: EnrolledDevice;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    await ensureDefaultSlaPolicies(s.db, s.clock.now);
    [device, other] = await Promise.all([s.enroll(), s.enroll()]);
  });
  afterAll(() => s.close());

  const ticketRow = (id: number) =>
    s.db.kysely.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('files a ticket with a snapshot: 201, status new, snapshot stored and linked, SLA set, event recorded', async () => {
    const created = async () => (await s.ctx.metrics.ticketsCreated.get()).values[0]?.value ?? 0;
    const before = await created();
    const res = await postTicket(s, device, ticketPayload({ urgency: 'high', impact: 'medium' }));
    expect(res.statusCode).toBe(201);
    expect(await created()).toBe(before + 1);
    const body = res.json();
    expect(body).toMatchObject({
      id: expect.any(Number),
      subject: 'Outlook keeps asking for my password',
      category: 'email',
      urgency: 'high',
      priority: 'p2',
      status: 'new',
      createdAt: new Date(s.clock.now).toISOString(),
      resolvedAt: null,
      satisfaction: null,
      assigneeName: null,
      lastStaffMessageId: null,
      snapshotId: expect.any(Number),
    });
    const row = await ticketRow(body.id);
    expect(row).toMatchObject({
      device_id: device.id,
      snapshot_id: body.snapshotId,
      requester_name: 'Dana Whitfield',
      requester_email: 'dana@example.com',
      impact: 'medium',
      finding_codes: '[]',
    });
    expect(row.sla_state).toBe('ok');
    expect(row.sla_policy_id).toEqual(expect.any(Number));
    expect(row.first_response_due_at).toBeGreaterThan(s.clock.now);
    const snapshot = await s.db.kysely
      .selectFrom('snapshots')
      .select(['device_id'])
      .where('id', '=', body.snapshotId)
      .executeTakeFirstOrThrow();
    expect(snapshot.device_id).toBe(device.id);
    const events = await s.db.kysely
      .selectFrom('ticket_events')
      .select(['type', 'actor_type', 'actor_id'])
      .where('ticket_id', '=', body.id)
      .execute();
    expect(events).toEqual([{ type: 'created', actor_type: 'device', actor_id: device.id }]);
  });

  it('accepts a gzip-encoded body and stores the warning and critical finding codes', async () => {
    const snapshot = withSection(rootFull(healthySnapshot(), 97), 'os', { uptimeSeconds: 41 * 86_400 });
    const res = await s.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: {
        ...device.headers,
        'idempotency-key': newKey(),
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      payload: gzipSync(JSON.stringify(ticketPayload({ snapshot, category: 'hardware' }))),
    });
    expect(res.statusCode, res.body).toBe(201);
    const codes = JSON.parse((await ticketRow(res.json().id)).finding_codes) as string[];
    expect(codes).toEqual(expect.arrayContaining(['disk.almost_full', 'uptime.long']));
    const device_ = await s.db.kysely
      .selectFrom('devices')
      .select(['last_snapshot_id', 'health_status'])
      .where('id', '=', device.id)
      .executeTakeFirstOrThrow();
    expect(device_.last_snapshot_id).toBe(res.json().snapshotId);
    expect(device_.health_status).not.toBe('healthy');
  });

  it('applies the priority matrix to every urgency and impact', async () => {
    for (const urgency of URGENCIES) {
      for (const impact of IMPACTS) {
        const res = await postTicket(s, device, ticketPayload({ urgency, impact, snapshot: undefined }));
        expect(res.statusCode).toBe(201);
        expect(res.json().priority, `${urgency}/${impact}`).toBe(priorityFor(urgency, impact));
        expect(res.json().snapshotId).toBeNull();
      }
    }
  });

  it('defaults impact, description and requester; a null snapshot means none', async () => {
    const res = await postTicket(s, device, {
      subject: 'Printer jam',
      category: 'printing',
      urgency: 'low',
      snapshot: null,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ description: '', priority: 'p4', snapshotId: null });
    expect(await ticketRow(res.json().id)).toMatchObject({ impact: 'low', requester_name: null, snapshot_id: null });
  });

  it('lists only the calling device tickets, newest first, and reads one', async () => {
    const mine = await fileTicket(s, device, { subject: 'Mine, newest' });
    const theirs = await fileTicket(s, other, { subject: 'Theirs' });
    const list = await s.inject({ method: 'GET', url: '/api/v1/device/tickets', headers: device.headers });
    expect(list.statusCode).toBe(200);
    const tickets = list.json().tickets as Array<{ id: number; subject: string }>;
    expect(tickets[0]).toMatchObject({ id: mine, subject: 'Mine, newest' });
    expect(tickets.map((t) => t.id)).not.toContain(theirs);
    expect(tickets.map((t) => t.id)).toEqual([...tickets.map((t) => t.id)].sort((a, b) => b - a));
    const one = await s.inject({ method: 'GET', url: `/api/v1/device/tickets/${mine}`, headers: device.headers });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: mine, status: 'new' });
    expect(one.json()).not.toHaveProperty('findingCodes');
  });

  it("answers 404, never 403, for another device's ticket", async () => {
    const theirs = await fileTicket(s, other);
    const res = await s.inject({ method: 'GET', url: `/api/v1/device/tickets/${theirs}`, headers: device.headers });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ticket_not_found');
    const unknown = await s.inject({ method: 'GET', url: '/api/v1/device/tickets/987654', headers: device.headers });
    expect(unknown.json()).toEqual(res.json());
  });

  it("files a ticket without category or urgency under the help desk's default category, at medium urgency", async () => {
    const setOther = (enabled: boolean) =>
      s.inject({
        method: 'PUT',
        url: '/api/v1/settings/categories',
        headers: s.admin.headers,
        payload: { categories: [{ category: 'other', label: 'Other', enabled }] },
      });
    const bare = { ...ticketPayload(), category: undefined, urgency: undefined };
    const res = await postTicket(s, device, bare);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ category: 'other', urgency: 'medium', priority: 'p4' });

    // With "other" no longer offered, the first category that is offered.
    expect((await setOther(false)).statusCode).toBe(200);
    try {
      const res2 = await postTicket(s, device, bare);
      expect(res2.statusCode, res2.body).toBe(201);
      expect(res2.json()).toMatchObject({ category: 'hardware', urgency: 'medium' });
      expect((await ticketRow(res2.json().id)).category).toBe('hardware');
    } finally {
      expect((await setOther(true)).statusCode).toBe(200);
    }
  });

  it('refuses bad submissions with clear 4xx codes', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ ...ticketPayload(), subject: undefined }, 400, 'invalid_request'],
      [{ ...ticketPayload(), subject: '   ' }, 400, 'invalid_request'],
      [{ ...ticketPayload(), urgency: 5 }, 400, 'invalid_request'],
      [{ ...ticketPayload(), category: 'coffee' }, 400, 'invalid_request'],
      [{ ...ticketPayload(), requester: { name: 'A', email: 'not-an-email' } }, 400, 'invalid_request'],
      [{ ...ticketPayload(), attachments: 'none' }, 400, 'invalid_request'],
      [{ ...ticketPayload(), snapshot: { schemaVersion: 1 } }, 422, 'invalid_snapshot'],
      [{ ...ticketPayload(), snapshot: 'my computer is slow' }, 422, 'invalid_snapshot'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await postTicket(s, device, payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 120)).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    const notJson = await s.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { ...device.headers, 'idempotency-key': newKey(), 'content-type': 'application/json' },
      payload: '{"subject":',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('invalid_json');
    const count = await s.db.kysely
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('subject', '=', 'coffee')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('requires a well-formed Idempotency-Key', async () => {
    const missing = await s.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: device.headers,
      payload: ticketPayload(),
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('idempotency_key_required');
    for (const key of ['short', 'x'.repeat(129), 'has space in it', 'semi;colon;key']) {
      const res = await postTicket(s, device, ticketPayload(), key);
      expect(res.statusCode, key).toBe(400);
      expect(res.json().error.code).toBe('invalid_idempotency_key');
    }
  });

  it('refuses a snapshot over the configured limit (2 MiB by default) with 413', async () => {
    const res = await postTicket(s, device, ticketPayload({ snapshot: withPackages(healthySnapshot(), 19_000) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('snapshot_too_large');
  });

  it('requires a valid device token on every device route', async () => {
    const routes: Array<[string, string]> = [
      ['POST', '/api/v1/tickets'],
      ['GET', '/api/v1/device/tickets'],
      ['GET', '/api/v1/device/tickets/1'],
      ['POST', '/api/v1/tickets/1/solve'],
      ['POST', '/api/v1/tickets/1/reopen'],
      ['POST', '/api/v1/tickets/1/rating'],
      ['GET', '/api/v1/tickets/updates'],
    ];
    for (const [method, url] of routes) {
      const none = await s.inject({ method: method as 'GET', url, payload: method === 'POST' ? {} : undefined });
      expect(none.statusCode, `${method} ${url}`).toBe(401);
      expect(none.json().error.code).toBe('device_token_required');
      const bad = await s.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${'x'.repeat(43)}` },
      });
      expect(bad.statusCode, `${method} ${url}`).toBe(401);
      expect(bad.json().error.code).toBe('invalid_device_token');
    }
    // A staff session is not a device.
    const staff = await s.inject({ method: 'GET', url: '/api/v1/device/tickets', headers: s.tech.headers });
    expect(staff.statusCode).toBe(401);
  });

  it('answers 400 for ids that are not positive integers', async () => {
    for (const id of ['abc', '-1', '0', '1.5', '1e20', '99999999999999999999']) {
      const res = await s.inject({ method: 'GET', url: `/api/v1/device/tickets/${id}`, headers: device.headers });
      expect(res.statusCode, id).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
  });

  it('documents its routes in OpenAPI', async () => {
    const spec = (await s.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const path of [
      '/api/v1/tickets',
      '/api/v1/device/tickets',
      '/api/v1/device/tickets/{id}',
      '/api/v1/tickets/{id}/messages',
      '/api/v1/tickets/updates',
      '/api/v1/attachments/{id}',
    ]) {
      expect(spec.paths[path], path).toBeDefined();
    }
  });
});
