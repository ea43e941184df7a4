import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RemoteSessionDto } from '../../src/shared/api/remote';
import type { IpcEventPayload } from '../../src/shared/ipc/contract';
import { REMOTE_CLOSE, REMOTE_TOKEN_PROTOCOL_PREFIX } from '../../src/shared/remote/remote-limits';
import { SHARE_SIGNAL_PROTOCOL, type ShareConsoleFrame } from '../../src/shared/remote/share-limits';
import type { ShareOverlayMessage } from '../../src/shared/remote/share-overlay';
import { openPeer } from '../server/channel-client';
import { createTestServer, DIALECTS, type StaffSession, type TestServer } from '../server/harness';
import { createTestAgent, waitFor, type TestAgent } from './support';

/*
 * Screen share's signaling end to end in Node (issue 13): a real server on 127.0.0.1 (SQLite, and PostgreSQL
 * when DATABASE_URL is set) with IT's TURN server configured, the real agent core as the tray app runs it
 * (a window to ask), and the test playing the two browsers: the employee's window through the core's IPC
 * handlers, the technician's console through the signaling WebSocket with the technician's cookie. The media
 * itself is the Playwright spec's (test/e2e/console/screen-share.spec.ts). Then the refusals: no consent, a
 * stopped session, another session's token, another technician, a role IT's policy does not allow, another
 * device's signals, a console that speaks out of turn: no signal reaches anyone.
 */

const TURN_SECRET = 'turn-shared-secret-for-tests';
const channelTiming = { reconnect: { baseMs: 20, maxMs: 100, jitter: 0 } };
const FAKE_SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
const OTHER_SESSION_ID = '00000000-0000-4000-8000-000000000000';
const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };

/** The console's signaling socket: its frames as they come, and how it closed. */
interface Signaling {
  ws: WebSocket;
  frames: ShareConsoleFrame[];
  next(type: ShareConsoleFrame['type']): Promise<ShareConsoleFrame>;
  closed: Promise<{ code: number; reason: string }>;
}

for (const dialect of DIALECTS)
  describe(`screen share signaling through the live channel and the console's socket [${dialect}]`, () => {
    let s: TestServer;
    let url: string;
    let agent: TestAgent;
    let deviceId: string;
    const chosen: Array<string | null> = [];
    const drawn: ShareOverlayMessage[] = [];

    const api = async <T>(staff: StaffSession, method: string, path: string, body?: unknown) => {
      const res = await fetch(url + path, {
        method,
        headers: { ...staff.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T & { error?: { code: string } } };
    };
    const request = (staff: StaffSession, server = url) =>
      fetch(`${server}/api/v1/devices/${deviceId}/remote-sessions`, {
        method: 'POST',
        headers: { ...staff.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'share', reason: 'Look at the error with you' }),
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as RemoteSessionDto & { error?: { code: string } },
      }));
    const status = async (id: string) =>
      (await api<RemoteSessionDto>(s.tech, 'GET', `/api/v1/remote-sessions/${id}`)).body;

    const signaling = (sessionId: string, token: string, staff: StaffSession): Signaling => {
      const ws = new WebSocket(
        `${url.replace('http', 'ws')}/api/v1/remote-sessions/${sessionId}/signaling`,
        [SHARE_SIGNAL_PROTOCOL, REMOTE_TOKEN_PROTOCOL_PREFIX + token],
        { headers: { cookie: staff.headers.cookie! } },
      );
      const frames: ShareConsoleFrame[] = [];
      const waiters: Array<{ type: string; resolve(f: ShareConsoleFrame): void }> = [];
      ws.on('message', (data) => {
        const f = JSON.parse(String(data)) as ShareConsoleFrame;
        frames.push(f);
        const i = waiters.findIndex((w) => w.type === f.type);
        if (i >= 0) waiters.splice(i, 1)[0]!.resolve(f);
      });
      ws.on('error', () => {});
      return {
        ws,
        frames,
        next: (type) => {
          const seen = frames.find((f) => f.type === type);
          return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ type, resolve }));
        },
        closed: new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) }))),
      };
    };

    /** The share:session events the window heard for a session, last first. */
    const lastPrompt = (id: string) =>
      agent.events
        .filter((e) => e.event === 'share:session')
        .map((e) => (e.payload as IpcEventPayload<'share:session'>).session)
        .reverse()
        .find((p) => p === null || p.sessionId === id);
    const windowSignals = (id: string) =>
      agent.events
        .filter((e) => e.event === 'share:signal' && (e.payload as IpcEventPayload<'share:signal'>).sessionId === id)
        .map((e) => (e.payload as IpcEventPayload<'share:signal'>).signal);

    /** A share the employee was asked for (the prompt is showing). */
    const asked = async () => {
      const res = await request(s.tech);
      expect(res.status).toBe(201);
      await waitFor(() => lastPrompt(res.body.id)?.state === 'asking', 5_000, 'the prompt');
      return res.body;
    };

    beforeAll(async () => {
      s = await createTestServer(dialect, {
        stunUrls: 'stun:127.0.0.1:3478',
        turnUrls: 'turn:127.0.0.1:3478?transport=udp',
        turnSecret: TURN_SECRET,
        turnTtlSeconds: 600,
      });
      url = await s.app.listen({ host: '127.0.0.1', port: 0 });
      agent = await createTestAgent({
        managed: { serverUrl: url, enrollSecret: s.enrollSecret },
        deps: { channel: { timing: channelTiming }, consentPrompt: true },
        now: () => s.clock.now,
      });
      agent.platform.screenShare = {
        sources: async () => [{ id: 'screen:1:0', name: 'Entire screen', kind: 'screen', thumbnail: null }],
        choose: (id) => void chosen.push(id),
        overlay: (m) => void drawn.push(m),
      };
      await agent.core.start();
      await waitFor(() => agent.core.state().enrollment.deviceId, 10_000, 'enrollment');
      deviceId = agent.core.state().enrollment.deviceId!;
      await waitFor(() => s.channel.isConnected(deviceId), 10_000, 'live channel');
    }, 60_000);

    afterAll(async () => {
      await agent?.stop();
      await s?.close();
    });

    it('offer, answer and candidates go both ways; the ICE servers carry TURN credentials for this session; Stop ends it', async () => {
      const session = await asked();
      expect(session.kind).toBe('share');
      expect(await agent.call('share:sources', {})).toEqual({
        sources: [{ id: 'screen:1:0', name: 'Entire screen', kind: 'screen', thumbnail: null }],
      });
      // Nothing is signalled, or drawn over the screen, before the employee answers.
      const pointer = JSON.stringify({ type: 'pointer', x: 0.5, y: 0.25 });
      expect(await agent.call('share:overlay', { sessionId: session.id, data: pointer })).toEqual({ drawn: false });
      expect(
        (await agent.invoke('share:signal', { sessionId: session.id, signal: { type: 'offer', sdp: FAKE_SDP } })).ok,
      ).toBe(false);
      await agent.call('share:answer', { sessionId: session.id, allow: true, sourceId: 'screen:1:0' });
      expect(chosen.at(-1)).toBe('screen:1:0');
      await waitFor(async () => (await status(session.id)).status === 'accepted', 5_000, 'accepted');
      expect((await status(session.id)).consent).toEqual({ by: 'employee', name: null });

      const console = signaling(session.id, session.consoleToken!, s.tech);
      const ready = (await console.next('ready')) as Extract<ShareConsoleFrame, { type: 'ready' }>;
      const expiry = Math.floor(s.clock.now / 1000) + 600;
      expect(ready.ice.iceServers).toEqual([
        { urls: ['stun:127.0.0.1:3478'] },
        {
          urls: ['turn:127.0.0.1:3478?transport=udp'],
          username: `${expiry}:${session.id}`,
          credential: expect.stringMatching(/^[A-Za-z0-9+/]{27}=$/),
        },
      ]);
      // The employee's window hears `start` with the same ICE servers, then offers.
      await waitFor(() => windowSignals(session.id).some((sg) => sg.type === 'start'), 5_000, 'start');
      expect(windowSignals(session.id)[0]).toEqual({ type: 'start', ice: ready.ice });
      expect((await status(session.id)).status).toBe('active');
      await agent.call('share:signal', { sessionId: session.id, signal: { type: 'offer', sdp: FAKE_SDP } });
      await agent.call('share:signal', { sessionId: session.id, signal: { type: 'candidate', candidate: CANDIDATE } });
      expect(await console.next('offer')).toEqual({ type: 'offer', sdp: FAKE_SDP });
      expect(await console.next('candidate')).toEqual({ type: 'candidate', candidate: CANDIDATE });

      console.ws.send(JSON.stringify({ type: 'answer', sdp: FAKE_SDP }));
      console.ws.send(JSON.stringify({ type: 'candidate', candidate: null }));
      await waitFor(() => windowSignals(session.id).length === 3, 5_000, 'answer and end of candidates');
      expect(windowSignals(session.id).slice(1)).toEqual([
        { type: 'answer', sdp: FAKE_SDP },
        { type: 'candidate', candidate: null },
      ]);

      // The technician's pointer and annotations (relayed by the window): validated, then drawn over the screen.
      const stroke = { type: 'pen', id: 1, color: 'red', fade: false, points: [[0.1, 0.2]], done: true };
      const overlay = (data: unknown) =>
        agent.call('share:overlay', { sessionId: session.id, data: JSON.stringify(data) });
      expect(await agent.call('share:overlay', { sessionId: session.id, data: pointer })).toEqual({ drawn: true });
      expect(await overlay(stroke)).toEqual({ drawn: true });
      for (const bad of [
        { ...stroke, color: 'black' },
        { type: 'pointer', x: 2, y: 0 },
        { type: 'eval', code: '1' },
      ])
        expect(await overlay(bad)).toEqual({ drawn: false });
      expect((await agent.invoke('share:overlay', { sessionId: session.id, data: 'x'.repeat(5000) })).ok).toBe(false);
      expect(await agent.call('share:overlay', { sessionId: OTHER_SESSION_ID, data: pointer })).toEqual({
        drawn: false,
      });
      expect(drawn).toEqual([{ type: 'pointer', x: 0.5, y: 0.25 }, stroke]);

      // The employee stops: the console hears why, its socket closes, the session ends, its signals go.
      await agent.call('share:stop', { sessionId: session.id });
      expect(await agent.call('share:overlay', { sessionId: session.id, data: pointer })).toEqual({ drawn: false });
      expect(drawn).toHaveLength(2);
      expect(await console.next('ended')).toMatchObject({ reason: 'the employee stopped it' });
      expect((await console.closed).code).toBe(REMOTE_CLOSE.ended);
      await waitFor(async () => (await status(session.id)).status === 'ended', 5_000, 'ended');
      expect(lastPrompt(session.id)).toBeNull();
      expect(chosen.at(-1)).toBeNull();
      await waitFor(
        async () =>
          (await s.db.kysely.selectFrom('share_signals').selectAll().where('session_id', '=', session.id).execute())
            .length === 0,
        5_000,
        'signals deleted',
      );
    });

    it('no consent: a denied share admits no console and carries no signal', async () => {
      const session = await asked();
      await agent.call('share:answer', { sessionId: session.id, allow: false, sourceId: null });
      await waitFor(async () => (await status(session.id)).status === 'denied', 5_000, 'denied');
      const console = signaling(session.id, session.consoleToken!, s.tech);
      expect(await console.closed).toMatchObject({ code: REMOTE_CLOSE.refused });
      expect(console.frames).toEqual([]);
      expect(
        (await agent.invoke('share:signal', { sessionId: session.id, signal: { type: 'offer', sdp: FAKE_SDP } })).ok,
      ).toBe(false);
    });

    it('a session stopped by the technician before the answer: the prompt closes and nobody joins', async () => {
      const session = await asked();
      expect((await api(s.tech, 'POST', `/api/v1/remote-sessions/${session.id}/stop`)).status).toBe(200);
      await waitFor(() => lastPrompt(session.id) === null, 5_000, 'the prompt closed');
      expect((await agent.invoke('share:answer', { sessionId: session.id, allow: true, sourceId: null })).ok).toBe(
        false,
      );
      const console = signaling(session.id, session.consoleToken!, s.tech);
      expect(await console.closed).toMatchObject({ code: REMOTE_CLOSE.refused });
      expect(console.frames).toEqual([]);
    });

    it("another session's token, another technician, a second join and a console speaking out of turn are refused", async () => {
      const other = await asked();
      await agent.call('share:answer', { sessionId: other.id, allow: false, sourceId: null });
      const session = await asked();
      await agent.call('share:answer', { sessionId: session.id, allow: true, sourceId: null });
      await waitFor(async () => (await status(session.id)).status === 'accepted', 5_000, 'accepted');

      const wrongToken = signaling(session.id, other.consoleToken!, s.tech);
      expect(await wrongToken.closed).toMatchObject({ code: REMOTE_CLOSE.refused, reason: 'wrong session token' });
      const colleague = await s.staff('technician');
      const stranger = signaling(session.id, session.consoleToken!, colleague);
      expect(await stranger.closed).toMatchObject({ code: REMOTE_CLOSE.refused, reason: 'no such session for you' });
      expect([...wrongToken.frames, ...stranger.frames]).toEqual([]);

      const console = signaling(session.id, session.consoleToken!, s.tech);
      await console.next('ready');
      const again = signaling(session.id, session.consoleToken!, s.tech);
      expect(await again.closed).toMatchObject({ code: REMOTE_CLOSE.refused });

      // Another device's channel cannot speak for this session: audited, and nothing reaches the console.
      const intruder = await s.enroll();
      const peer = await openPeer(url, intruder.token);
      peer.send({ type: 'hello', cursor: 0, agentVersion: 'test' });
      await peer.next('welcome');
      peer.send({ type: 'share.signal', sessionId: session.id, signal: { type: 'offer', sdp: 'v=0\r\nforged' } });
      await waitFor(
        async () =>
          (
            await s.db.kysely
              .selectFrom('audit_log')
              .select('details')
              .where('action', '=', 'share.signal_refused')
              .execute()
          ).some((r) => r.details.includes(intruder.id)),
        5_000,
        'the refusal audited',
      );
      peer.ws.close();
      // The console offering instead of answering breaks the protocol: the session ends.
      console.ws.send(JSON.stringify({ type: 'offer', sdp: FAKE_SDP }));
      expect((await console.closed).code).toBe(REMOTE_CLOSE.protocol);
      expect(console.frames.filter((f) => f.type === 'offer')).toEqual([]);
      await waitFor(async () => (await status(session.id)).status === 'ended', 5_000, 'ended');
      await waitFor(() => lastPrompt(session.id) === null, 5_000, 'the indicator gone');
    });

    it("a technician IT's policy does not let view gets no share", async () => {
      const strict = await createTestServer(dialect, { remoteViewRoles: 'admin' });
      try {
        const strictUrl = await strict.app.listen({ host: '127.0.0.1', port: 0 });
        const device = await strict.enroll();
        const res = await fetch(`${strictUrl}/api/v1/devices/${device.id}/remote-sessions`, {
          method: 'POST',
          headers: { ...strict.tech.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'share', reason: 'Look at the error with you' }),
        });
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('remote_role');
      } finally {
        await strict.close();
      }
    });
  });
