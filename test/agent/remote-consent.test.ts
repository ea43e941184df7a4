import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RemoteSessionDto } from '../../src/shared/api/remote';
import type { IpcEventPayload } from '../../src/shared/ipc/contract';
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
 * The employee's side of remote control through the window's IPC channels (issue 13): a real server on
 * 127.0.0.1, the real agent core with a window to ask (consentPrompt) and IT's default policy `ask`, x11vnc
 * on a private Xvfb started by the agent's own code. The channels validate what the window sends; the
 * employee's Allow starts the session (the console's RFB handshake gets Xvfb's screen), their Stop ends it at
 * once — x11vnc gone, the console's tunnel closed, the session ended "stopped by the employee" and audited
 * as theirs — and Deny starts nothing.
 */

const missing = missingXPrograms();
if (missing.length > 0)
  console.warn(
    `remote-consent tests skipped: ${missing.join(', ')} not found (apt-get install -y xvfb x11vnc x11-utils)`,
  );

const channelTiming = { reconnect: { baseMs: 20, maxMs: 100, jitter: 0 } };
const SOME_UUID = '0b7c1e2d-3f4a-4b5c-8d6e-7f8091a2b3c4';

for (const dialect of DIALECTS)
  describe.skipIf(missing.length > 0)(`remote sessions asked in the window [${dialect}]`, () => {
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
    const request = async (kind: 'view' | 'control') =>
      (
        await api<RemoteSessionDto>(s.tech, 'POST', `/api/v1/devices/${deviceId}/remote-sessions`, {
          kind,
          reason: 'Check the mail settings with you',
        })
      ).body;
    const session = async (id: string) =>
      (await api<RemoteSessionDto>(s.tech, 'GET', `/api/v1/remote-sessions/${id}`)).body;
    const lastPrompt = () =>
      (
        agent.events.filter((e) => e.event === 'remote:session').at(-1)?.payload as
          IpcEventPayload<'remote:session'> | undefined
      )?.session ?? null;

    beforeAll(async () => {
      x = await startXvfb(640, 480);
      xev = await startXev(x.display, 640, 480);
      s = await createTestServer(dialect);
      url = await s.app.listen({ host: '127.0.0.1', port: 0 });
      agent = await createTestAgent({
        managed: {
          serverUrl: url,
          enrollSecret: s.enrollSecret,
          remoteControl: { vnc: { server: 'x11vnc', display: x.display } },
        },
        deps: { channel: { timing: channelTiming }, consentPrompt: true },
        now: () => s.clock.now,
      });
      await agent.core.start();
      await waitFor(() => agent.core.state().enrollment.state === 'enrolled', 10_000, 'enrollment');
      deviceId = agent.core.state().enrollment.deviceId!;
      await waitFor(() => s.channel.isConnected(deviceId), 10_000, 'live channel');
    }, 60_000);

    afterAll(async () => {
      await agent?.stop();
      await s?.close();
      await xev?.stop();
      await x?.stop();
    });

    it('the channels validate what the window sends; nothing waits: not-found', async () => {
      expect(await agent.call('remote:current', {})).toEqual({ session: null });
      const invalid = [
        ['remote:answer', { sessionId: 'not-a-uuid', allow: true, stage: 'first' }],
        ['remote:answer', { sessionId: SOME_UUID, allow: 'yes', stage: 'first' }],
        ['remote:answer', { sessionId: SOME_UUID, allow: true, stage: 'third' }],
        ['remote:answer', { sessionId: SOME_UUID, allow: true }],
        ['remote:answer', { sessionId: SOME_UUID, allow: true, stage: 'first', kind: 'view' }],
        ['remote:stop', { sessionId: 'x' }],
        ['remote:stop', { sessionId: SOME_UUID, by: 'employee' }],
        ['remote:current', { sessionId: SOME_UUID }],
      ] as const;
      for (const [channel, arg] of invalid) {
        const res = await agent.invoke(channel, arg as never);
        expect(res, `${channel} ${JSON.stringify(arg)}`).toMatchObject({
          ok: false,
          error: { code: 'invalid_argument' },
        });
      }
      expect(await agent.invoke('remote:answer', { sessionId: SOME_UUID, allow: true, stage: 'first' })).toMatchObject({
        ok: false,
        error: { code: 'not-found' },
      });
      expect(await agent.invoke('remote:stop', { sessionId: SOME_UUID })).toMatchObject({
        ok: false,
        error: { code: 'not-found' },
      });
    });

    it("Allow starts it; the employee's Stop ends it at once, recorded and audited as the employee's", async () => {
      const before = x11vncsOn(x.display).length;
      const requested = await request('control');
      const asking = await waitFor(
        () => (lastPrompt()?.sessionId === requested.id ? lastPrompt() : null),
        10_000,
        'the prompt',
      );
      expect(asking).toMatchObject({
        kind: 'control',
        requestedBy: requested.requestedBy.name,
        reason: 'Check the mail settings with you',
        state: 'asking',
        stage: 'first',
        secondConsent: false,
      });
      expect((await agent.call('remote:current', {})).session).toEqual(asking);
      await waitFor(async () => (await session(requested.id)).status === 'awaiting-consent', 10_000, 'awaiting');
      // A Stop is not an answer.
      expect((await agent.invoke('remote:stop', { sessionId: requested.id })).ok).toBe(false);
      expect(x11vncsOn(x.display).length).toBe(before);

      await agent.call('remote:answer', { sessionId: requested.id, allow: true, stage: 'first' });
      const accepted = await waitFor(
        async () => ((await session(requested.id)).status === 'accepted' ? session(requested.id) : null),
        25_000,
        'accepted',
      );
      expect(accepted.consent).toEqual({ by: 'employee', name: null });
      const ws = new WebSocket(
        `${url.replace('http', 'ws')}/api/v1/remote-sessions/${requested.id}/tunnel`,
        [REMOTE_TUNNEL_PROTOCOL, REMOTE_TOKEN_PROTOCOL_PREFIX + requested.consoleToken!],
        { headers: { cookie: s.tech.headers.cookie! } },
      );
      const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
      ws.on('error', () => {});
      await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
      const rfb = await rfbHandshake(ws, accepted.vncPassword);
      expect({ width: rfb.width, height: rfb.height }).toEqual({ width: 640, height: 480 });
      await waitFor(async () => (await session(requested.id)).status === 'active', 5_000, 'active');
      const active = (await agent.call('remote:current', {})).session!;
      expect(active.state).toBe('active');
      expect(Date.parse(active.startedAt!)).toBeGreaterThan(0);

      await agent.call('remote:stop', { sessionId: requested.id });
      expect(await closed).toBe(REMOTE_CLOSE.ended);
      const ended = await waitFor(
        async () => ((await session(requested.id)).status === 'ended' ? session(requested.id) : null),
        10_000,
        'ended',
      );
      expect(ended.endReason).toBe('stopped by the employee');
      await waitFor(() => x11vncsOn(x.display).length === before, 10_000, 'x11vnc to end');
      // The banner goes once x11vnc is stopped (a moment after the help desk already knows).
      await waitFor(async () => (await agent.call('remote:current', {})).session === null, 5_000, 'the banner to go');
      expect(lastPrompt()).toBeNull();
      const audit = await s.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('target_id', '=', requested.id)
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'remote.requested',
        'remote.awaiting_consent',
        'remote.consent_given',
        'remote.started',
        'remote.ended',
      ]);
      expect(JSON.parse(audit.at(-1)!.details)).toMatchObject({ by: 'employee', reason: 'stopped by the employee' });
    });

    it('Deny: denied by the employee, nothing started, nothing to join', async () => {
      const before = x11vncsOn(x.display).length;
      const requested = await request('view');
      await waitFor(() => lastPrompt()?.sessionId === requested.id, 10_000, 'the prompt');
      await agent.call('remote:answer', { sessionId: requested.id, allow: false, stage: 'first' });
      const denied = await waitFor(
        async () => ((await session(requested.id)).status === 'denied' ? session(requested.id) : null),
        10_000,
        'denied',
      );
      expect(denied.consent).toEqual({ by: 'employee', name: null });
      expect(denied.vncPassword).toBeNull();
      expect(x11vncsOn(x.display).length).toBe(before);
      expect(lastPrompt()).toBeNull();
    });
  });
