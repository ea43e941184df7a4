import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { queueQueries } from '../../src/server/tickets/queue.repo';
import { queueQuerySchema } from '../../src/shared/api/queue';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';
import { asStaff, eventsOf, HOUR, insertTicket, MINUTE, patchTicket, resetServer, ticketRow } from './sla-helpers';

type Page = { tickets: Array<{ id: number; subject: string }>; nextCursor: string | null; total: number };

describeEachDatabase('staff queue', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    device = await s.enroll({ hostname: 'lt-dana' });
  });
  afterAll(() => s?.close());
  beforeEach(() => resetServer(s));

  const queue = async (query = '') => {
    const res = await asStaff(s, s.tech, 'GET', `/api/v1/tickets${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  };
  const ids = async (query = '') => (await queue(query)).tickets.map((t) => t.id);

  it('sorts by resolution due time, tickets without an SLA last, then priority, then id', async () => {
    const p3 = await insertTicket(s, { priority: 'p3' }); // due Wednesday 17:00
    const p2 = await insertTicket(s, { priority: 'p2' }); // due 17:00
    const p1Late = await insertTicket(s, { priority: 'p1', createdAt: s.clock.now + 4 * HOUR }); // due 17:00 too, higher priority
    const p1 = await insertTicket(s, { priority: 'p1' }); // due 13:00
    const p2Twin = await insertTicket(s, { priority: 'p2' }); // same key as p2: id decides
    const noSlaP4 = await insertTicket(s, { priority: 'p4', sla: false });
    const noSlaP1 = await insertTicket(s, { priority: 'p1', sla: false });
    expect(await ids()).toEqual([p1, p1Late, p2, p2Twin, p3, noSlaP1, noSlaP4]);
  });

  it('filters by status (default new, open, pending), priority, group, assignee, SLA state, device and text', async () => {
    const other = await s.staff('technician');
    const a = await insertTicket(s, {
      status: 'new',
      priority: 'p1',
      group: 'tier1',
      assigneeId: s.tech.id,
      deviceId: device.id,
      subject: 'VPN drops every hour',
    });
    const b = await insertTicket(s, {
      status: 'open',
      priority: 'p2',
      group: 'tier2',
      assigneeId: other.id,
      description: 'Outlook says 100% done_ but nothing',
    });
    const c = await insertTicket(s, { status: 'pending', priority: 'p3', requesterEmail: 'Zoe.Quinn@Example.com' });
    const d = await insertTicket(s, { status: 'resolved', priority: 'p1' });
    const e = await insertTicket(s, { status: 'closed', priority: 'p4', subject: 'vpn certificate expired' });
    await s.db.kysely.updateTable('tickets').set({ sla_state: 'breached' }).where('id', '=', b).execute();

    const page = await queue();
    expect(page.tickets.map((t) => t.id).sort()).toEqual([a, b, c].sort());
    expect(page.total).toBe(3);
    expect(await ids('?status=closed')).toEqual([e]);
    expect((await ids('?status=resolved&status=closed')).sort()).toEqual([d, e].sort());
    expect((await ids('?status=new&status=pending')).sort()).toEqual([a, c].sort());
    expect((await ids('?priority=p1&priority=p3')).sort()).toEqual([a, c].sort());
    expect(await ids('?group=tier2')).toEqual([b]);
    expect(await ids('?assignee=me')).toEqual([a]);
    expect(await ids(`?assignee=${other.id}`)).toEqual([b]);
    expect(await ids('?assignee=none')).toEqual([c]);
    expect(await ids('?sla=breached')).toEqual([b]);
    expect(await ids(`?device=${device.id}`)).toEqual([a]);
    // Case-insensitive over subject, description and requester; LIKE wildcards are taken literally.
    expect((await ids('?q=VPN&status=new&status=closed')).sort()).toEqual([a, e].sort());
    expect(await ids('?q=zoe.quinn')).toEqual([c]);
    expect(await ids('?q=100%25')).toEqual([b]);
    expect(await ids('?q=e_')).toEqual([b]);
    expect(await ids('?q=%25')).toEqual([b]);
    const filtered = await queue('?q=nothing-matches-this');
    expect(filtered).toEqual({ tickets: [], nextCursor: null, total: 0 });
  });

  it('pages by keyset cursor without duplicates or gaps, even when tickets change between pages', async () => {
    const created: number[] = [];
    for (let i = 0; i < 37; i++) {
      created.push(
        await insertTicket(s, {
          priority: (['p1', 'p2', 'p3', 'p4'] as const)[i % 4],
          createdAt: s.clock.now + (i % 5) * 15 * MINUTE,
          sla: i % 9 !== 0,
        }),
      );
    }
    const all = await ids('?limit=200');
    expect(all).toHaveLength(37);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await queue(`?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.total).toBe(pages < 2 ? 37 : 34);
      seen.push(...page.tickets.map((t) => t.id));
      cursor = page.nextCursor;
      pages += 1;
      if (pages === 2) {
        // Already-seen tickets leave the queue: the rest still comes exactly once.
        await s.db.kysely
          .updateTable('tickets')
          .set({ status: 'closed' })
          .where('id', 'in', seen.slice(0, 3))
          .execute();
      }
    } while (cursor !== null);
    expect(pages).toBe(8);
    expect(seen).toEqual(all);
  });

  it('answers 400 for malformed queries and cursors, 401 without a staff session', async () => {
    for (const cursor of [
      'not base64!',
      'AAAA',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('[1,"p9",3]').toString('base64url'),
      Buffer.from('[-1,"p1",3]').toString('base64url'),
      'x'.repeat(201),
    ]) {
      const res = await asStaff(s, s.tech, 'GET', `/api/v1/tickets?cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json().error.code, cursor).toBe(cursor.length > 200 ? 'invalid_request' : 'invalid_cursor');
    }
    for (const query of [
      'limit=0',
      'limit=201',
      'limit=ten',
      'status=done',
      'priority=p0',
      'assignee=someone',
      'assignee=-3',
      'sla=late',
      'device=not-a-uuid',
      'q=%20%20',
      `group=${'g'.repeat(65)}`,
    ]) {
      const res = await asStaff(s, s.tech, 'GET', `/api/v1/tickets?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code, query).toBe('invalid_request');
    }
    expect((await s.inject({ method: 'GET', url: '/api/v1/tickets' })).statusCode).toBe(401);
    expect((await s.inject({ method: 'GET', url: '/api/v1/tickets', headers: device.headers })).statusCode).toBe(401);
  });

  it('walks the partial index in order for the default view (no sort of all open tickets)', async (test) => {
    if (dialect !== 'sqlite') {
      test.skip('PostgreSQL chooses by statistics; its plans were checked at 100 000 rows');
      return;
    }
    const { page, count } = queueQueries(s.db, queueQuerySchema.parse({}), s.tech.id);
    const plan = async (q: CompiledQuery) =>
      (await s.db.kysely.executeQuery(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters]))).rows
        .map((r) => (r as { detail: string }).detail)
        .join(' | ');
    const pagePlan = await plan(page.compile());
    expect(pagePlan).toContain('tickets_open_by_due');
    expect(pagePlan).not.toContain('TEMP B-TREE');
    expect(await plan(count.compile())).toMatch(/COVERING INDEX/);
    // A status filter (and its count) seeks tickets_status_by_due, since tickets_queue was dropped (029).
    const resolved = queueQueries(s.db, queueQuerySchema.parse({ status: 'resolved' }), s.tech.id);
    expect(await plan(resolved.page.compile())).toContain('tickets_status_by_due (status=?)');
    expect(await plan(resolved.count.compile())).toContain('COVERING INDEX tickets_status_by_due (status=?)');
  });
});

describeEachDatabase('staff ticket view, update, escalation and history', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    device = await s.enroll({ hostname: 'lt-dana' });
  });
  afterAll(() => s?.close());
  beforeEach(() => resetServer(s));

  it('shows a ticket with its device hostname and assignee name; 404 and 400 for unknown and malformed ids', async () => {
    const id = await insertTicket(s, { deviceId: device.id, assigneeId: s.tech.id, group: 'tier1' });
    const res = await asStaff(s, s.tech, 'GET', `/api/v1/tickets/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id,
      device: { id: device.id, hostname: 'lt-dana' },
      assignee: { id: s.tech.id, name: expect.stringMatching(/^technician/) },
      group: 'tier1',
      status: 'new',
      sla: { policyId: expect.any(Number), state: 'ok' },
    });
    const missing = await asStaff(s, s.tech, 'GET', '/api/v1/tickets/987654');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('ticket_not_found');
    for (const bad of ['abc', '0', '-1', '1.5'])
      expect((await asStaff(s, s.tech, 'GET', `/api/v1/tickets/${bad}`)).statusCode, bad).toBe(400);
  });

  it('validates status transitions: a closed ticket only reopens', async () => {
    const id = await insertTicket(s);
    expect((await patchTicket(s, s.tech, id, { status: 'open' })).json().status).toBe('open');
    const back = await patchTicket(s, s.tech, id, { status: 'new' });
    expect(back.statusCode).toBe(409);
    expect(back.json().error.code).toBe('invalid_status_transition');
    const closed = await patchTicket(s, s.tech, id, { status: 'closed' });
    expect(closed.json()).toMatchObject({
      status: 'closed',
      closedAt: expect.any(String),
      resolvedAt: expect.any(String),
    });
    for (const status of ['resolved', 'pending', 'new'])
      expect((await patchTicket(s, s.tech, id, { status })).statusCode, status).toBe(409);
    expect((await patchTicket(s, s.tech, id, { status: 'open' })).json()).toMatchObject({
      status: 'open',
      closedAt: null,
      resolvedAt: null,
    });
    expect((await eventsOf(s, id, ['status_changed'])).map((e) => `${e.data.from}->${e.data.to}`)).toEqual([
      'new->open',
      'open->closed',
      'closed->open',
    ]);
  });

  it('assigns only active staff, records events, audits and tells listeners of every change', async () => {
    const id = await insertTicket(s);
    const notify = vi.spyOn(s.ctx.bus, 'notify');
    const gone = await s.staff('technician');
    await s.db.kysely.updateTable('staff_users').set({ active: 0 }).where('id', '=', gone.id).execute();
    for (const assigneeId of [987654, gone.id]) {
      const res = await patchTicket(s, s.tech, id, { assigneeId });
      expect(res.statusCode, String(assigneeId)).toBe(422);
      expect(res.json().error.code).toBe('unknown_assignee');
    }
    const res = await patchTicket(s, s.tech, id, { assigneeId: s.admin.id, group: 'tier2', category: 'network' });
    expect(res.json()).toMatchObject({ assignee: { id: s.admin.id }, group: 'tier2', category: 'network' });
    // Any change reaches the employee's agent (ticket.changed) and the other consoles.
    expect(notify).toHaveBeenCalledWith(id, { changed: true });
    notify.mockClear();
    await patchTicket(s, s.tech, id, { status: 'pending', assigneeId: null });
    expect(notify).toHaveBeenCalledWith(id, { changed: true });
    expect((await ticketRow(s, id)).assignee_id).toBeNull();
    expect((await eventsOf(s, id)).map((e) => e.type)).toEqual([
      'assignee_changed',
      'group_changed',
      'category_changed',
      'assignee_changed',
      'status_changed',
    ]);
    const audits = await s.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', '=', 'ticket.update')
      .execute();
    expect(audits).toEqual([
      { action: 'ticket.update', target_id: String(id) },
      { action: 'ticket.update', target_id: String(id) },
    ]);
    notify.mockRestore();
  });

  it('answers 400 for malformed updates and 404 for unknown tickets', async () => {
    const id = await insertTicket(s);
    for (const body of [
      {},
      { status: 'done' },
      { assigneeId: 'me' },
      { assigneeId: 0 },
      { priority: 1 },
      { group: '' },
      { category: 'coffee' },
      { urgency: 'urgent' },
      [],
    ]) {
      const res = await patchTicket(s, s.tech, id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
    const missing = await patchTicket(s, s.tech, 987654, { status: 'open' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('ticket_not_found');
    expect(
      (
        await s.inject({
          method: 'PATCH',
          url: `/api/v1/tickets/${id}`,
          headers: { cookie: s.tech.headers.cookie ?? '' },
          payload: { status: 'open' },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('escalates by hand: one level up, to another group (assignee cleared) and one priority higher', async () => {
    const id = await insertTicket(s, { priority: 'p3', assigneeId: s.tech.id, group: 'tier1' });
    const plain = await asStaff(s, s.tech, 'POST', `/api/v1/tickets/${id}/escalate`, {});
    expect(plain.json()).toMatchObject({
      escalationLevel: 1,
      priority: 'p3',
      group: 'tier1',
      assignee: { id: s.tech.id },
    });
    const res = await asStaff(s, s.tech, 'POST', `/api/v1/tickets/${id}/escalate`, {
      group: 'tier2',
      raisePriority: true,
      note: 'Needs AD rights',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ escalationLevel: 2, priority: 'p2', group: 'tier2', assignee: null });
    const history = await asStaff(s, s.tech, 'GET', `/api/v1/tickets/${id}/events`);
    const escalated = history.json().events.filter((e: { type: string }) => e.type === 'escalated');
    expect(escalated[1]).toMatchObject({
      actor: { type: 'staff', id: String(s.tech.id), name: expect.stringMatching(/^technician/) },
      data: {
        manual: true,
        note: 'Needs AD rights',
        level: 2,
        group: { from: 'tier1', to: 'tier2' },
        priority: { from: 'p3', to: 'p2' },
        unassigned: s.tech.id,
      },
    });

    await patchTicket(s, s.tech, id, { status: 'resolved' });
    const done = await asStaff(s, s.tech, 'POST', `/api/v1/tickets/${id}/escalate`, {});
    expect(done.statusCode).toBe(409);
    expect(done.json().error.code).toBe('ticket_not_open');
    expect((await asStaff(s, s.tech, 'POST', '/api/v1/tickets/987654/escalate', {})).statusCode).toBe(404);
    for (const body of [{ group: 5 }, { raisePriority: 'yes' }, { extra: true }, { note: '' }]) {
      expect(
        (await asStaff(s, s.tech, 'POST', `/api/v1/tickets/${id}/escalate`, body)).statusCode,
        JSON.stringify(body),
      ).toBe(400);
    }
  });

  it('pages the history and answers 404 and 400 for unknown tickets and bad cursors', async () => {
    const id = await insertTicket(s);
    for (const status of ['open', 'pending', 'open', 'pending', 'open']) await patchTicket(s, s.tech, id, { status });
    const first = await asStaff(s, s.tech, 'GET', `/api/v1/tickets/${id}/events?limit=3`);
    expect(first.json().events).toHaveLength(3);
    const rest = await asStaff(s, s.tech, 'GET', `/api/v1/tickets/${id}/events?after=${first.json().nextCursor}`);
    expect(rest.json()).toMatchObject({ nextCursor: null });
    expect(rest.json().events).toHaveLength(2);
    expect((await asStaff(s, s.tech, 'GET', '/api/v1/tickets/987654/events')).json().error.code).toBe(
      'ticket_not_found',
    );
    for (const q of ['limit=0', 'limit=1001', 'after=-1', 'after=x'])
      expect((await asStaff(s, s.tech, 'GET', `/api/v1/tickets/${id}/events?${q}`)).statusCode, q).toBe(400);
  });
});

describeEachDatabase('queue at 100 000 tickets (QUEUE_BENCH=1)', (dialect) => {
  it.skipIf(!process.env.QUEUE_BENCH)(
    'serves the default first page with p95 under 30 ms',
    { timeout: 600_000 },
    async () => {
      const s = await createTestServer(dialect);
      try {
        const base = s.clock.now - 60 * 24 * HOUR;
        const rows = Array.from({ length: 100_000 }, (_, i) => {
          // One ticket in seven still open, like a help desk with two months of history; one in twenty without an SLA.
          const open = i % 7 === 0;
          const created = base + ((i * 7919) % (60 * 24 * 60)) * MINUTE;
          return {
            device_id: null,
            requester_name: `User ${i}`,
            requester_email: `user${i}@example.com`,
            subject: `Ticket ${i}`,
            description: 'Details '.repeat(40),
            category: 'other',
            urgency: 'medium' as const,
            impact: 'low' as const,
            priority: (['p1', 'p2', 'p3', 'p4'] as const)[i % 4] ?? 'p4',
            status: open
              ? ((['new', 'open', 'pending'] as const)[i % 3] ?? 'new')
              : i % 2 === 0
                ? ('closed' as const)
                : ('resolved' as const),
            assignee_id: null,
            group_name: i % 2 === 0 ? 'tier1' : 'tier2',
            snapshot_id: null,
            finding_codes: '[]',
            created_at: created,
            updated_at: created,
            sla_policy_id: i % 20 === 0 ? null : 1,
            first_response_due_at: i % 20 === 0 ? null : created + HOUR,
            resolution_due_at: i % 20 === 0 ? null : created + (i % 5) * 24 * HOUR,
            sla_state: i % 20 === 0 ? ('none' as const) : ('ok' as const),
            escalation_level: 0,
            last_message_at: created,
          };
        });
        for (let i = 0; i < rows.length; i += 1000)
          await s.db.kysely
            .insertInto('tickets')
            .values(rows.slice(i, i + 1000))
            .execute();
        const times: number[] = [];
        for (let i = 0; i < 200; i++) {
          const started = performance.now();
          const res = await s.inject({ method: 'GET', url: '/api/v1/tickets', headers: s.tech.headers });
          times.push(performance.now() - started);
          expect(res.statusCode).toBe(200);
        }
        times.sort((a, b) => a - b);
        const p95 = times[Math.floor(times.length * 0.95)] ?? Infinity;
        console.log(
          `[${dialect}] GET /api/v1/tickets at 100k tickets: p50 ${times[100]?.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`,
        );
        if (dialect === 'sqlite') expect(p95).toBeLessThan(30);
      } finally {
        await s.close();
      }
    },
  );
});
