import type { Insertable } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { audit } from '../../src/server/audit/audit.service';
import type { TicketsTable } from '../../src/server/db/schema';
import { createTestServer, describeEachDatabase, type TestServer } from './harness';

/** Epoch ms of a UTC time in February 2026 (day 0 = January 31). */
const feb = (day: number, hh = 0, mm = 0) => Date.UTC(2026, 1, day, hh, mm);

type TicketSeed = Partial<Insertable<TicketsTable>> &
  Pick<Insertable<TicketsTable>, 'created_at' | 'status' | 'category'>;

function ticket(seed: TicketSeed): Insertable<TicketsTable> {
  return {
    device_id: null,
    requester_name: null,
    requester_email: null,
    subject: 'subject',
    description: '',
    urgency: 'low',
    impact: 'low',
    priority: 'p3',
    assignee_id: null,
    group_name: null,
    snapshot_id: null,
    finding_codes: '[]',
    updated_at: seed.created_at,
    first_response_at: null,
    resolved_at: null,
    closed_at: null,
    sla_policy_id: null,
    first_response_due_at: null,
    resolution_due_at: null,
    sla_state: 'none',
    escalation_level: 0,
    satisfaction: null,
    satisfaction_comment: null,
    last_message_at: seed.created_at,
    last_staff_message_id: null,
    ...seed,
  };
}

/*
 * The dataset, for the range 2026-02-01 … 2026-02-07 (expected numbers worked out by hand):
 * first responses in range: 10, 30, 20, 60, 90 min → median 30, p90 78;
 * resolutions in range: 120, 1440, 60, 10110 min → median 780, p90 7509.
 */
const TICKETS: TicketSeed[] = [
  // 1: answered and resolved within both SLA targets.
  {
    created_at: feb(1, 8),
    first_response_at: feb(1, 8, 10),
    first_response_due_at: feb(1, 8, 30),
    resolved_at: feb(1, 10),
    resolution_due_at: feb(1, 12),
    status: 'resolved',
    priority: 'p2',
    category: 'network',
    satisfaction: 5,
    finding_codes: '["disk.almost_full","network.dns_failing"]',
  },
  // 2: both targets missed; closed later, but counted on its resolution day.
  {
    created_at: feb(1, 9),
    first_response_at: feb(1, 9, 30),
    first_response_due_at: feb(1, 9, 15),
    resolved_at: feb(2, 9),
    resolution_due_at: feb(1, 17),
    closed_at: feb(3, 9),
    status: 'closed',
    category: 'network',
    satisfaction: 2,
    finding_codes: '["disk.almost_full"]',
  },
  // 3: no SLA.
  {
    created_at: feb(3, 12),
    first_response_at: feb(3, 12, 20),
    resolved_at: feb(3, 13),
    status: 'resolved',
    category: 'printing',
    satisfaction: 4,
  },
  // 4: open, first response late; a finding listed twice counts once.
  {
    created_at: feb(4, 10),
    first_response_at: feb(4, 11),
    first_response_due_at: feb(4, 10, 30),
    status: 'open',
    priority: 'p1',
    category: 'hardware',
    finding_codes: '["disk.almost_full","disk.almost_full"]',
  },
  // 5: new, never answered; an unknown finding code is ignored.
  { created_at: feb(5), status: 'new', priority: 'p3', category: 'printing', finding_codes: '["legacy.code"]' },
  // 6: pending; its first response falls after the range.
  {
    created_at: feb(6, 23, 59),
    first_response_at: feb(8, 0, 30),
    status: 'pending',
    priority: 'p1',
    category: 'network',
  },
  // 7: opened before the range, answered at its first instant, resolved on its last day.
  {
    created_at: feb(0, 22, 30),
    first_response_at: feb(1),
    resolved_at: feb(7, 23),
    resolution_due_at: feb(8),
    status: 'resolved',
    category: 'email',
  },
  // 8: closed without a resolution, rated 1.
  { created_at: feb(2, 10), closed_at: feb(2, 11), status: 'closed', category: 'other', satisfaction: 1 },
  // 9: opened at the exclusive end of the range: backlog only.
  { created_at: feb(8), status: 'new', priority: 'p4', category: 'network', finding_codes: '["cpu.hog"]' },
  // 10: long before the range.
  {
    created_at: Date.UTC(2026, 0, 20),
    resolved_at: Date.UTC(2026, 0, 25),
    status: 'resolved',
    category: 'software',
    satisfaction: 3,
  },
];

describeEachDatabase('reports', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    await s.db.kysely.insertInto('tickets').values(TICKETS.map(ticket)).execute();
    const now = feb(1);
    const article = await s.db.kysely
      .insertInto('articles')
      .values({
        title: 'Free up disk space',
        body: 'Empty the trash.',
        tags: '[]',
        finding_codes: '[]',
        target_os: '[]',
        target_groups: '[]',
        status: 'published',
        created_at: now,
        updated_at: now,
        published_at: now,
        deleted_at: null,
        views: 0,
        helped: 0,
        search_text: 'disk',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const events: Array<['view' | 'helped', number]> = [
      ['view', feb(1, 1)],
      ['view', feb(2)],
      ['view', feb(5, 5)],
      ['view', feb(7, 23, 59)],
      ['view', feb(8)],
      ['helped', feb(1, 2)],
      ['helped', feb(3)],
      ['helped', feb(7, 12)],
      ['helped', feb(0, 23)],
    ];
    await s.db.kysely
      .insertInto('article_events')
      .values(events.map(([kind, at]) => ({ article_id: article.id, device_id: null, kind, at })))
      .execute();
  });
  afterAll(() => s.close());

  const get = (url: string, headers: Record<string, string> = s.tech.headers) =>
    s.inject({ method: 'GET', url, headers });

  it('computes the summary of a range exactly', async () => {
    const res = await get('/api/v1/reports/summary?from=2026-02-01&to=2026-02-07');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      range: { from: '2026-02-01', to: '2026-02-07', days: 7 },
      volume: {
        opened: 7,
        closed: 5,
        daily: [
          { date: '2026-02-01', opened: 2, closed: 1 },
          { date: '2026-02-02', opened: 1, closed: 2 },
          { date: '2026-02-03', opened: 1, closed: 1 },
          { date: '2026-02-04', opened: 1, closed: 0 },
          { date: '2026-02-05', opened: 1, closed: 0 },
          { date: '2026-02-06', opened: 1, closed: 0 },
          { date: '2026-02-07', opened: 0, closed: 1 },
        ],
      },
      firstResponse: { count: 5, medianMinutes: 30, p90Minutes: 78 },
      resolution: { count: 4, medianMinutes: 780, p90Minutes: 7509 },
      sla: { firstResponse: { total: 3, met: 1, percent: 33.3 }, resolution: { total: 3, met: 2, percent: 66.7 } },
      backlog: { total: 4, byPriority: { p1: 2, p2: 0, p3: 1, p4: 1 } },
      satisfaction: {
        count: 4,
        average: 3,
        distribution: [
          { rating: 1, count: 1 },
          { rating: 2, count: 1 },
          { rating: 3, count: 0 },
          { rating: 4, count: 1 },
          { rating: 5, count: 1 },
        ],
      },
      topCategories: [
        { category: 'network', count: 3 },
        { category: 'printing', count: 2 },
        { category: 'hardware', count: 1 },
        { category: 'other', count: 1 },
      ],
      topFindings: [
        { code: 'disk.almost_full', count: 3 },
        { code: 'network.dns_failing', count: 1 },
      ],
      deflection: { articleViews: 4, helped: 3, tickets: 7, percent: 30 },
    });
  });

  it('reports an empty range as zeros and nulls, not errors', async () => {
    const body = (await get('/api/v1/reports/summary?from=2025-06-01&to=2025-06-02')).json();
    expect(body.volume).toEqual({
      opened: 0,
      closed: 0,
      daily: [
        { date: '2025-06-01', opened: 0, closed: 0 },
        { date: '2025-06-02', opened: 0, closed: 0 },
      ],
    });
    expect(body.firstResponse).toEqual({ count: 0, medianMinutes: null, p90Minutes: null });
    expect(body.sla.resolution).toEqual({ total: 0, met: 0, percent: null });
    expect(body.satisfaction.average).toBeNull();
    expect(body.deflection.percent).toBeNull();
    expect(body.backlog.total).toBe(4);
  });

  it('defaults to the last 30 days ending today (UTC) and allows up to 366 days', async () => {
    const body = (await get('/api/v1/reports/summary')).json();
    expect(body.range).toEqual({ from: '2026-02-01', to: '2026-03-02', days: 30 });
    expect(body.volume.daily).toHaveLength(30);
    expect(body.volume.opened).toBe(8);
    expect((await get('/api/v1/reports/summary?to=2026-02-07')).json().range).toEqual({
      from: '2026-01-09',
      to: '2026-02-07',
      days: 30,
    });
    expect((await get('/api/v1/reports/summary?from=2025-03-02&to=2026-03-02')).json().range.days).toBe(366);
  });

  it('rejects bad ranges and dates with 400', async () => {
    const cases: Array<[string, string]> = [
      ['from=2025-03-01&to=2026-03-02', 'range_too_large'],
      ['from=2026-02-07&to=2026-02-01', 'invalid_range'],
      ['from=2026-04-01', 'invalid_range'],
      ['from=yesterday', 'invalid_request'],
      ['from=2026-02-01T00:00:00Z', 'invalid_request'],
      ['to=2026-13-01', 'invalid_request'],
    ];
    for (const [query, code] of cases) {
      const res = await get(`/api/v1/reports/summary?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code, query).toBe(code);
    }
    const feb30 = await get('/api/v1/reports/summary?from=2026-02-30');
    expect(feb30.statusCode).toBe(400);
  });

  it('exports daily volume as CSV', async () => {
    const res = await get('/api/v1/reports/summary.csv?from=2026-02-01&to=2026-02-03');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="deskside-volume-2026-02-01-2026-02-03.csv"');
    expect(res.body).toBe('date,opened,closed\r\n2026-02-01,2,1\r\n2026-02-02,1,2\r\n2026-02-03,1,1\r\n');
  });

  it('is for staff only: devices and anonymous callers get 401', async () => {
    const device = await s.enroll();
    for (const url of ['/api/v1/reports/summary', '/api/v1/reports/summary.csv']) {
      expect((await get(url, device.headers)).statusCode).toBe(401);
      expect((await get(url, {})).statusCode).toBe(401);
    }
  });
});

describeEachDatabase('audit log', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    await s.db.kysely.deleteFrom('audit_log').execute();
    const entries = [
      {
        actorType: 'staff',
        actorId: s.admin.id,
        action: 'enroll_secret.create',
        targetType: 'enroll_secret',
        targetId: 1,
        ip: '10.0.0.1',
      },
      {
        actorType: 'cli',
        actorId: null,
        action: 'staff.create',
        targetType: 'staff',
        targetId: 7,
        details: { email: 'x@example.com' },
      },
      { actorType: 'staff', actorId: s.admin.id, action: 'device.revoke', targetType: 'device', targetId: 'abc' },
      { actorType: 'system', actorId: null, action: 'ticket.escalate', targetType: 'ticket', targetId: 3 },
      { actorType: 'staff', actorId: s.tech.id, action: 'enrollxsecret.other' },
    ] as const;
    for (const entry of entries) {
      await audit(s.ctx, entry);
      s.clock.advance(1000);
    }
  });
  afterAll(() => s.close());

  const get = (url: string, headers: Record<string, string> = s.admin.headers) =>
    s.inject({ method: 'GET', url, headers });
  const actions = (body: { entries: Array<{ action: string }> }) => body.entries.map((e) => e.action);

  it('lists entries newest first, with the actor name', async () => {
    const res = await get('/api/v1/audit');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(actions(body)).toEqual([
      'enrollxsecret.other',
      'ticket.escalate',
      'device.revoke',
      'staff.create',
      'enroll_secret.create',
    ]);
    expect(body.nextBefore).toBeNull();
    expect(body.entries[2]).toMatchObject({
      actor: { type: 'staff', id: String(s.admin.id), name: 'admin 1' },
      target: { type: 'device', id: 'abc' },
      details: {},
      ip: null,
    });
    expect(body.entries[3]).toMatchObject({
      actor: { type: 'cli', id: null, name: null },
      details: { email: 'x@example.com' },
    });
    expect(body.entries[0]).toMatchObject({ target: null, at: expect.stringMatching(/Z$/) });
  });

  it('pages by keyset with before', async () => {
    const first = (await get('/api/v1/audit?limit=2')).json();
    expect(actions(first)).toEqual(['enrollxsecret.other', 'ticket.escalate']);
    const second = (await get(`/api/v1/audit?limit=2&before=${first.nextBefore}`)).json();
    expect(actions(second)).toEqual(['device.revoke', 'staff.create']);
    const third = (await get(`/api/v1/audit?limit=2&before=${second.nextBefore}`)).json();
    expect(third).toMatchObject({ nextBefore: null });
    expect(actions(third)).toEqual(['enroll_secret.create']);
  });

  it('filters by action prefix (wildcards taken literally) and by actor', async () => {
    expect(actions((await get('/api/v1/audit?action=enroll_')).json())).toEqual(['enroll_secret.create']);
    expect(actions((await get('/api/v1/audit?action=device.')).json())).toEqual(['device.revoke']);
    expect(actions((await get(`/api/v1/audit?actor=${s.admin.id}`)).json())).toEqual([
      'device.revoke',
      'enroll_secret.create',
    ]);
    expect(actions((await get('/api/v1/audit?actor=system')).json())).toEqual(['ticket.escalate']);
    expect(actions((await get(`/api/v1/audit?actor=${s.admin.id}&action=enroll`)).json())).toEqual([
      'enroll_secret.create',
    ]);
  });

  it('is for admins only: technicians 403, devices and anonymous callers 401', async () => {
    const tech = await get('/api/v1/audit', s.tech.headers);
    expect(tech.statusCode).toBe(403);
    expect(tech.json().error.code).toBe('admin_only');
    const device = await s.enroll();
    expect((await get('/api/v1/audit', device.headers)).statusCode).toBe(401);
    expect((await get('/api/v1/audit', {})).statusCode).toBe(401);
  });

  it('rejects malformed queries with 400', async () => {
    for (const query of [
      'limit=0',
      'limit=201',
      'before=abc',
      'before=0',
      'action=DROP%20TABLE',
      'action=%25',
      'actor=bob',
      'actor=-1',
    ]) {
      const res = await get(`/api/v1/audit?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
  });
});
