import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { invalidateSlaPolicies } from '../../src/server/sla/sla.service';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';
import { asStaff, patchTicket, refreshSessions, resetServer, setClock } from './sla-helpers';
import { fileTicket, postMessage } from './ticket-helpers';

// The employee's own actions move SLA clocks exactly as the technician's do.
describeEachDatabase('SLA clocks on device-side status changes', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    device = await s.enroll();
  });
  afterAll(() => s?.close());
  beforeEach(() => resetServer(s));

  const staffView = async (id: number) => (await asStaff(s, s.tech, 'GET', `/api/v1/tickets/${id}`)).json();

  it('an employee reply to a pending ticket resumes the resolution clock with the time that was left', async () => {
    const id = await fileTicket(s, device, { urgency: 'high', impact: 'medium' }); // p2: first response 10:00, resolution 17:00
    expect((await staffView(id)).sla).toMatchObject({ resolutionDueAt: '2026-03-02T17:00:00.000Z', state: 'ok' });
    setClock(s, '2026-03-02T09:10:00Z');
    await refreshSessions(s);
    expect(
      (await postMessage(s, s.tech, id, { body: 'Can you restart Outlook and tell me if it still asks?' })).statusCode,
    ).toBe(201);
    setClock(s, '2026-03-02T10:00:00Z');
    expect((await patchTicket(s, s.tech, id, { status: 'pending' })).statusCode).toBe(200);
    setClock(s, '2026-03-03T10:00:00Z'); // a day waiting for the employee
    expect((await postMessage(s, device, id, { body: 'Still asking after a restart.' })).statusCode).toBe(201);
    const after = await staffView(id);
    // Seven business hours were left when it paused at 10:00 on Monday.
    expect(after).toMatchObject({ status: 'open', sla: { state: 'ok', resolutionDueAt: '2026-03-03T17:00:00.000Z' } });
  });

  it('does not deadlock when the policy cache is cold during a status change (SQLite has one connection)', async () => {
    const id = await fileTicket(s, device, { urgency: 'high', impact: 'medium' });
    await refreshSessions(s);
    expect((await patchTicket(s, s.tech, id, { status: 'pending' })).statusCode).toBe(200);
    // Each status change below must load policies outside its transaction, or it waits for itself.
    invalidateSlaPolicies(s.db);
    expect((await postMessage(s, device, id, { body: 'Back to you.' })).statusCode).toBe(201);
    invalidateSlaPolicies(s.db);
    expect(
      (await s.inject({ method: 'POST', url: `/api/v1/tickets/${id}/solve`, headers: device.headers })).statusCode,
    ).toBe(200);
    invalidateSlaPolicies(s.db);
    expect(
      (await s.inject({ method: 'POST', url: `/api/v1/tickets/${id}/reopen`, headers: device.headers })).statusCode,
    ).toBe(200);
    invalidateSlaPolicies(s.db);
    await refreshSessions(s);
    expect((await patchTicket(s, s.tech, id, { urgency: 'low', impact: 'low' })).statusCode).toBe(200);
  }, 10_000);

  it('an employee solving the ticket settles the SLA result at once', async () => {
    const id = await fileTicket(s, device, { urgency: 'high', impact: 'medium' });
    setClock(s, '2026-03-02T09:20:00Z');
    await refreshSessions(s);
    await postMessage(s, s.tech, id, { body: 'Fixed on our side, please check.' });
    setClock(s, '2026-03-02T11:00:00Z');
    const solved = await s.inject({ method: 'POST', url: `/api/v1/tickets/${id}/solve`, headers: device.headers });
    expect(solved.statusCode).toBe(200);
    expect((await staffView(id)).sla.state).toBe('met');
  });
});
