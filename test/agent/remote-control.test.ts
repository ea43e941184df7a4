import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RemoteSessionDto } from '../../src/shared/api/remote';
import {
  REMOTE_CLOSE,
  REMOTE_TOKEN_PROTOCOL_PREFIX,
  REMOTE_TUNNEL_PROTOCOL,
} from '../../src/shared/remote/remote-limits';
import { createTestServer, DIALECTS, type StaffSession, type TestServer } from '../server/harness';
import { rfbHandshake } from '../helpers/rfb-client';
import { missingXPrograms, startXev, startXvfb, x11vncsOn, type XDisplay, type XevWindow } from '../helpers/x-display';
import { createTestAgent, waitFor, type TestAgent } from './support';

/*
 * Remote control end to end on this machine: a real server (SQLite) on 127.0.0.1, the real agent core with
 * IT's explicit unattended policy, Xvfb on a free display with xev in a window, and x11vnc started by the
 * agent's own code. A technician's request is signed, the agent starts x11vnc on localhost with a one-time
 * password and opens its tunnel; the test is the console: it opens the console tunnel through the server's
 * relay and speaks RFB to the far end — the ServerInit must carry Xvfb's size and a key it sends must reach
 * xev. Then the refusals: nothing is relayed without consent, with another device's or a wrong token, after a
 * stop, or to a technician IT's policy does not allow.
 */

const missing = missingXPrograms();
if (missing.length > 0)
  console.warn(
    `remote-control tests skipped: ${missing.join(', ')} not found (apt-get install -y xvfb x11vnc x11-utils)`,
  );

const channelTiming = { reconnect: { baseMs: 20, maxMs: 100, jitter: 0 } };

for (const dialect of DIALECTS)
  describe.skipIf(missing.length > 0)(`remote control through x11vnc and the server relay [${dialect}]`, () => {
    let s: TestServer;
    let url: string;
    let x: XDisplay;
    let xev: XevWindow;
    let agent: TestAgent;
    let deviceId: string;

    const api = async <T>(staff: StaffSession, method: string, path: string, body?: unknown) => {
      const res = await fetch(url + path, {
        method,
        headers: { ...staff.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    };

    /** Opens the console tunnel; resolves with the socket once open, or with the close code when refused. */
    const consoleTunnel = (session: { id: string }, token: string, staff: StaffSession) =>
      new WebSocket(
        `${url.replace('http', 'ws')}/api/v1/remote-sessions/${session.id}/tunnel`,
        [REMOTE_TUNNEL_PROTOCOL, REMOTE_TOKEN_PROTOCOL_PREFIX + token],
        { headers: { cookie: staff.headers.cookie! } },
      );

    /** What a refused tunnel sees: its close code and reason, and how many bytes came before it. */
    const refusedTunnel = (ws: WebSocket) =>
      new Promise<{ code: number; reason: string; bytes: number }>((resolve) => {
        let bytes = 0;
        ws.on('message', (data: Buffer) => (bytes += data.length));
        ws.on('error', () => {});
        ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), bytes }));
      });

    const open = (ws: WebSocket) =>
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });

    const request = (staff: StaffSession, kind: 'view' | 'control' = 'control') =>
      api<RemoteSessionDto & { error?: { code: string } }>(
        staff,
        'POST',
        `/api/v1/devices/${deviceId}/remote-sessions`,
        {
          kind,
          reason: 'Check the mail client with you',
        },
      );

    const session = async (staff: StaffSession, id: string) =>
      (await api<RemoteSessionDto>(staff, 'GET', `/api/v1/remote-sessions/${id}`)).body;

    beforeAll(async () => {
      x = await startXvfb(640, 480);
      xev = await startXev(x.display, 640, 480);
      s = await createTestServer(dialect);
      url = await s.app.listen({ host: '127.0.0.1', port: 0 });
      agent = await createTestAgent({
        managed: {
          serverUrl: url,
          enrollSecret: s.enrollSecret,
          remoteControl: { consent: 'unattended', vnc: { server: 'x11vnc', display: x.display } },
        },
        deps: { channel: { timing: channelTiming } },
        now: () => s.clock.now,
      });
      await agent.core.start();
      await waitFor(() => agent.core.state().enrollment.state === 'enrolled', 10_000, 'enrollment');
      await waitFor(() => agent.core.state().online, 10_000, 'online');
      deviceId = agent.core.state().enrollment.deviceId!;
      await waitFor(() => s.channel.isConnected(deviceId), 10_000, 'live channel');
    }, 60_000);

    afterAll(async () => {
      await agent?.stop();
      await s?.close();
      await xev?.stop();
      await x?.stop();
    });

    it("a key typed over RFB reaches the X program; the ServerInit is Xvfb's screen; stop ends it all", async () => {
      const before = x11vncsOn(x.display).length;
      // Other runs on this machine may have left theirs: only this session's folder must go.
      const foldersBefore = new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('deskside-vnc-')));
      const { status, body: requested } = await request(s.tech);
      expect(status).toBe(201);
      expect(requested.consoleToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const accepted = await waitFor(
        async () =>
          (await session(s.tech, requested.id)).status === 'accepted' ? session(s.tech, requested.id) : null,
        25_000,
        'the device to accept',
      );
      expect(accepted.consent).toEqual({ by: 'policy', name: null });
      expect(accepted.vncPassword).toMatch(/^[A-Za-z0-9_-]{8}$/);
      // x11vnc listens on loopback only.
      expect(x11vncsOn(x.display).length).toBe(before + 1);

      const ws = consoleTunnel(requested, requested.consoleToken!, s.tech);
      await open(ws);
      const rfb = await rfbHandshake(ws, accepted.vncPassword);
      expect({ width: rfb.width, height: rfb.height }).toEqual({ width: 640, height: 480 });
      await waitFor(async () => (await session(s.tech, requested.id)).status === 'active', 5_000, 'active');

      rfb.pointer(200, 200);
      rfb.key(0x71); // q
      await xev.waitForKey('0x71, q');

      // The other technician's view: no password, not even for an admin.
      expect((await session(s.admin, requested.id)).vncPassword).toBeNull();

      const closed = refusedTunnel(ws);
      const stop = await api<RemoteSessionDto>(s.tech, 'POST', `/api/v1/remote-sessions/${requested.id}/stop`);
      expect(stop.body.status).toBe('ended');
      expect((await closed).code).toBe(REMOTE_CLOSE.ended);
      // The agent ends the x11vnc it started and removes its password folder.
      await waitFor(() => x11vncsOn(x.display).length === before, 10_000, 'x11vnc to end');
      await waitFor(
        () => readdirSync(tmpdir()).every((f) => !f.startsWith('deskside-vnc-') || foldersBefore.has(f)),
        5_000,
        'password folder removed',
      );

      const note = await s.db.kysely
        .selectFrom('messages')
        .selectAll()
        .where('author_id', '=', requested.id)
        .executeTakeFirst();
      expect(note).toBeUndefined(); // no ticket: nothing to note on
      const audit = await s.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('target_id', '=', requested.id)
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'remote.requested',
        'remote.unattended',
        'remote.started',
        'remote.ended',
      ]);
      const ended = await session(s.tech, requested.id);
      expect(ended.bytesToConsole).toBeGreaterThan(0);
      expect(ended.bytesToDevice).toBeGreaterThan(0);
    });

    it('the tokens are one-time: a second console tunnel and a wrong token are refused, nothing relayed', async () => {
      const { body: requested } = await request(s.tech, 'view');
      await waitFor(async () => (await session(s.tech, requested.id)).status === 'accepted', 15_000, 'accepted');
      const wrong = await refusedTunnel(consoleTunnel(requested, 'A'.repeat(43), s.tech));
      expect(wrong).toMatchObject({ code: REMOTE_CLOSE.refused, reason: 'wrong session token', bytes: 0 });
      // Another technician with the right token: not their session.
      const other = await refusedTunnel(consoleTunnel(requested, requested.consoleToken!, s.admin));
      expect(other).toMatchObject({ code: REMOTE_CLOSE.refused, bytes: 0 });

      const first = consoleTunnel(requested, requested.consoleToken!, s.tech);
      await open(first);
      const second = await refusedTunnel(consoleTunnel(requested, requested.consoleToken!, s.tech));
      expect(second).toMatchObject({ code: REMOTE_CLOSE.refused, bytes: 0 });
      const rfb = await rfbHandshake(first, (await session(s.tech, requested.id)).vncPassword);
      expect(rfb.width).toBe(640);
      // The console closing (a reload) leaves the session running for the rejoin wait; the requester joins
      // again with a fresh token and gets a fresh RFB handshake with the same x11vnc (-forever).
      const done = refusedTunnel(first);
      first.close();
      await done;
      expect((await session(s.tech, requested.id)).status).toBe('active');
      const rejoined = await api<RemoteSessionDto>(s.tech, 'POST', `/api/v1/remote-sessions/${requested.id}/join`);
      expect(rejoined.status).toBe(200);
      const again = consoleTunnel(requested, rejoined.body.consoleToken!, s.tech);
      await open(again);
      const rfb2 = await rfbHandshake(again, rejoined.body.vncPassword);
      expect({ width: rfb2.width, height: rfb2.height }).toEqual({ width: 640, height: 480 });
      const stopped = refusedTunnel(again);
      await api(s.tech, 'POST', `/api/v1/remote-sessions/${requested.id}/stop`);
      expect((await stopped).code).toBe(REMOTE_CLOSE.ended);
      await waitFor(async () => (await session(s.tech, requested.id)).status === 'ended', 10_000, 'ended');
    });

    it("another device's tunnel token, a stopped session: refused, nothing relayed", async () => {
      const { body: requested } = await request(s.tech);
      const stopped = await api<RemoteSessionDto>(s.tech, 'POST', `/api/v1/remote-sessions/${requested.id}/stop`);
      expect(stopped.body.status).toBe('ended');
      const late = await refusedTunnel(consoleTunnel(requested, requested.consoleToken!, s.tech));
      expect(late).toMatchObject({ code: REMOTE_CLOSE.refused, bytes: 0 });

      // A second device presenting any token on this device's session: no such session for it.
      const other = await s.enroll();
      const ws = new WebSocket(
        `${url.replace('http', 'ws')}/api/v1/device/remote-sessions/${requested.id}/tunnel`,
        [REMOTE_TUNNEL_PROTOCOL, REMOTE_TOKEN_PROTOCOL_PREFIX + 'B'.repeat(43)],
        { headers: { authorization: `Bearer ${other.token}` } },
      );
      expect(await refusedTunnel(ws)).toMatchObject({
        code: REMOTE_CLOSE.refused,
        reason: 'no such session for you',
        bytes: 0,
      });
    });
  });

describe.skipIf(missing.length > 0)('remote control refusals by policy', () => {
  it("headless with consent 'ask' refuses (no one to ask); a technician outside IT's control roles gets 403", async () => {
    const s = await createTestServer('sqlite', { remoteControlRoles: 'admin' });
    const url = await s.app.listen({ host: '127.0.0.1', port: 0 });
    const agent = await createTestAgent({
      managed: { serverUrl: url, enrollSecret: s.enrollSecret, remoteControl: { consent: 'ask' } },
      deps: { channel: { timing: channelTiming } },
      now: () => s.clock.now,
    });
    try {
      await agent.core.start();
      await waitFor(() => agent.core.state().enrollment.state === 'enrolled', 10_000, 'enrollment');
      const deviceId = agent.core.state().enrollment.deviceId!;
      await waitFor(() => s.channel.isConnected(deviceId), 10_000, 'live channel');
      const post = (staff: StaffSession, kind: string) =>
        s.inject({
          method: 'POST',
          url: `/api/v1/devices/${deviceId}/remote-sessions`,
          headers: staff.headers,
          payload: { kind, reason: 'look at it' },
        });
      const denied = await post(s.tech, 'control');
      expect(denied.statusCode).toBe(403);
      expect(denied.json().error.code).toBe('remote_role');
      // Viewing is still every technician's (the default view roles).
      const view = await post(s.tech, 'view');
      expect(view.statusCode).toBe(201);
      const id = view.json<RemoteSessionDto>().id;
      const refused = await waitFor(
        async () => {
          const res = await s.inject({ method: 'GET', url: `/api/v1/remote-sessions/${id}`, headers: s.tech.headers });
          const dto = res.json<RemoteSessionDto>();
          return dto.status === 'refused' ? dto : null;
        },
        10_000,
        'refused',
      );
      expect(refused.endReason).toMatch(/no one to ask/);
      expect(refused.vncPassword).toBeNull();
    } finally {
      await agent.stop();
      await s.close();
    }
  });
});
