import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { RemoteSessionPrompt } from '../../src/shared/ipc/contract';
import { REMOTE_CLOSE, REMOTE_TUNNEL_PROTOCOL } from '../../src/shared/remote/remote-limits';
import { signRemoteRequest, type RemoteEnvelope } from '../../src/shared/remote/remote-signing';
import type { AgentLogger } from '../../src/main/services/agent-platform';
import {
  createRemoteSessions,
  type RemoteControlPolicy,
  type RemoteFrame,
} from '../../src/main/services/remote-session.service';

/*
 * The agent's remote sessions with the employee in the loop, over real parts on loopback: requests signed
 * with a real Ed25519 key, a stand-in VNC server (a TCP listener on 127.0.0.1: this tests the consent and
 * the session's life, not x11vnc, which test/agent/remote-control.test.ts runs for real) and a WebSocket
 * server on 127.0.0.1 in the help desk's place for the tunnel. Allow, Deny, no answer before the expiry,
 * the employee's Stop, IT's second consent for control, and no one to ask.
 */

const keys = generateKeyPairSync('ed25519');
const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicKeyPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const signer = { sign: (message: string, pem: string) => sign(null, Buffer.from(message), pem).toString('base64') };
const DEVICE = 'device-under-test';
const quiet: AgentLogger = { info: () => {}, warn: () => {}, error: () => {} };

function request(kind: 'view' | 'control', ttlMs = 60_000) {
  const now = Date.now();
  const envelope: RemoteEnvelope = {
    id: randomUUID(),
    deviceId: DEVICE,
    kind,
    tunnelToken: randomBytes(32).toString('base64url'),
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + ttlMs).toISOString(),
    requestedBy: { id: 7, name: 'Sam Rivera' },
    ticketId: 12,
  };
  return signRemoteRequest(envelope, privateKeyPem, signer);
}

/** Resolves when `check` holds (polled), or fails naming `what`. */
async function until<T>(what: string, check: () => T | null | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let vnc: Server;
let vncPort: number;
let vncClients: Socket[];
let desk: WebSocketServer;
let deskUrl: string;
/** Close codes the help desk saw on the device's tunnels, in order. */
let tunnelCloses: number[];
let tunnelsOpened: number;

beforeEach(async () => {
  vncClients = [];
  tunnelCloses = [];
  tunnelsOpened = 0;
  vnc = createServer((socket) => {
    vncClients.push(socket);
    socket.on('error', () => {});
    socket.write('RFB 003.008\n');
  });
  await new Promise<void>((r) => vnc.listen(0, '127.0.0.1', r));
  vncPort = (vnc.address() as { port: number }).port;
  desk = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (protocols.has(REMOTE_TUNNEL_PROTOCOL) ? REMOTE_TUNNEL_PROTOCOL : false),
  });
  await new Promise<void>((r) => desk.once('listening', r));
  desk.on('connection', (socket) => {
    tunnelsOpened += 1;
    socket.on('close', (code) => tunnelCloses.push(code));
  });
  deskUrl = `http://127.0.0.1:${(desk.address() as { port: number }).port}`;
});

afterEach(async () => {
  for (const socket of vncClients) socket.destroy();
  await new Promise((r) => vnc.close(r));
  for (const client of desk.clients) client.terminate();
  await new Promise((r) => desk.close(r));
});

function setup(policy: Partial<RemoteControlPolicy> = {}, canAsk = true) {
  const frames: RemoteFrame[] = [];
  const prompts: Array<RemoteSessionPrompt | null> = [];
  let vncStops = 0;
  let vncStarts = 0;
  const sessions = createRemoteSessions({
    deviceId: () => DEVICE,
    publicKey: () => publicKeyPem,
    deviceToken: () => 'device-token',
    serverUrl: () => deskUrl,
    policy: () => ({ consent: 'ask', vnc: { server: 'x11vnc', display: ':99' }, ...policy }),
    canAsk: () => canAsk,
    send: (frame) => (frames.push(frame), true),
    onPrompt: (prompt) => void prompts.push(prompt),
    logger: quiet,
    now: Date.now,
    startVnc: async () => {
      vncStarts += 1;
      return {
        host: '127.0.0.1',
        port: vncPort,
        password: 'pw-12345',
        stop: async () => void (vncStops += 1),
      };
    },
  });
  const statuses = () => frames.map((f) => f.status);
  return {
    sessions,
    frames,
    prompts,
    statuses,
    vncStops: () => vncStops,
    vncStarts: () => vncStarts,
    frame: (status: RemoteFrame['status']) => until(`a ${status} frame`, () => frames.find((f) => f.status === status)),
  };
}

describe('remote sessions with the employee asked', () => {
  it('Allow: the prompt says who, why and what; accepted with the password, the banner state, the tunnel open', async () => {
    const t = setup();
    const signed = request('view');
    t.sessions.receive(signed, 'Check the mail settings with you');
    await t.frame('awaiting-consent');
    expect(t.prompts.at(-1)).toEqual({
      sessionId: signed.envelope.id,
      kind: 'view',
      requestedBy: 'Sam Rivera',
      reason: 'Check the mail settings with you',
      ticketId: 12,
      expiresAt: signed.envelope.expiresAt,
      state: 'asking',
      stage: 'first',
      secondConsent: false,
      startedAt: null,
    });
    expect(t.vncStarts()).toBe(0); // nothing starts before the answer
    expect(t.sessions.stop(signed.envelope.id)).toBe(false); // a question is answered, not stopped

    expect(t.sessions.answer(signed.envelope.id, true, 'first')).toBe(true);
    const accepted = await t.frame('accepted');
    expect(accepted).toMatchObject({ consent: { by: 'employee' }, vncPassword: 'pw-12345' });
    const active = await until('the banner state', () => t.prompts.find((p) => p?.state === 'active'));
    expect(Date.parse(active.startedAt!)).toBeLessThanOrEqual(Date.now());
    await until('the tunnel at the help desk', () => tunnelsOpened === 1);
    await until('the tunnel piped to the VNC server', () => vncClients.length === 1);
    expect(t.sessions.current()?.state).toBe('active');
    // Answered already: a second answer is refused.
    expect(t.sessions.answer(signed.envelope.id, true, 'first')).toBe(false);
    await t.sessions.shutdown();
  });

  it('Deny: denied by the employee, nothing started, the prompt closes', async () => {
    const t = setup();
    const signed = request('control');
    t.sessions.receive(signed, undefined);
    await t.frame('awaiting-consent');
    expect(t.prompts.at(-1)).toMatchObject({ kind: 'control', reason: null, state: 'asking' });
    expect(t.sessions.answer(randomUUID(), false, 'first')).toBe(false);
    expect(t.sessions.answer(signed.envelope.id, false, 'first')).toBe(true);
    const denied = await t.frame('denied');
    expect(denied).toEqual({
      type: 'remote.update',
      sessionId: signed.envelope.id,
      status: 'denied',
      consent: { by: 'employee' },
    });
    expect(t.prompts.at(-1)).toBeNull();
    expect(t.vncStarts()).toBe(0);
    expect(tunnelsOpened).toBe(0);
    expect(t.sessions.current()).toBeNull();
  });

  it('no answer before the request expires: denied with that reason, the prompt closes, nothing started', async () => {
    const t = setup();
    const signed = request('view', 400);
    t.sessions.receive(signed, 'Quick look');
    await t.frame('awaiting-consent');
    const denied = await t.frame('denied');
    expect(denied).toMatchObject({ consent: { by: 'employee' }, reason: 'No answer before the request expired' });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(signed.envelope.expiresAt) - 5);
    expect(t.prompts.at(-1)).toBeNull();
    expect(t.vncStarts()).toBe(0);
    expect(t.sessions.answer(signed.envelope.id, true, 'first')).toBe(false);
  });

  it("the employee's Stop: the tunnel closes as theirs, the VNC server stops, ended by the employee", async () => {
    const t = setup();
    const signed = request('control');
    t.sessions.receive(signed, 'Fix the printer driver');
    await t.frame('awaiting-consent');
    t.sessions.answer(signed.envelope.id, true, 'first');
    await until('the tunnel piped to the VNC server', () => vncClients.length === 1 && tunnelsOpened === 1);
    expect(t.sessions.stop(randomUUID())).toBe(false);

    expect(t.sessions.stop(signed.envelope.id)).toBe(true);
    const ended = await t.frame('ended');
    expect(ended).toEqual({
      type: 'remote.update',
      sessionId: signed.envelope.id,
      status: 'ended',
      reason: 'stopped by the employee',
      endedBy: 'employee',
    });
    await until('the help desk to see the tunnel close', () => tunnelCloses.length === 1);
    expect(tunnelCloses).toEqual([REMOTE_CLOSE.stoppedByEmployee]);
    expect(t.vncStops()).toBe(1);
    expect(t.prompts.at(-1)).toBeNull();
    expect(t.sessions.current()).toBeNull();
    expect(t.statuses()).toEqual(['awaiting-consent', 'accepted', 'ended']);
  });

  it('the help desk ending it is not the employee: no endedBy, the normal close code', async () => {
    const t = setup({ consent: 'unattended' });
    const signed = request('view');
    t.sessions.receive(signed, undefined);
    await until('the tunnel', () => tunnelsOpened === 1 && vncClients.length === 1);
    t.sessions.stopped(signed.envelope.id, 'stopped by Sam Rivera');
    const ended = await t.frame('ended');
    expect(ended.endedBy).toBeUndefined();
    expect(ended.reason).toBe('the help desk ended it: stopped by Sam Rivera');
    await until('the close', () => tunnelCloses.length === 1);
    expect(tunnelCloses).toEqual([1000]);
  });
});

describe("IT's second consent for control", () => {
  it('control asks twice; the answer names its stage, so one click cannot answer both; consent says so', async () => {
    const t = setup({ controlNeedsSecondConsent: true });
    const signed = request('control');
    t.sessions.receive(signed, 'Fix the printer driver');
    await t.frame('awaiting-consent');
    expect(t.prompts.at(-1)).toMatchObject({ stage: 'first', secondConsent: true });
    // The confirmation cannot come first.
    expect(t.sessions.answer(signed.envelope.id, true, 'confirm')).toBe(false);
    expect(t.sessions.answer(signed.envelope.id, true, 'first')).toBe(true);
    expect(t.prompts.at(-1)).toMatchObject({ stage: 'confirm', state: 'asking' });
    // A second click on the first question's button: refused, still waiting.
    expect(t.sessions.answer(signed.envelope.id, true, 'first')).toBe(false);
    expect(t.vncStarts()).toBe(0);
    expect(t.frames.some((f) => f.status === 'accepted')).toBe(false);

    expect(t.sessions.answer(signed.envelope.id, true, 'confirm')).toBe(true);
    const accepted = await t.frame('accepted');
    expect(accepted.consent).toEqual({ by: 'employee', confirmedControl: true });
    await t.sessions.shutdown();
  });

  it('Deny at the second question denies; a view request asks once', async () => {
    const t = setup({ controlNeedsSecondConsent: true });
    const control = request('control');
    t.sessions.receive(control, undefined);
    await t.frame('awaiting-consent');
    t.sessions.answer(control.envelope.id, true, 'first');
    t.sessions.answer(control.envelope.id, false, 'confirm');
    await t.frame('denied');
    expect(t.vncStarts()).toBe(0);

    const view = request('view');
    t.sessions.receive(view, undefined);
    await until('the view prompt', () => t.prompts.at(-1)?.sessionId === view.envelope.id);
    expect(t.prompts.at(-1)).toMatchObject({ kind: 'view', secondConsent: false });
    t.sessions.answer(view.envelope.id, true, 'first');
    await until('accepted', () => t.frames.find((f) => f.sessionId === view.envelope.id && f.status === 'accepted'));
    await t.sessions.shutdown();
  });

  it('overrides an unattended policy for control; without a window, control is refused (no one to ask)', async () => {
    const withWindow = setup({ consent: 'unattended', controlNeedsSecondConsent: true });
    const control = request('control');
    withWindow.sessions.receive(control, undefined);
    await withWindow.frame('awaiting-consent');
    expect(withWindow.vncStarts()).toBe(0);
    withWindow.sessions.answer(control.envelope.id, false, 'first');
    await withWindow.frame('denied');

    const headless = setup({ consent: 'unattended', controlNeedsSecondConsent: true }, false);
    headless.sessions.receive(request('control'), undefined);
    const refused = await headless.frame('refused');
    expect(refused.reason).toMatch(/^no one to ask: IT's policy wants the employee's second consent for control/);
    // A view session stays unattended.
    headless.sessions.receive(request('view'), undefined);
    await headless.frame('accepted');
    await headless.sessions.shutdown();
  });
});

describe('the agent stops mid-way', () => {
  it('while x11vnc is starting: it is stopped once up, and no tunnel is opened', async () => {
    const t = setup({ consent: 'unattended' });
    let started: () => void = () => {};
    let stops = 0;
    const sessions = createRemoteSessions({
      deviceId: () => DEVICE,
      publicKey: () => publicKeyPem,
      deviceToken: () => 'device-token',
      serverUrl: () => deskUrl,
      policy: () => ({ consent: 'unattended', vnc: { server: 'x11vnc', display: ':99' } }),
      canAsk: () => false,
      send: (frame) => (t.frames.push(frame), true),
      onPrompt: () => {},
      logger: quiet,
      now: Date.now,
      startVnc: () =>
        new Promise((resolve) => {
          started = () =>
            resolve({ host: '127.0.0.1', port: vncPort, password: null, stop: async () => void (stops += 1) });
        }),
    });
    sessions.receive(request('view'), undefined);
    await until('x11vnc starting', () => sessions.current());
    await sessions.shutdown();
    started();
    await until('the late x11vnc stopped', () => stops === 1);
    expect(tunnelsOpened).toBe(0);
    expect(t.frames.map((f) => f.status)).toEqual(['ended']);
  });
});

describe('no one to ask', () => {
  it("the headless daemon with IT's ask: refused, no prompt, nothing started", async () => {
    const t = setup({ consent: 'ask' }, false);
    t.sessions.receive(request('view'), 'look');
    const refused = await t.frame('refused');
    expect(refused.reason).toBe('no one to ask: this agent runs without a window');
    expect(t.prompts).toEqual([]);
    expect(t.vncStarts()).toBe(0);
  });
});
