import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RemoteSessionDto } from '../../src/shared/api/remote';
import {
  REMOTE_CLOSE,
  REMOTE_TOKEN_PROTOCOL_PREFIX,
  REMOTE_TUNNEL_PROTOCOL,
} from '../../src/shared/remote/remote-limits';
import { openRemoteTunnel, remoteTunnelUrl, type Tunnel } from '../../src/main/services/remote-tunnel';
import { applyRemoteUpdate } from '../../src/server/remote/remote-sessions.service';
import { waitFor } from '../agent/support';
import {
  createTestServer,
  describeEachDatabase,
  type EnrolledDevice,
  type StaffSession,
  type TestServer,
} from './harness';

/*
 * Joining a remote-control session, through the real relay on 127.0.0.1 and the agent's real tunnel code
 * (remote-tunnel.ts) piped to a stand-in VNC server on loopback (each connection greets with its number, so a
 * console can tell a fresh RFB stream from the middle of an old one). The device's answers are applied as the
 * live channel applies them (applyRemoteUpdate), so a test can order them against the tunnels:
 *
 * - the device's tunnel may reach the server a moment before its `accepted` answer is applied (the answer
 *   travels on the live channel, the tunnel on its own connection): it waits for it instead of being refused;
 * - the requester rejoins a running session (a console reload): a fresh one-time token, a fresh VNC connection,
 *   the previous console replaced; another technician, an old or reused token, a stopped session: refused;
 * - nobody comes back within the rejoin wait: the session ends as before.
 */

interface FakeVnc {
  port: number;
  connections: Array<{ socket: Socket; received: Buffer[]; closed: Promise<void> }>;
  close(): Promise<void>;
}

/** A loopback stand-in for the device's VNC server: connection n sends `greeting-n` first. */
async function fakeVnc(): Promise<FakeVnc> {
  const connections: FakeVnc['connections'] = [];
  const server: Server = createServer((socket) => {
    const received: Buffer[] = [];
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    connections.push({ socket, received, closed });
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => {});
    socket.write(`greeting-${connections.length}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A console tunnel as the test sees it: what it received, and how it closed. */
interface ConsoleEnd {
  ws: WebSocket;
  received: Buffer[];
  closed: Promise<{ code: number; reason: string }>;
  opened: Promise<boolean>;
}

describeEachDatabase('remote sessions: joining and rejoining', (dialect) => {
  let s: TestServer;
  let url: string;
  let vnc: FakeVnc;
  let device: EnrolledDevice;
  const tunnels: Tunnel[] = [];

  beforeAll(async () => {
    s = await createTestServer(dialect);
    url = await s.app.listen({ host: '127.0.0.1', port: 0 });
    vnc = await fakeVnc();
    device = await s.enroll();
  });
  afterAll(async () => {
    for (const t of tunnels) t.close('test over');
    await s?.close();
    await vnc?.close();
  });

  const api = async <T>(staff: StaffSession, method: string, path: string) => {
    const res = await s.inject({ method: method as 'GET', url: path, headers: staff.headers });
    return { status: res.statusCode, body: res.json<T & { error?: { code: string; message: string } }>() };
  };
  const session = async (id: string) =>
    (await api<RemoteSessionDto>(s.tech, 'GET', `/api/v1/remote-sessions/${id}`)).body;
  const join = (staff: StaffSession, id: string) =>
    api<RemoteSessionDto>(staff, 'POST', `/api/v1/remote-sessions/${id}/join`);

  /** A technician's request, and the device's one-time tunnel token (in the signed envelope it would receive). */
  async function request(kind: 'control' | 'view' | 'share' = 'control') {
    const res = await s.inject({
      method: 'POST',
      url: `/api/v1/devices/${device.id}/remote-sessions`,
      headers: s.tech.headers,
      payload: { kind, reason: 'Look at the printer settings' },
    });
    expect(res.statusCode).toBe(201);
    const dto = res.json<RemoteSessionDto>();
    const row = await s.db.kysely
      .selectFrom('remote_sessions')
      .select('envelope')
      .where('id', '=', dto.id)
      .executeTakeFirstOrThrow();
    return { dto, tunnelToken: (JSON.parse(row.envelope) as { tunnelToken: string }).tunnelToken };
  }
  const answer = (id: string, status: 'awaiting-consent' | 'accepted' | 'denied') =>
    applyRemoteUpdate(s.ctx, device.id, {
      type: 'remote.update',
      sessionId: id,
      status,
      ...(status === 'awaiting-consent' ? {} : { consent: { by: 'employee' as const } }),
      ...(status === 'accepted' ? { vncPassword: 'abcdefgh' } : {}),
    });
  const deviceTunnel = async (id: string, token: string) => {
    const tunnel = await openRemoteTunnel({
      url: remoteTunnelUrl(url, id)!,
      deviceToken: device.token,
      sessionToken: token,
      vnc: { host: '127.0.0.1', port: vnc.port },
    });
    tunnels.push(tunnel);
    return tunnel;
  };
  const consoleTunnel = (id: string, token: string, staff: StaffSession = s.tech): ConsoleEnd => {
    const ws = new WebSocket(
      `${url.replace('http', 'ws')}/api/v1/remote-sessions/${id}/tunnel`,
      [REMOTE_TUNNEL_PROTOCOL, REMOTE_TOKEN_PROTOCOL_PREFIX + token],
      { headers: { cookie: staff.headers.cookie! } },
    );
    const received: Buffer[] = [];
    ws.on('message', (data: Buffer) => received.push(data));
    ws.on('error', () => {});
    return {
      ws,
      received,
      opened: new Promise((resolve) => (ws.once('open', () => resolve(true)), ws.once('close', () => resolve(false)))),
      closed: new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
    };
  };
  const text = (received: Buffer[]) => Buffer.concat(received).toString();
  /** Whether a promise is still pending once what is queued has run. */
  const pending = async (promise: Promise<unknown>) =>
    Promise.race([promise.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 50))]);

  it("a device's tunnel that arrives before its accepted answer is applied waits for it, and the console joins", async () => {
    const { dto, tunnelToken } = await request();
    await answer(dto.id, 'awaiting-consent');
    const connectionsBefore = vnc.connections.length;
    // The agent opens its tunnel right after sending `accepted` on the live channel; here it wins the race.
    const tunnel = await deviceTunnel(dto.id, tunnelToken);
    // The answer is applied a moment later (the channel's frames are applied in order, after other work).
    await new Promise((r) => setTimeout(r, 300));
    expect(await pending(tunnel.closed)).toBe(true);
    await answer(dto.id, 'accepted');
    await waitFor(
      async () =>
        (
          await s.db.kysely
            .selectFrom('remote_sessions')
            .select('device_joined_at')
            .where('id', '=', dto.id)
            .executeTakeFirstOrThrow()
        ).device_joined_at !== null,
      10_000,
      "the device's tunnel admitted",
    );
    const c = consoleTunnel(dto.id, dto.consoleToken!);
    expect(await c.opened).toBe(true);
    await waitFor(() => text(c.received) === `greeting-${connectionsBefore + 1}`, 5_000, 'the greeting');
    await waitFor(async () => (await session(dto.id)).status === 'active', 5_000, 'active');
    await api(s.tech, 'POST', `/api/v1/remote-sessions/${dto.id}/stop`);
    expect((await c.closed).code).toBe(REMOTE_CLOSE.ended);
    await tunnel.closed;
  });

  it("a device's tunnel whose session is denied meanwhile is refused at once, not after the wait", async () => {
    const { dto, tunnelToken } = await request('view');
    await answer(dto.id, 'awaiting-consent');
    const tunnel = await deviceTunnel(dto.id, tunnelToken);
    const started = Date.now();
    await answer(dto.id, 'denied');
    expect(await tunnel.closed).toMatch(/4103/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the requester rejoins a running session with a fresh token and a fresh VNC connection; others are refused', async () => {
    const { dto, tunnelToken } = await request();
    await answer(dto.id, 'accepted');
    const tunnel = await deviceTunnel(dto.id, tunnelToken);
    const first = vnc.connections.at(-1)!;
    const n = vnc.connections.length;

    const c1 = consoleTunnel(dto.id, dto.consoleToken!);
    expect(await c1.opened).toBe(true);
    await waitFor(() => text(c1.received) === `greeting-${n}`, 5_000, 'the first greeting');
    c1.ws.send(Buffer.from('from-console-1'));
    await waitFor(() => text(first.received) === 'from-console-1', 5_000, 'the console reaching the VNC server');
    await waitFor(async () => (await session(dto.id)).status === 'active', 5_000, 'active');

    // A reload: the console's tunnel closes; the agent closes its VNC connection, the session runs on.
    c1.ws.close();
    await first.closed;
    expect(await pending(tunnel.closed)).toBe(true);
    expect((await session(dto.id)).status).toBe('active');
    // The used token is not admitted again.
    expect(await consoleTunnel(dto.id, dto.consoleToken!).closed).toMatchObject({ code: REMOTE_CLOSE.refused });

    // Only the requester may join again (not even an admin), and not a share or an ended session (below).
    const other = await s.staff('technician');
    for (const staff of [s.admin, other]) {
      const refused = await join(staff, dto.id);
      expect(refused.status).toBe(403);
      expect(refused.body.error?.code).toBe('remote_not_requester');
    }
    const rejoined = await join(s.tech, dto.id);
    expect(rejoined.status).toBe(200);
    expect(rejoined.body).toMatchObject({ id: dto.id, status: 'active', vncPassword: 'abcdefgh' });
    expect(rejoined.body.consoleToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rejoined.body.consoleToken).not.toBe(dto.consoleToken);
    // The first token is now a wrong one.
    expect(await consoleTunnel(dto.id, dto.consoleToken!).closed).toEqual({
      code: REMOTE_CLOSE.refused,
      reason: 'wrong session token',
    });
    expect(await consoleTunnel(dto.id, rejoined.body.consoleToken!, s.admin).closed).toMatchObject({
      code: REMOTE_CLOSE.refused,
      reason: 'no such session for you',
    });

    const c2 = consoleTunnel(dto.id, rejoined.body.consoleToken!);
    expect(await c2.opened).toBe(true);
    // A fresh RFB stream for the new console: the new connection's greeting, nothing of the old one.
    await waitFor(() => text(c2.received) === `greeting-${n + 1}`, 5_000, 'the second greeting');
    const second = vnc.connections[n]!;
    c2.ws.send(Buffer.from('from-console-2'));
    await waitFor(() => text(second.received) === 'from-console-2', 5_000, 'the second console reaching VNC');
    // The fresh token is one-time too.
    expect(await consoleTunnel(dto.id, rejoined.body.consoleToken!).closed).toMatchObject({
      code: REMOTE_CLOSE.refused,
    });

    // Joining from another page while this one is still attached (a blip the server has not noticed): it takes over.
    const again = await join(s.tech, dto.id);
    const c3 = consoleTunnel(dto.id, again.body.consoleToken!);
    expect(await c2.closed).toMatchObject({ code: REMOTE_CLOSE.replaced });
    await waitFor(() => text(c3.received) === `greeting-${n + 2}`, 5_000, 'the third greeting');
    await second.closed;

    await api(s.tech, 'POST', `/api/v1/remote-sessions/${dto.id}/stop`);
    expect((await c3.closed).code).toBe(REMOTE_CLOSE.ended);
    await tunnel.closed;
    const stopped = await join(s.tech, dto.id);
    expect(stopped.status).toBe(409);
    expect(stopped.body.error).toMatchObject({ code: 'remote_not_joinable' });
    expect(stopped.body.error?.message).toMatch(/ended/);

    const audit = await s.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('target_id', '=', dto.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'remote.requested',
      'remote.consent_given',
      'remote.started',
      'remote.rejoined',
      'remote.rejoined',
      'remote.ended',
    ]);
    expect(audit.filter((a) => a.action === 'remote.rejoined').every((a) => Number(a.actor_id) === s.tech.id)).toBe(
      true,
    );
  });

  it('a screen share, a session not yet accepted: 409 with the reason', async () => {
    const share = await request('share');
    const refused = await join(s.tech, share.dto.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('remote_share_rejoin');
    const waiting = await request('view');
    const early = await join(s.tech, waiting.dto.id);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'remote_not_joinable' });
    expect(early.body.error?.message).toMatch(/requested/);
    expect((await join(s.tech, '0b7c1e2d-3f4a-4b5c-8d6e-7f8091a2b3c4')).status).toBe(404);
  });
});

describeEachDatabase('remote sessions: a console that does not come back', (dialect) => {
  it('the device waits for the rejoin wait, then the session ends as before', async () => {
    const s = await createTestServer(dialect, {}, { remote: { rejoinWaitMs: 400, checkMs: 50 } });
    const vnc = await fakeVnc();
    try {
      const url = await s.app.listen({ host: '127.0.0.1', port: 0 });
      const device = await s.enroll();
      const res = await s.inject({
        method: 'POST',
        url: `/api/v1/devices/${device.id}/remote-sessions`,
        headers: s.tech.headers,
        payload: { kind: 'view', reason: 'Look at it' },
      });
      const dto = res.json<RemoteSessionDto>();
      const row = await s.db.kysely
        .selectFrom('remote_sessions')
        .select('envelope')
        .where('id', '=', dto.id)
        .executeTakeFirstOrThrow();
      await applyRemoteUpdate(s.ctx, device.id, {
        type: 'remote.update',
        sessionId: dto.id,
        status: 'accepted',
        consent: { by: 'policy' },
      });
      const tunnel = await openRemoteTunnel({
        url: remoteTunnelUrl(url, dto.id)!,
        deviceToken: device.token,
        sessionToken: (JSON.parse(row.envelope) as { tunnelToken: string }).tunnelToken,
        vnc: { host: '127.0.0.1', port: vnc.port },
      });
      const ws = new WebSocket(
        `${url.replace('http', 'ws')}/api/v1/remote-sessions/${dto.id}/tunnel`,
        [REMOTE_TUNNEL_PROTOCOL, REMOTE_TOKEN_PROTOCOL_PREFIX + dto.consoleToken!],
        { headers: { cookie: s.tech.headers.cookie! } },
      );
      ws.on('error', () => {});
      await new Promise((resolve) => ws.once('message', resolve));
      const leftAt = Date.now();
      ws.close();
      expect(await tunnel.closed).toMatch(/4100/);
      expect(Date.now() - leftAt).toBeGreaterThanOrEqual(400);
      const get = async () =>
        (
          await s.inject({ method: 'GET', url: `/api/v1/remote-sessions/${dto.id}`, headers: s.tech.headers })
        ).json<RemoteSessionDto>();
      const ended = await waitFor(async () => ((await get()).status === 'ended' ? get() : null), 5_000, 'ended');
      expect(ended.endReason).toBe("the console's tunnel closed and did not come back in time");
      const late = await s.inject({
        method: 'POST',
        url: `/api/v1/remote-sessions/${dto.id}/join`,
        headers: s.tech.headers,
      });
      expect(late.statusCode).toBe(409);
    } finally {
      await s.close();
      await vnc.close();
    }
  });
});
