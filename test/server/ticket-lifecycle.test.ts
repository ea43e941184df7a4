import { expect, it } from 'vitest';
import { describeEachDatabase, withTwoDevices, type EnrolledDevice, type TestServer } from './harness';
import { fileTicket, setStatus } from './ticket-helpers';

const DAY = 24 * 3_600_000;

describeEachDatabase('ticket solve, reopen and rating', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  let other: EnrolledDevice;
  withTwoDevices(dialect, (suite) => ({ s, device, other } = suite));

  const act = (
    id: number | string,
    action: 'solve' | 'reopen' | 'rating',
    payload?: Record<string, unknown>,
    who: EnrolledDevice = device,
  ) =>
    s.inject({
      method: 'POST',
      url: `/api/v1/tickets/${id}/${action}`,
      headers: who.headers,
      ...(payload ? { payload } : {}),
    });
  const ticketRow = (id: number) =>
    s.db.kysely.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const eventsOf = async (id: number) =>
    (
      await s.db.kysely
        .selectFrom('ticket_events')
        .select(['type', 'actor_type', 'data'])
        .where('ticket_id', '=', id)
        .orderBy('id')
        .execute()
    ).slice(1);

  it('solves an open ticket: resolved now, event recorded, solving again is a no-op', async () => {
    const id = await fileTicket(s, device);
    await setStatus(s, id, 'open');
    const res = await act(id, 'solve');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, status: 'resolved', resolvedAt: new Date(s.clock.now).toISOString() });
    expect(await eventsOf(id)).toEqual([
      {
        type: 'status_changed',
        actor_type: 'device',
        data: JSON.stringify({ from: 'open', to: 'resolved', reason: 'solved_by_requester' }),
      },
    ]);
    s.clock.advance(1000);
    const again = await act(id, 'solve');
    expect(again.statusCode).toBe(200);
    expect(again.json().resolvedAt).toBe(res.json().resolvedAt);
    expect(await eventsOf(id)).toHaveLength(1);
  });

  it('refuses to solve a closed ticket', async () => {
    const id = await fileTicket(s, device);
    await setStatus(s, id, 'closed', s.clock.now);
    const res = await act(id, 'solve');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('ticket_closed');
  });

  it('reopens a resolved ticket, and a closed one only within 14 days', async () => {
    const resolved = await fileTicket(s, device);
    await act(resolved, 'solve');
    const res = await act(resolved, 'reopen');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'open', resolvedAt: null });
    expect(await eventsOf(resolved)).toHaveLength(2);

    const recent = await fileTicket(s, device);
    await setStatus(s, recent, 'closed', s.clock.now - 13 * DAY);
    expect((await act(recent, 'reopen')).statusCode).toBe(200);
    expect(await ticketRow(recent)).toMatchObject({ status: 'open', closed_at: null });

    const old = await fileTicket(s, device);
    await setStatus(s, old, 'closed', s.clock.now - 15 * DAY);
    const tooOld = await act(old, 'reopen');
    expect(tooOld.statusCode).toBe(409);
    expect(tooOld.json().error.code).toBe('reopen_window_passed');

    const open = await fileTicket(s, device);
    const notResolved = await act(open, 'reopen');
    expect(notResolved.statusCode).toBe(409);
    expect(notResolved.json().error.code).toBe('not_resolved');
  });

  it('rates resolved and closed tickets only, and a new rating replaces the old', async () => {
    const id = await fileTicket(s, device);
    const early = await act(id, 'rating', { satisfaction: 5 });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('not_resolved');
    await act(id, 'solve');
    const rated = await act(id, 'rating', { satisfaction: 4, comment: '  Quick and friendly  ' });
    expect(rated.statusCode).toBe(200);
    expect(rated.json().satisfaction).toBe(4);
    expect(await ticketRow(id)).toMatchObject({ satisfaction: 4, satisfaction_comment: 'Quick and friendly' });
    await setStatus(s, id, 'closed', s.clock.now);
    expect((await act(id, 'rating', { satisfaction: 2 })).statusCode).toBe(200);
    expect(await ticketRow(id)).toMatchObject({ satisfaction: 2, satisfaction_comment: null });
    expect((await eventsOf(id)).filter((e) => e.type === 'rated')).toHaveLength(2);
  });

  it('refuses bad ratings', async () => {
    const id = await fileTicket(s, device);
    await act(id, 'solve');
    for (const payload of [
      {},
      { satisfaction: 0 },
      { satisfaction: 6 },
      { satisfaction: 3.5 },
      { satisfaction: '5' },
      { satisfaction: 5, comment: 'x'.repeat(2001) },
    ]) {
      const res = await act(id, 'rating', payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
    const noBody = await s.inject({ method: 'POST', url: `/api/v1/tickets/${id}/rating`, headers: device.headers });
    expect(noBody.statusCode).toBe(400);
  });

  it("answers 404 for other devices' and unknown tickets, 400 for bad ids", async () => {
    const theirs = await fileTicket(s, other);
    for (const action of ['solve', 'reopen', 'rating'] as const) {
      const payload = action === 'rating' ? { satisfaction: 5 } : undefined;
      for (const id of [theirs, 987_654]) {
        const res = await act(id, action, payload);
        expect(res.statusCode, `${action} ${id}`).toBe(404);
        expect(res.json().error.code).toBe('ticket_not_found');
      }
      for (const id of ['abc', '-1', '1e20'])
        expect((await act(id, action, payload)).statusCode, `${action} ${id}`).toBe(400);
    }
    expect((await ticketRow(theirs)).status).toBe('new');
  });
});
