import { expect, it } from 'vitest';
import { describeEachDatabase, withTwoDevices, type EnrolledDevice, type TestServer } from './harness';
import { fileTicket, postMessage, setStatus } from './ticket-helpers';

describeEachDatabase('ticket conversation', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  let other: EnrolledDevice;
  withTwoDevices(dialect, (suite) => ({ s, device, other } = suite));

  const ticketRow = (id: number) =>
    s.db.kysely.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const messages = (id: number, headers: Record<string, string>, after?: number | string) =>
    s.inject({
      method: 'GET',
      url: `/api/v1/tickets/${id}/messages${after === undefined ? '' : `?after=${after}`}`,
      headers,
    });

  it('a staff reply is the first response: it opens the ticket and the device reads it', async () => {
    const id = await fileTicket(s, device);
    s.clock.advance(60_000);
    const reply = await postMessage(s, s.tech, id, { body: 'Can you **restart** Outlook?' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({
      ticketId: id,
      author: { type: 'staff', name: 'technician 2' },
      internal: false,
      attachments: [],
    });
    const row = await ticketRow(id);
    expect(row).toMatchObject({
      status: 'open',
      first_response_at: s.clock.now,
      last_message_at: s.clock.now,
      last_staff_message_id: reply.json().id,
    });

    s.clock.advance(60_000);
    await postMessage(s, s.tech, id, { body: 'Any luck?' });
    expect((await ticketRow(id)).first_response_at).toBe(s.clock.now - 60_000);

    const read = await messages(id, device.headers);
    expect(read.statusCode).toBe(200);
    expect(read.json().messages.map((m: { body: string }) => m.body)).toEqual([
      'Can you **restart** Outlook?',
      'Any luck?',
    ]);
    const events = await s.db.kysely
      .selectFrom('ticket_events')
      .select(['type', 'data'])
      .where('ticket_id', '=', id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type)).toEqual([
      'created',
      'message_posted',
      'first_response',
      'status_changed',
      'message_posted',
    ]);
    expect(JSON.parse(events[3]?.data ?? '{}')).toEqual({ from: 'new', to: 'open' });
  });

  it('keeps internal notes from the device in messages, and changes nothing it can see', async () => {
    const id = await fileTicket(s, device);
    const before = await ticketRow(id);
    s.clock.advance(1000);
    const note = await postMessage(s, s.tech, id, { body: 'User is on the VPN, check the proxy', internal: true });
    expect(note.statusCode).toBe(201);
    expect(note.json().internal).toBe(true);
    const after = await ticketRow(id);
    expect(after).toMatchObject({
      status: 'new',
      first_response_at: null,
      last_message_at: before.last_message_at,
      updated_at: before.updated_at,
      last_staff_message_id: null,
    });
    expect((await messages(id, device.headers)).json()).toEqual({ messages: [], cursor: 0 });
    const staffView = await messages(id, s.tech.headers);
    expect(staffView.json().messages).toHaveLength(1);
    expect(staffView.json().messages[0]).toMatchObject({ internal: true, body: 'User is on the VPN, check the proxy' });
  });

  it('a device reply reopens a pending or resolved ticket and keeps an open one open', async () => {
    const id = await fileTicket(s, device, { requester: { name: 'Dana Whitfield', email: null } });
    for (const status of ['pending', 'resolved'] as const) {
      await setStatus(s, id, status);
      const res = await postMessage(s, device, id, { body: `Still broken (${status})` });
      expect(res.statusCode).toBe(201);
      expect(res.json().author).toEqual({ type: 'device', name: 'Dana Whitfield' });
      expect((await ticketRow(id)).status).toBe('open');
    }
    const open = await postMessage(s, device, id, { body: 'Hello?' });
    expect(open.statusCode).toBe(201);
    expect((await ticketRow(id)).status).toBe('open');
    // A device reply is not a first response.
    expect((await ticketRow(id)).first_response_at).toBeNull();
  });

  it('pages with cursors: after, at most 200, cursor echoes when empty', async () => {
    const id = await fileTicket(s, device);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await postMessage(s, s.tech, id, { body: `m${i}` })).json().id);
    const all = (await messages(id, device.headers)).json();
    expect(all.messages.map((m: { id: number }) => m.id)).toEqual(ids);
    expect(all.cursor).toBe(ids[4]);
    const tail = (await messages(id, device.headers, ids[2])).json();
    expect(tail.messages.map((m: { id: number }) => m.id)).toEqual(ids.slice(3));
    expect((await messages(id, device.headers, ids[4])).json()).toEqual({ messages: [], cursor: ids[4] });

    const bulk = Array.from({ length: 230 }, (_, i) => ({
      ticket_id: id,
      author_type: 'staff' as const,
      author_id: '1',
      author_name: 'Bulk',
      body: `bulk ${i}`,
      internal: 0,
      created_at: s.clock.now,
    }));
    await s.db.kysely.insertInto('messages').values(bulk).execute();
    const page1 = (await messages(id, device.headers, ids[4])).json();
    expect(page1.messages).toHaveLength(200);
    const page2 = (await messages(id, device.headers, page1.cursor)).json();
    expect(page2.messages).toHaveLength(30);
  });

  it('refuses messages on closed tickets with 409, and internal notes from devices with 403', async () => {
    const id = await fileTicket(s, device);
    const internal = await postMessage(s, device, id, { body: 'psst', internal: true });
    expect(internal.statusCode).toBe(403);
    expect(internal.json().error.code).toBe('internal_not_allowed');
    await setStatus(s, id, 'closed', s.clock.now);
    for (const who of [device, s.tech]) {
      const res = await postMessage(s, who, id, { body: 'Too late' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('ticket_closed');
    }
  });

  it("hides other devices' tickets behind 404 for reading and writing", async () => {
    const id = await fileTicket(s, other);
    for (const res of [await messages(id, device.headers), await postMessage(s, device, id, { body: 'Not mine' })]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('ticket_not_found');
    }
    expect((await messages(987_654, s.tech.headers)).statusCode).toBe(404);
    expect((await postMessage(s, s.tech, 987_654, { body: 'x' })).statusCode).toBe(404);
  });

  it('answers 400 for bad cursors, ids and bodies', async () => {
    const id = await fileTicket(s, device);
    for (const after of ['abc', '-1', '1.5', '1e20', '99999999999999999999']) {
      const res = await messages(id, device.headers, after);
      expect(res.statusCode, after).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
    for (const bad of ['abc', '-1', '1e20']) {
      expect((await messages(bad as unknown as number, device.headers)).statusCode, bad).toBe(400);
      expect(
        (
          await s.inject({
            method: 'POST',
            url: `/api/v1/tickets/${bad}/messages`,
            headers: device.headers,
            payload: { body: 'x' },
          })
        ).statusCode,
      ).toBe(400);
    }
    const bodies: unknown[] = [
      {},
      { body: '' },
      { body: '   ' },
      { body: 42 },
      { body: 'x', internal: 'yes' },
      { body: 'x'.repeat(20_001) },
      { body: 'x', attachments: [{ kind: 'video' }] },
    ];
    for (const payload of bodies) {
      const res = await postMessage(s, device, id, payload as Record<string, unknown>);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
  });

  it('requires a device token or a staff session, and CSRF for staff writes', async () => {
    const id = await fileTicket(s, device);
    expect((await s.inject({ method: 'GET', url: `/api/v1/tickets/${id}/messages` })).statusCode).toBe(401);
    expect(
      (await s.inject({ method: 'POST', url: `/api/v1/tickets/${id}/messages`, payload: { body: 'x' } })).statusCode,
    ).toBe(401);
    const badToken = await s.inject({
      method: 'GET',
      url: `/api/v1/tickets/${id}/messages`,
      headers: { authorization: 'Bearer nope' },
    });
    expect(badToken.statusCode).toBe(401);
    const noCsrf = await s.inject({
      method: 'POST',
      url: `/api/v1/tickets/${id}/messages`,
      headers: { cookie: s.tech.headers.cookie ?? '' },
      payload: { body: 'x' },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf_failed');
  });
});
