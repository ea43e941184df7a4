import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { evaluateSla } from '../../src/server/sla/sla.job';
import { computeSla, ensureDefaultSlaPolicies, invalidateSlaPolicies } from '../../src/server/sla/sla.service';
import { createTestServer, describeEachDatabase, type TestServer } from './harness';
import {
  asStaff,
  eventsOf,
  HOUR,
  insertTicket,
  MINUTE,
  MONDAY_9,
  patchTicket,
  resetServer,
  setClock,
  ticketRow,
} from './sla-helpers';

const at = (iso: string) => Date.parse(iso);

describeEachDatabase('SLA due times and transitions', (dialect) => {
  let s: TestServer;
  beforeAll(async () => (s = await createTestServer(dialect)));
  afterAll(() => s?.close());
  beforeEach(() => resetServer(s));

  it('seeds the default policies once, and computes due times per priority in business hours', async () => {
    await ensureDefaultSlaPolicies(s.db, s.clock.now);
    const policies = await s.db.kysely
      .selectFrom('sla_policies')
      .select(['priority', 'first_response_minutes', 'resolution_minutes', 'business_hours', 'warning_percent'])
      .orderBy('priority')
      .execute();
    expect(
      policies.map((p) => [
        p.priority,
        p.first_response_minutes,
        p.resolution_minutes,
        p.business_hours === null,
        p.warning_percent,
      ]),
    ).toEqual([
      ['p1', 30, 240, true, 80],
      ['p2', 60, 480, false, 80],
      ['p3', 240, 1440, false, 80],
      ['p4', 480, 2400, false, 80],
    ]);
    const monday = at(MONDAY_9);
    const due = async (priority: 'p1' | 'p2' | 'p3' | 'p4', created: number) => {
      const sla = await computeSla(s.ctx, priority, created);
      expect(sla.state).toBe('ok');
      return [new Date(sla.firstResponseDueAt ?? 0).toISOString(), new Date(sla.resolutionDueAt ?? 0).toISOString()];
    };
    expect(await due('p1', monday)).toEqual(['2026-03-02T09:30:00.000Z', '2026-03-02T13:00:00.000Z']);
    expect(await due('p2', monday)).toEqual(['2026-03-02T10:00:00.000Z', '2026-03-02T17:00:00.000Z']);
    expect(await due('p3', monday)).toEqual(['2026-03-02T13:00:00.000Z', '2026-03-04T17:00:00.000Z']);
    expect(await due('p4', monday)).toEqual(['2026-03-02T17:00:00.000Z', '2026-03-06T17:00:00.000Z']);
    // Friday afternoon runs over the weekend; p1 is around the clock.
    expect(await due('p2', at('2026-03-06T16:30:00Z'))).toEqual([
      '2026-03-09T09:30:00.000Z',
      '2026-03-09T16:30:00.000Z',
    ]);
    expect(await due('p1', at('2026-03-07T23:50:00Z'))).toEqual([
      '2026-03-08T00:20:00.000Z',
      '2026-03-08T03:50:00.000Z',
    ]);
    // Filed on a Saturday: the clock starts on Monday morning.
    expect(await due('p3', at('2026-03-07T11:00:00Z'))).toEqual([
      '2026-03-09T13:00:00.000Z',
      '2026-03-11T17:00:00.000Z',
    ]);
  });

  it('has no SLA for a priority without a policy', async () => {
    await s.db.kysely.deleteFrom('sla_policies').where('priority', '=', 'p4').execute();
    // Changes made behind the API show after the cache lifetime; this test skips the wait.
    invalidateSlaPolicies(s.db);
    expect(await computeSla(s.ctx, 'p4', s.clock.now)).toEqual({
      policyId: null,
      firstResponseDueAt: null,
      resolutionDueAt: null,
      state: 'none',
    });
  });

  it('moves ok -> warning -> breached as the clock advances, each target in turn', async () => {
    const id = await insertTicket(s, { priority: 'p2' }); // first response 10:00, resolution 17:00
    setClock(s, '2026-03-02T09:47:59Z');
    expect(await evaluateSla(s.ctx)).toBe(0);
    setClock(s, '2026-03-02T09:48:00Z'); // 80 % of the first hour
    expect(await evaluateSla(s.ctx)).toBe(1);
    expect((await ticketRow(s, id)).sla_state).toBe('warning');
    expect(await evaluateSla(s.ctx)).toBe(0);
    setClock(s, '2026-03-02T10:00:00Z');
    expect(await evaluateSla(s.ctx)).toBe(1);
    expect((await ticketRow(s, id)).sla_state).toBe('breached');

    // The late answer comes: the resolution target alone counts again.
    await s.db.kysely
      .updateTable('tickets')
      .set({ first_response_at: at('2026-03-02T10:05:00Z') })
      .where('id', '=', id)
      .execute();
    setClock(s, '2026-03-02T10:06:00Z');
    expect(await evaluateSla(s.ctx)).toBe(1);
    expect((await ticketRow(s, id)).sla_state).toBe('ok');
    setClock(s, '2026-03-02T15:24:00Z'); // 80 % of eight business hours
    expect(await evaluateSla(s.ctx)).toBe(1);
    expect((await ticketRow(s, id)).sla_state).toBe('warning');
    setClock(s, '2026-03-02T17:00:00Z');
    expect(await evaluateSla(s.ctx)).toBe(1);
    expect((await ticketRow(s, id)).sla_state).toBe('breached');

    const history = await eventsOf(s, id, ['sla_state_changed', 'sla_triggered']);
    expect(history.map((e) => (e.type === 'sla_triggered' ? e.data.trigger : `${e.data.from}->${e.data.to}`))).toEqual([
      'ok->warning',
      'first_response_warning',
      'warning->breached',
      'first_response_breach',
      'breached->ok',
      'ok->warning',
      'resolution_warning',
      'warning->breached',
      'resolution_breach',
    ]);
  });

  it('takes a pass a chunk at a time, letting requests in between: every ticket moves as in one go', async () => {
    const ids = [await insertTicket(s, { priority: 'p2' }), await insertTicket(s, { priority: 'p2' })];
    ids.push(await insertTicket(s, { priority: 'p2' }));
    setClock(s, '2026-03-02T09:48:00Z'); // 80 % of the first hour, for all three
    // Something else waiting for the event loop: it gets a turn before the pass ends.
    let turn = false;
    setImmediate(() => (turn = true));
    expect(await evaluateSla(s.ctx, 1)).toBe(3);
    expect(turn).toBe(true);
    for (const id of ids) expect((await ticketRow(s, id)).sla_state).toBe('warning');
    expect(await evaluateSla(s.ctx, 1)).toBe(0);
  });

  it('does not count nights and weekends toward business-hours targets', async () => {
    setClock(s, '2026-03-06T16:00:00Z'); // Friday 16:00, p3: first response due Monday 12:00
    const id = await insertTicket(s, { priority: 'p3', firstResponseAt: at('2026-03-06T16:10:00Z') });
    setClock(s, '2026-03-08T23:00:00Z'); // Sunday night: only one business hour used of 24
    expect(await evaluateSla(s.ctx)).toBe(0);
    expect((await ticketRow(s, id)).sla_state).toBe('ok');
  });

  it('settles the state on resolution: met within due, breached after', async () => {
    const { admin } = s;
    const onTime = await insertTicket(s, { priority: 'p1' });
    const late = await insertTicket(s, { priority: 'p1', firstResponseAt: at(MONDAY_9) + 5 * MINUTE });
    s.clock.advance(20 * MINUTE);
    const resolved = await patchTicket(s, admin, onTime, { status: 'resolved' });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({
      status: 'resolved',
      resolvedAt: new Date(s.clock.now).toISOString(),
      sla: { state: 'met' },
    });
    s.clock.advance(4 * HOUR);
    expect((await patchTicket(s, admin, late, { status: 'resolved' })).json().sla.state).toBe('breached');
    // Solved by some other path with a live state left behind: the job settles it.
    const other = await insertTicket(s, { priority: 'p1', firstResponseAt: s.clock.now });
    await s.db.kysely
      .updateTable('tickets')
      .set({ status: 'resolved', resolved_at: s.clock.now + MINUTE })
      .where('id', '=', other)
      .execute();
    expect(await evaluateSla(s.ctx)).toBe(1);
    expect((await ticketRow(s, other)).sla_state).toBe('met');
  });

  it('pauses the resolution clock while pending and keeps the time that was left', async () => {
    const id = await insertTicket(s, { priority: 'p2', firstResponseAt: at(MONDAY_9) + 10 * MINUTE }); // resolution due 17:00
    setClock(s, '2026-03-02T10:00:00Z');
    expect((await patchTicket(s, s.tech, id, { status: 'pending' })).json().status).toBe('pending');
    setClock(s, '2026-03-03T10:00:00Z'); // a day later: without the pause it would be breached
    expect(await evaluateSla(s.ctx)).toBe(0);
    expect((await ticketRow(s, id)).sla_state).toBe('ok');
    const back = await patchTicket(s, s.tech, id, { status: 'open' });
    expect(back.statusCode).toBe(200);
    // Seven business hours were left at 10:00 on Monday: due 17:00 on Tuesday.
    expect(back.json().sla).toMatchObject({
      state: 'ok',
      resolutionDueAt: '2026-03-03T17:00:00.000Z',
      firstResponseDueAt: '2026-03-02T10:00:00.000Z',
    });
    setClock(s, '2026-03-03T17:00:00Z');
    await evaluateSla(s.ctx);
    expect((await ticketRow(s, id)).sla_state).toBe('breached');
  });

  it('resolving a pending ticket does not count the pause, and a reopen resumes the clock', async () => {
    const id = await insertTicket(s, { priority: 'p2', firstResponseAt: at(MONDAY_9) + 10 * MINUTE });
    setClock(s, '2026-03-02T16:00:00Z');
    await patchTicket(s, s.tech, id, { status: 'pending' });
    setClock(s, '2026-03-03T11:00:00Z');
    const resolved = await patchTicket(s, s.tech, id, { status: 'resolved' });
    expect(resolved.json().sla).toMatchObject({ state: 'met', resolutionDueAt: '2026-03-03T12:00:00.000Z' });
    setClock(s, '2026-03-04T09:00:00Z');
    const reopened = await patchTicket(s, s.tech, id, { status: 'open' });
    // One business hour of eight left: already in the warning band.
    expect(reopened.json()).toMatchObject({
      status: 'open',
      resolvedAt: null,
      sla: { state: 'warning', resolutionDueAt: '2026-03-04T10:00:00.000Z' },
    });
  });

  it('recomputes due times from creation when urgency and impact change the priority', async () => {
    const id = await insertTicket(s, { urgency: 'low', impact: 'low' }); // p4
    s.clock.advance(10 * MINUTE);
    const res = await patchTicket(s, s.tech, id, { urgency: 'high', impact: 'high' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      priority: 'p1',
      sla: { firstResponseDueAt: '2026-03-02T09:30:00.000Z', resolutionDueAt: '2026-03-02T13:00:00.000Z', state: 'ok' },
    });
    // Set by hand, the priority stays when urgency changes.
    await patchTicket(s, s.tech, id, { priority: 'p3' });
    const after = await patchTicket(s, s.tech, id, { urgency: 'low' });
    expect(after.json()).toMatchObject({ priority: 'p3', urgency: 'low' });
    expect((await eventsOf(s, id, ['priority_changed'])).map((e) => e.data)).toEqual([
      { from: 'p4', to: 'p1', explicit: false },
      { from: 'p1', to: 'p3', explicit: true },
    ]);
  });
});

describeEachDatabase('SLA escalation rules', (dialect) => {
  let s: TestServer;
  beforeAll(async () => (s = await createTestServer(dialect)));
  afterAll(() => s?.close());
  beforeEach(() => resetServer(s));

  const addRule = async (rule: Record<string, unknown>) => {
    const res = await asStaff(s, s.admin, 'POST', '/api/v1/sla/escalation-rules', rule);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };

  it('fires each rule once: reassigns to the next tier and raises the priority, however often the job runs', async () => {
    await addRule({
      name: 'Raise late first responses',
      trigger: 'first_response_breach',
      priorities: ['p3', 'p4'],
      action: { raisePriority: true },
    });
    await addRule({
      name: 'Tier 2 takes breaches',
      trigger: 'resolution_breach',
      action: { assignGroup: 'tier2', notify: 'Tier 2 lead paged' },
    });
    await addRule({
      name: 'Only for p1',
      trigger: 'first_response_breach',
      priorities: ['p1'],
      action: { notify: 'never for p3' },
    });
    await addRule({ name: 'Disabled', trigger: 'first_response_breach', action: { notify: 'off' }, enabled: false });
    const id = await insertTicket(s, { priority: 'p3', assigneeId: s.tech.id, group: 'tier1' }); // first response due 13:00, resolution Wed 17:00

    setClock(s, '2026-03-02T13:00:00Z');
    expect(await evaluateSla(s.ctx)).toBe(1);
    expect(await evaluateSla(s.ctx)).toBe(0);
    let row = await ticketRow(s, id);
    // Raised, but the due times stay: a raise must not breach the ticket retroactively.
    expect(row).toMatchObject({
      priority: 'p2',
      escalation_level: 1,
      assignee_id: s.tech.id,
      group_name: 'tier1',
      sla_state: 'breached',
    });
    expect(row.resolution_due_at).toBe(at('2026-03-04T17:00:00Z'));

    // Still unanswered when the resolution target passes: its own rule fires too.
    setClock(s, '2026-03-04T17:00:00Z');
    expect(await evaluateSla(s.ctx)).toBe(1);
    expect(await evaluateSla(s.ctx)).toBe(0);
    row = await ticketRow(s, id);
    expect(row).toMatchObject({ escalation_level: 2, assignee_id: null, group_name: 'tier2', priority: 'p2' });
    const escalations = await eventsOf(s, id, ['escalated']);
    expect(escalations.map((e) => e.data)).toEqual([
      {
        rule: 'Raise late first responses',
        ruleId: expect.any(Number),
        trigger: 'first_response_breach',
        level: 1,
        priority: { from: 'p3', to: 'p2' },
      },
      {
        rule: 'Tier 2 takes breaches',
        ruleId: expect.any(Number),
        trigger: 'resolution_breach',
        notify: 'Tier 2 lead paged',
        level: 2,
        group: { from: 'tier1', to: 'tier2' },
        unassigned: s.tech.id,
      },
    ]);
    const api = await asStaff(s, s.tech, 'GET', `/api/v1/tickets/${id}/events`);
    expect(api.statusCode).toBe(200);
    expect(api.json().events.filter((e: { type: string }) => e.type === 'escalated')).toHaveLength(2);
  });

  it('fires warning rules and skips tickets without an SLA', async () => {
    await addRule({ name: 'Heads-up', trigger: 'first_response_warning', action: { notify: 'Answer soon' } });
    const id = await insertTicket(s, { priority: 'p1' });
    const none = await insertTicket(s, { priority: 'p1', sla: false });
    setClock(s, '2026-03-02T09:24:00Z');
    expect(await evaluateSla(s.ctx)).toBe(1);
    expect((await ticketRow(s, id)).escalation_level).toBe(1);
    expect(await ticketRow(s, none)).toMatchObject({ sla_state: 'none', escalation_level: 0 });
  });

  it('a priority change restarts the targets: their rules may fire again for the new due times', async () => {
    await addRule({ name: 'Notify on breach', trigger: 'first_response_breach', action: { notify: 'late' } });
    const id = await insertTicket(s, { priority: 'p1' });
    setClock(s, '2026-03-02T09:31:00Z');
    await evaluateSla(s.ctx);
    expect((await ticketRow(s, id)).escalation_level).toBe(1);
    // p4 gives eight business hours for the first answer: no longer breached.
    const res = await patchTicket(s, s.tech, id, { priority: 'p4' });
    expect(res.json()).toMatchObject({
      priority: 'p4',
      sla: { state: 'ok', firstResponseDueAt: '2026-03-02T17:00:00.000Z' },
    });
    setClock(s, '2026-03-02T17:00:00Z');
    await evaluateSla(s.ctx);
    expect((await ticketRow(s, id)).escalation_level).toBe(2);
  });

  it('escalates exactly once when several server processes evaluate at the same time (PostgreSQL)', async (test) => {
    if (dialect !== 'postgres') {
      test.skip('one SQLite file serves one server process; the multi-process case is PostgreSQL');
      return;
    }
    const { secondProcess } = await import('./multi-process');
    const [b, c] = await Promise.all([secondProcess(s), secondProcess(s)]);
    try {
      await addRule({
        name: 'Tier 2',
        trigger: 'resolution_breach',
        action: { assignGroup: 'tier2', raisePriority: true },
      });
      await addRule({ name: 'Page', trigger: 'first_response_breach', action: { notify: 'page' } });
      const ids = await Promise.all(Array.from({ length: 40 }, () => insertTicket(s, { priority: 'p1' })));
      for (const instant of [
        '2026-03-02T09:24:00Z',
        '2026-03-02T09:30:00Z',
        '2026-03-02T12:12:00Z',
        '2026-03-02T13:00:00Z',
      ]) {
        setClock(s, instant);
        const contexts = [s.ctx, b.ctx, c.ctx];
        const rounds = await Promise.all(Array.from({ length: 12 }, (_, i) => evaluateSla(contexts[i % 3] ?? s.ctx)));
        // Each ticket moves once per instant, whichever process wins.
        expect(
          rounds.reduce((a, n) => a + n, 0),
          instant,
        ).toBe(ids.length);
      }
      for (const id of ids) {
        const row = await ticketRow(s, id);
        expect(row).toMatchObject({ escalation_level: 2, priority: 'p1', group_name: 'tier2', sla_state: 'breached' });
        const triggers = (await eventsOf(s, id, ['sla_triggered'])).map((e) => e.data.trigger);
        expect(triggers).toEqual([
          'first_response_warning',
          'first_response_breach',
          'resolution_warning',
          'resolution_breach',
        ]);
        expect((await eventsOf(s, id, ['escalated'])).map((e) => e.data.rule)).toEqual(['Page', 'Tier 2']);
      }
    } finally {
      await Promise.all([b.close(), c.close()]);
    }
  });
});

describeEachDatabase('SLA policy and escalation rule API', (dialect) => {
  let s: TestServer;
  beforeAll(async () => (s = await createTestServer(dialect)));
  afterAll(() => s?.close());
  beforeEach(() => resetServer(s));

  const p2 = {
    priority: 'p2',
    firstResponseMinutes: 30,
    resolutionMinutes: 240,
    businessHours: { timezone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' },
    warningPercent: 75,
  };
  const auditActions = async () =>
    (
      await s.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('action', 'like', 'sla.%')
        .orderBy('id')
        .execute()
    ).map((r) => r.action);

  it('lets technicians read policies but only administrators change them (audited, used for new tickets at once)', async () => {
    const list = await asStaff(s, s.tech, 'GET', '/api/v1/sla/policies');
    expect(list.statusCode).toBe(200);
    expect(list.json().policies.map((p: { priority: string }) => p.priority)).toEqual(['p1', 'p2', 'p3', 'p4']);
    const denied = await asStaff(s, s.tech, 'PUT', '/api/v1/sla/policies', p2);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('admin_only');
    expect((await s.inject({ method: 'GET', url: '/api/v1/sla/policies' })).statusCode).toBe(401);

    const put = await asStaff(s, s.admin, 'PUT', '/api/v1/sla/policies', p2);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({
      priority: 'p2',
      firstResponseMinutes: 30,
      resolutionMinutes: 240,
      warningPercent: 75,
      businessHours: { timezone: 'Europe/Berlin', holidays: [] },
    });
    // 09:00 UTC is 10:00 in Berlin: 30 business minutes later.
    expect((await computeSla(s.ctx, 'p2', s.clock.now)).firstResponseDueAt).toBe(at('2026-03-02T09:30:00Z'));
    const around = await asStaff(s, s.admin, 'PUT', '/api/v1/sla/policies', { ...p2, businessHours: null });
    expect(around.json().businessHours).toBeNull();
    expect(await auditActions()).toEqual(['sla.policy.update', 'sla.policy.update']);
  });

  it('rejects invalid policies with 400', async () => {
    const cases: Array<[string, unknown]> = [
      ['resolution before first response', { ...p2, firstResponseMinutes: 300, resolutionMinutes: 60 }],
      ['zero minutes', { ...p2, firstResponseMinutes: 0 }],
      ['negative minutes', { ...p2, resolutionMinutes: -5 }],
      ['fractional minutes', { ...p2, firstResponseMinutes: 1.5 }],
      ['minutes as a string', { ...p2, firstResponseMinutes: '30' }],
      ['unknown priority', { ...p2, priority: 'p9' }],
      ['unknown time zone', { ...p2, businessHours: { ...p2.businessHours, timezone: 'Mars/Olympus' } }],
      ['end before start', { ...p2, businessHours: { ...p2.businessHours, start: '18:00', end: '08:00' } }],
      ['no days', { ...p2, businessHours: { ...p2.businessHours, days: [] } }],
      ['day 8', { ...p2, businessHours: { ...p2.businessHours, days: [8] } }],
      ['bad holiday', { ...p2, businessHours: { ...p2.businessHours, holidays: ['2026-02-30'] } }],
      ['warning 100 %', { ...p2, warningPercent: 100 }],
      ['missing businessHours', { ...p2, businessHours: undefined }],
      ['unknown field', { ...p2, extra: true }],
    ];
    for (const [name, body] of cases) {
      const res = await asStaff(s, s.admin, 'PUT', '/api/v1/sla/policies', body);
      expect(res.statusCode, name).toBe(400);
      expect(res.json().error.code, name).toBe('invalid_request');
    }
    expect(await auditActions()).toEqual([]);
  });

  it('creates, lists, changes and deletes escalation rules (admin only, audited)', async () => {
    const rule = {
      name: 'Tier 2',
      trigger: 'resolution_breach',
      priorities: ['p1', 'p2'],
      action: { assignGroup: 'tier2' },
    };
    expect((await asStaff(s, s.tech, 'POST', '/api/v1/sla/escalation-rules', rule)).statusCode).toBe(403);
    const created = await asStaff(s, s.admin, 'POST', '/api/v1/sla/escalation-rules', rule);
    expect(created.statusCode).toBe(201);
    const id = created.json().id as number;
    expect(created.json()).toMatchObject({ ...rule, enabled: true, createdAt: MONDAY_9 });
    expect((await asStaff(s, s.tech, 'GET', '/api/v1/sla/escalation-rules')).json().rules).toHaveLength(1);
    expect(
      (await asStaff(s, s.tech, 'PATCH', `/api/v1/sla/escalation-rules/${id}`, { enabled: false })).statusCode,
    ).toBe(403);
    const patched = await asStaff(s, s.admin, 'PATCH', `/api/v1/sla/escalation-rules/${id}`, {
      enabled: false,
      action: { raisePriority: true, notify: 'Raised' },
    });
    expect(patched.json()).toMatchObject({
      enabled: false,
      action: { raisePriority: true, notify: 'Raised' },
      priorities: ['p1', 'p2'],
    });
    expect((await asStaff(s, s.tech, 'DELETE', `/api/v1/sla/escalation-rules/${id}`)).statusCode).toBe(403);
    expect((await asStaff(s, s.admin, 'DELETE', `/api/v1/sla/escalation-rules/${id}`)).statusCode).toBe(204);
    for (const method of ['PATCH', 'DELETE'] as const) {
      const gone = await asStaff(
        s,
        s.admin,
        method,
        `/api/v1/sla/escalation-rules/${id}`,
        method === 'PATCH' ? { enabled: true } : undefined,
      );
      expect(gone.statusCode, method).toBe(404);
      expect(gone.json().error.code).toBe('escalation_rule_not_found');
    }
    expect(await auditActions()).toEqual(['sla.rule.create', 'sla.rule.update', 'sla.rule.delete']);
  });

  it('rejects invalid rules with 400', async () => {
    const base = { name: 'R', trigger: 'first_response_breach', action: { notify: 'x' } };
    const cases: Array<[string, string, string, unknown]> = [
      ['no action', 'POST', '/api/v1/sla/escalation-rules', { ...base, action: {} }],
      [
        'raisePriority false only',
        'POST',
        '/api/v1/sla/escalation-rules',
        { ...base, action: { raisePriority: false } },
      ],
      ['unknown trigger', 'POST', '/api/v1/sla/escalation-rules', { ...base, trigger: 'whenever' }],
      ['unknown priority', 'POST', '/api/v1/sla/escalation-rules', { ...base, priorities: ['p0'] }],
      ['repeated priority', 'POST', '/api/v1/sla/escalation-rules', { ...base, priorities: ['p1', 'p1'] }],
      ['empty name', 'POST', '/api/v1/sla/escalation-rules', { ...base, name: '  ' }],
      ['group as a number', 'POST', '/api/v1/sla/escalation-rules', { ...base, action: { assignGroup: 2 } }],
      ['unknown action', 'POST', '/api/v1/sla/escalation-rules', { ...base, action: { email: 'boss@example.com' } }],
      ['empty patch', 'PATCH', '/api/v1/sla/escalation-rules/1', {}],
      ['bad id', 'PATCH', '/api/v1/sla/escalation-rules/abc', { enabled: true }],
      ['bad id on delete', 'DELETE', '/api/v1/sla/escalation-rules/-1', undefined],
    ];
    for (const [name, method, url, body] of cases) {
      const res = await asStaff(s, s.admin, method as 'POST', url, body);
      expect(res.statusCode, name).toBe(400);
      expect(res.json().error.code, name).toBe('invalid_request');
    }
  });
});
