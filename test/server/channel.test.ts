import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { ServerEvent } from '../../src/server/events/event-bus';
import { CHANNEL_MAX_FRAME_BYTES, CLOSE } from '../../src/shared/channel/channel-limits';
import { openPeer, type TestPeer } from './channel-client';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';
import { fileTicket, latestMessageId, postMessage } from './ticket-helpers';

/*
 * The live channel over a real socket: the server listening on 127.0.0.1, raw WebSocket peers speaking the
 * protocol of src/shared/channel/messages.ts (and breaking it on purpose).
 */
describeEachDatabase('live channel', (dialect) => {
  let s: TestServer;
  let url: string;
  const peers: TestPeer[] = [];

  beforeAll(async () => {
    s = await createTestServer(
      dialect,
      {},
      { channel: { helloTimeoutMs: 300, pingIntervalMs: 100, sweepMs: 50, idleTimeoutMs: 1000 } },
    );
    url = await s.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    for (const p of peers) p.ws.terminate();
    await s?.close();
  });

  const connect = async (device: EnrolledDevice, cursor = 0) => {
    const peer = await openPeer(url, device.token);
    peers.push(peer);
    peer.send({ type: 'hello', cursor, agentVersion: '0.1.0' });
    await peer.next('welcome');
    return peer;
  };
  const latest = () => latestMessageId(s);
  const reply = async (ticketId: number, body: string, internal = false) => {
    const res = await postMessage(s, s.tech, ticketId, { body, internal });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: number }>().id;
  };

  it('sends what the agent missed after hello, then each reply the moment it is posted, and records delivery on ack', async () => {
    const device = await s.enroll();
    const ticketId = await fileTicket(s, device);
    const cursor = await latest();
    const missed = await reply(ticketId, 'While you were away');
    const peer = await connect(device, cursor);
    const backlog = await peer.next('messages');
    expect(backlog.messages.map((m) => m.body)).toEqual(['While you were away']);
    expect(backlog.cursor).toBe(missed);

    await reply(ticketId, 'A note for staff only', true);
    const live = await reply(ticketId, 'Try restarting the VPN client');
    const pushed = await peer.next('messages');
    expect(pushed.messages.map((m) => m.body)).toEqual(['Try restarting the VPN client']);
    expect(pushed.cursor).toBe(live);

    peer.send({ type: 'ack', cursor: live });
    await expect
      .poll(async () =>
        (
          await s.db.kysely
            .selectFrom('messages')
            .select(['id', 'delivered_at'])
            .where('ticket_id', '=', ticketId)
            .execute()
        )
          .filter((m) => m.id >= missed && m.delivered_at !== null)
          .map((m) => m.id),
      )
      .toEqual([missed, live]);
    peer.send({ type: 'read', ticketId, messageId: live });
    await expect
      .poll(
        async () =>
          (await s.db.kysely.selectFrom('messages').select('read_at').where('id', '=', live).executeTakeFirst())
            ?.read_at,
      )
      .not.toBeNull();
  });

  it('resumes from the cursor after a reconnect: nothing lost, nothing twice', async () => {
    const device = await s.enroll();
    const ticketId = await fileTicket(s, device);
    const first = await connect(device, await latest());
    const one = await reply(ticketId, 'one');
    expect((await first.next('messages')).cursor).toBe(one);
    first.ws.close();
    await first.closed;
    const two = await reply(ticketId, 'two');
    const three = await reply(ticketId, 'three');
    const second = await connect(device, one);
    const resumed = await second.next('messages');
    expect(resumed.messages.map((m) => m.id)).toEqual([two, three]);
    const four = await reply(ticketId, 'four');
    expect((await second.next('messages')).messages.map((m) => m.id)).toEqual([four]);
    const ids = second.received.flatMap((m) => (m.type === 'messages' ? m.messages.map((x) => x.id) : []));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('tells the agent when a technician changes the ticket (ticket.changed), without a message', async () => {
    const device = await s.enroll();
    const ticketId = await fileTicket(s, device);
    const peer = await connect(device, await latest());
    const res = await s.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticketId}`,
      headers: s.tech.headers,
      payload: { status: 'pending' },
    });
    expect(res.statusCode).toBe(200);
    expect(await peer.next('ticket.changed')).toEqual({ type: 'ticket.changed', ticketId });
    expect(peer.received.filter((m) => m.type === 'messages')).toEqual([]);
  });

  it('pushes content.changed when an announcement is published, to every connected agent', async () => {
    const [a, b] = [await connect(await s.enroll()), await connect(await s.enroll())];
    const res = await s.inject({
      method: 'POST',
      url: '/api/v1/announcements',
      headers: s.admin.headers,
      payload: { title: 'Wi-Fi maintenance', body: 'Tonight 22:00', severity: 'info' },
    });
    expect(res.statusCode).toBe(201);
    expect(await a.next('content.changed')).toMatchObject({ kind: 'announcements' });
    expect(await b.next('content.changed')).toMatchObject({ kind: 'announcements' });
  });

  it('pings, and closes a connection that stays silent (4003)', async () => {
    const peer = await connect(await s.enroll());
    const ping = await peer.next('ping');
    peer.send({ type: 'pong', t: ping.t });
    // From here the peer answers nothing: the server gives up after idleTimeoutMs.
    peer.ws.removeAllListeners('ping');
    expect((await peer.closed).code).toBe(CLOSE.timeout);
  });

  it('refuses an upgrade without a valid token (401), without the subprotocol (400); a plain GET gets 426', async () => {
    await expect(openPeer(url, null)).rejects.toMatchObject({ status: 401 });
    await expect(openPeer(url, 'x'.repeat(40))).rejects.toMatchObject({ status: 401 });
    const device = await s.enroll();
    await expect(openPeer(url, device.token, { protocols: ['other'] })).rejects.toMatchObject({ status: 400 });
    const plain = await s.inject({ method: 'GET', url: '/api/v1/device/channel', headers: device.headers });
    expect(plain.statusCode).toBe(426);
  });

  it.each([
    ['not JSON', (p: TestPeer) => p.sendRaw('{nope'), CLOSE.protocolError],
    ['an unknown type', (p: TestPeer) => p.sendRaw(JSON.stringify({ type: 'launch', x: 1 })), CLOSE.unknownType],
    [
      'a field of the wrong type',
      (p: TestPeer) => p.sendRaw(JSON.stringify({ type: 'ack', cursor: 'all' })),
      CLOSE.protocolError,
    ],
    ['an oversized frame', (p: TestPeer) => p.sendRaw('x'.repeat(CHANNEL_MAX_FRAME_BYTES + 1)), CLOSE.tooBig],
    ['a binary frame', (p: TestPeer) => p.sendRaw(Buffer.from([1, 2, 3])), CLOSE.protocolError],
    [
      'a flood',
      (p: TestPeer) => {
        for (let i = 0; i < 200; i++) p.send({ type: 'pong', t: i });
      },
      CLOSE.policyViolation,
    ],
  ])('closes a connection that sends %s, and only that one', async (_what, misbehave, code) => {
    const bystander = await s.enroll();
    const ticketId = await fileTicket(s, bystander);
    const good = await connect(bystander, await latest());
    const bad = await connect(await s.enroll());
    misbehave(bad);
    expect((await bad.closed).code).toBe(code);
    await reply(ticketId, 'still here');
    expect((await good.next('messages')).messages.map((m) => m.body)).toEqual(['still here']);
  });

  it('refuses a hello whose text carries a NUL (1002)', async () => {
    const peer = await openPeer(url, (await s.enroll()).token);
    peers.push(peer);
    peer.sendRaw(JSON.stringify({ type: 'hello', cursor: 0, agentVersion: 'a\u0000b' }));
    expect(await peer.closed).toMatchObject({
      code: CLOSE.protocolError,
      reason: expect.stringContaining('agentVersion'),
    });
  });

  it('closes a connection whose first frame is not hello (1008), or that sends none in time (4003)', async () => {
    const device = await s.enroll();
    const early = await openPeer(url, device.token);
    peers.push(early);
    early.send({ type: 'ack', cursor: 1 });
    expect((await early.closed).code).toBe(CLOSE.policyViolation);
    const silent = await openPeer(url, device.token);
    peers.push(silent);
    expect((await silent.closed).code).toBe(CLOSE.timeout);
  });

  it('keeps the newest connection of a device (4004 to the older) and ends it when the token is revoked (4001)', async () => {
    const device = await s.enroll();
    const older = await connect(device);
    const newer = await connect(device);
    expect((await older.closed).code).toBe(CLOSE.replaced);
    const res = await s.inject({
      method: 'POST',
      url: `/api/v1/devices/${device.id}/revoke`,
      headers: s.admin.headers,
    });
    expect(res.statusCode).toBeLessThan(300);
    expect((await newer.closed).code).toBe(CLOSE.unauthorized);
    await expect(openPeer(url, device.token)).rejects.toMatchObject({ status: 401 });
  });

  it.runIf(dialect === 'postgres')(
    'pushes a reply posted through another server process within a second (LISTEN/NOTIFY)',
    async () => {
      const { secondProcess } = await import('./multi-process');
      const b = await secondProcess(s);
      try {
        const device = await s.enroll();
        const ticketId = await fileTicket(s, device);
        const peer = await connect(device, await latest());
        for (let round = 0; round < 3; round++) {
          const started = performance.now();
          const res = await b.inject({
            method: 'POST',
            url: `/api/v1/tickets/${ticketId}/messages`,
            headers: s.tech.headers,
            payload: { body: `From process B (${round})` },
          });
          expect(res.statusCode).toBe(201);
          expect((await peer.next('messages')).messages.map((m) => m.body)).toEqual([`From process B (${round})`]);
          expect(performance.now() - started).toBeLessThan(1000);
        }
      } finally {
        await b.close();
      }
    },
  );

  it('writes every connected device as seen in one batch', async () => {
    const devices = [await s.enroll(), await s.enroll(), await s.enroll()];
    for (const d of devices) await connect(d);
    await s.db.kysely
      .updateTable('devices')
      .set({ last_seen_at: 1 })
      .where(
        'id',
        'in',
        devices.map((d) => d.id),
      )
      .execute();
    await s.channel.flushSeen();
    const rows = await s.db.kysely
      .selectFrom('devices')
      .select('last_seen_at')
      .where(
        'id',
        'in',
        devices.map((d) => d.id),
      )
      .execute();
    expect(rows.map((r) => r.last_seen_at)).toEqual(devices.map(() => s.clock.now));
  });
  it('shows a device online the moment it says hello, offline the moment it leaves; the consoles hear both', async () => {
    const device = await s.enroll();
    const other = await s.enroll();
    for (const d of [device, other])
      await s.db.kysely
        .updateTable('devices')
        .set({ last_seen_at: s.clock.now - 10 * 60_000 })
        .where('id', '=', d.id)
        .execute();
    const online = async () =>
      (await s.inject({ method: 'GET', url: `/api/v1/devices/${device.id}`, headers: s.tech.headers })).json<{
        online: boolean;
      }>().online;
    const listed = async (filter: 'true' | 'false') =>
      (await s.inject({ method: 'GET', url: `/api/v1/devices?online=${filter}&limit=100`, headers: s.tech.headers }))
        .json<{ devices: { id: string }[] }>()
        .devices.some((d) => d.id === device.id);
    const heard: ServerEvent[] = [];
    const unsubscribe = s.ctx.bus.subscribe((event) => heard.push(event));
    const announced = () =>
      vi.waitFor(() => expect(heard.some((e) => e.kind === 'devices' && e.deviceIds?.includes(device.id))).toBe(true));
    try {
      expect(await online()).toBe(false);
      const first = await connect(device);
      await s.channel.flushPresence();
      expect(await online()).toBe(true);
      expect([await listed('true'), await listed('false')]).toEqual([true, false]);
      await announced();

      // A newer connection of the same device replaces the older: not a leave.
      heard.length = 0;
      const peer = await connect(device);
      expect((await first.closed).code).toBe(CLOSE.replaced);
      await s.channel.flushPresence();
      expect(await online()).toBe(true);

      // The agent closes its socket: offline at the next flush, well inside the online window.
      heard.length = 0;
      peer.ws.close(1000, 'agent stopping');
      await vi.waitFor(async () => {
        await s.channel.flushPresence();
        expect(await online()).toBe(false);
      });
      expect([await listed('true'), await listed('false')]).toEqual([false, true]);
      await announced();
      // What it was heard saying before it left is not written later as a sighting that brings it back.
      await s.channel.flushSeen();
      expect(await online()).toBe(false);
      const fleet = await s.inject({
        method: 'GET',
        url: '/api/v1/fleet/devices?online=true&limit=100',
        headers: s.tech.headers,
      });
      expect(fleet.json<{ devices: { id: string }[] }>().devices.map((d) => d.id)).not.toContain(device.id);

      // Back: online again at once (same instant on this test clock).
      await connect(device);
      await s.channel.flushPresence();
      expect(await online()).toBe(true);
      expect(heard.every((e) => e.kind !== 'devices' || !e.deviceIds?.includes(other.id))).toBe(true);
    } finally {
      unsubscribe();
    }
  });
});

describeEachDatabase('live channel admission control', (dialect) => {
  let s: TestServer;
  let url: string;
  beforeAll(async () => {
    s = await createTestServer(dialect, {}, { channel: { admitBurst: 2, admitPerSecond: 0.001 } });
    url = await s.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => s?.close());

  it('closes upgrades past the burst at once with 1013 and the delay to wait, before looking at the token', async () => {
    const device = await s.enroll();
    const admitted = [await openPeer(url, device.token), await openPeer(url, device.token)];
    // No token at all: refused for load first, so the database is not asked.
    const refused = await openPeer(url, null);
    const closed = await refused.closed;
    expect(closed.code).toBe(CLOSE.tryAgainLater);
    expect(Number(closed.reason)).toBeGreaterThanOrEqual(2000);
    expect(Number(closed.reason)).toBeLessThanOrEqual(20_000);
    for (const p of admitted) p.ws.terminate();
  });
});
