import type { SignatureVerifier } from '../../shared/actions/command-signing';
import { COMMAND_ERROR_MAX } from '../../shared/channel/channel-limits';
import type { UpMessage } from '../../shared/channel/messages';
import type { RemoteSessionPrompt } from '../../shared/ipc/contract';
import { REMOTE_CLOSE } from '../../shared/remote/remote-limits';
import { verifyRemoteRequest, type RemoteEnvelope } from '../../shared/remote/remote-signing';
import { sanitizeMachineText } from '../../shared/text/unsafe-text';
import type { AgentLogger } from './agent-platform';
import { ed25519Verifier } from './command-verifier';
import { openRemoteTunnel, remoteTunnelUrl, type Tunnel } from './remote-tunnel';
import { startVncServer, type VncConfig, type VncEndpoint } from './vnc-server';

/*
 * The agent's side of remote control (issue 13). Each `remote.request` frame:
 *
 *   verify (signature with the pinned key, context deskside-remote/1, this device, validity, not seen before)
 *     └─ refused → remote.update refused (why); nothing starts
 *   consent: IT's policy `remoteControl.consent`
 *     ├─ refuse, or ask with no one to ask (the headless daemon) → refused
 *     ├─ ask → awaiting-consent, the prompt; Allow → accepted {employee}; Deny or expiry → denied
 *     │    with `controlNeedsSecondConsent`, a control request asks twice (stage first, then confirm: "they
 *     │    can use your mouse and keyboard"); control then never runs unattended
 *     └─ unattended (explicit in the managed config; kiosks and tests) → accepted {policy}
 *   start x11vnc (or take IT's existing server) → remote.update accepted with its one-time password
 *   open the tunnel (device token + the request's one-time token) and pipe it to the VNC server
 *   end: the tunnel closes, the help desk says remote.stop, the employee stops, or the agent stops →
 *        kill the x11vnc this started (its process group), remove its password file, remote.update ended
 *        (the employee's Stop: the tunnel closes with REMOTE_CLOSE.stoppedByEmployee and the update says
 *        endedBy employee, so the help desk records who ended it whichever arrives first)
 *
 * One session at a time: a second request while one runs is refused.
 */

export interface RemoteControlPolicy {
  consent: 'ask' | 'refuse' | 'unattended';
  vnc: VncConfig | null;
  /** Control needs a second, separate consent from the employee (never unattended). */
  controlNeedsSecondConsent?: boolean;
}

export type RemoteFrame = UpMessage<'remote.update'>;

/** What the window shows while a session waits for the employee (`asking`) or runs (`active`: banner, Stop). */
export type RemotePrompt = RemoteSessionPrompt;

export interface RemoteSessionDeps {
  deviceId(): string | null;
  publicKey(): string | null;
  deviceToken(): string | null;
  serverUrl(): string | null;
  policy(): RemoteControlPolicy;
  canAsk(): boolean;
  send(frame: RemoteFrame): boolean;
  onPrompt(prompt: RemotePrompt | null): void;
  logger: AgentLogger;
  now: () => number;
  env?: NodeJS.ProcessEnv;
  userAgent?: string;
  verifier?: SignatureVerifier;
  /** Starts the VNC server (tests may pass another implementation of the port). */
  startVnc?: typeof startVncServer;
}

export interface RemoteSessions {
  receive(request: unknown, reason: string | undefined): void;
  /** The help desk ended the session. */
  stopped(sessionId: string, reason: string): void;
  /**
   * The employee's answer to the question at `stage` (false: no such prompt, or another question is on
   * screen). With the second consent for control, Allow at `first` only moves the prompt to `confirm`.
   */
  answer(sessionId: string, allow: boolean, stage?: RemotePrompt['stage']): boolean;
  /** The employee stops the running session (false: none runs with that id). */
  stop(sessionId: string): boolean;
  /** The session now, if any. */
  current(): RemotePrompt | null;
  /** Ends everything (the agent stops). */
  shutdown(): Promise<void>;
}

interface Running {
  envelope: RemoteEnvelope;
  prompt: RemotePrompt;
  answer: ((allow: boolean | 'expired' | 'stopped') => void) | null;
  vnc: VncEndpoint | null;
  tunnel: Tunnel | null;
  ending: Promise<void> | null;
  stopReason: string | null;
  /** The employee pressed Stop. */
  stoppedByEmployee: boolean;
}

export function createRemoteSessions(deps: RemoteSessionDeps): RemoteSessions {
  const verifier = deps.verifier ?? ed25519Verifier;
  const startVnc = deps.startVnc ?? startVncServer;
  const { logger } = deps;
  const seen = new Map<string, number>();
  let running: Running | null = null;

  const update = (frame: Omit<RemoteFrame, 'type'>) => deps.send({ type: 'remote.update', ...frame } as RemoteFrame);
  const refuse = (sessionId: string, reason: string) => {
    logger.warn('remote session refused', { sessionId, reason });
    update({ sessionId, status: 'refused', reason: sanitizeMachineText(reason).slice(0, COMMAND_ERROR_MAX) });
  };

  function rememberSeen(id: string, until: number): boolean {
    const now = deps.now();
    for (const [key, at] of seen) if (at < now) seen.delete(key);
    if (seen.has(id)) return true;
    seen.set(id, until);
    return false;
  }

  async function handle(request: unknown, reason: string | undefined): Promise<void> {
    const claimedId = claimedSessionId(request);
    const key = deps.publicKey();
    const deviceId = deps.deviceId();
    if (key === null || deviceId === null) {
      if (claimedId) refuse(claimedId, 'no-key: this computer has no pinned key for the help desk');
      return;
    }
    const verified = verifyRemoteRequest(request, {
      publicKeyPem: key,
      deviceId,
      now: deps.now(),
      verifier,
      seen: rememberSeen,
    });
    if (!verified.ok) {
      // The same request delivered again (a reconnect) is already being handled: nothing more to say.
      if (verified.error.code === 'replayed') return;
      if (claimedId) refuse(claimedId, `${verified.error.code}: ${verified.error.message}`);
      return;
    }
    const { kind, ...rest } = verified.value;
    // A screen share is share-session.service.ts's (agent-core routes it there); never a VNC server.
    if (kind === 'share') return refuse(rest.id, 'share: a screen share is not a VNC session');
    const envelope = { ...rest, kind };
    if (running) return refuse(envelope.id, 'busy: another remote session is already running on this computer');
    const policy = deps.policy();
    if (policy.consent === 'refuse') return refuse(envelope.id, "policy: IT's policy refuses remote sessions");
    if (!policy.vnc) return refuse(envelope.id, 'no VNC server: IT has not configured one for this computer');
    const secondConsent = envelope.kind === 'control' && policy.controlNeedsSecondConsent === true;
    const session: Running = {
      envelope,
      prompt: {
        sessionId: envelope.id,
        kind: envelope.kind,
        requestedBy: envelope.requestedBy.name,
        reason: reason ?? null,
        ticketId: envelope.ticketId,
        expiresAt: envelope.expiresAt,
        state: 'asking',
        stage: 'first',
        secondConsent,
        startedAt: null,
      },
      answer: null,
      vnc: null,
      tunnel: null,
      ending: null,
      stopReason: null,
      stoppedByEmployee: false,
    };
    let consent: { by: 'employee' | 'policy'; confirmedControl?: true };
    // IT's second consent for control is the employee's: it overrides an unattended policy.
    if (policy.consent === 'ask' || secondConsent) {
      if (!deps.canAsk())
        return refuse(
          envelope.id,
          policy.consent === 'ask'
            ? 'no one to ask: this agent runs without a window'
            : "no one to ask: IT's policy wants the employee's second consent for control, and this agent runs without a window",
        );
      running = session;
      update({ sessionId: envelope.id, status: 'awaiting-consent' });
      const answer = await ask(session);
      if (answer !== true) {
        running = null;
        deps.onPrompt(null);
        if (answer === 'stopped')
          return refuse(envelope.id, session.stopReason ?? 'stopped before the employee answered');
        logger.info('remote session denied', {
          sessionId: envelope.id,
          by: answer === 'expired' ? 'expiry' : 'employee',
        });
        update({
          sessionId: envelope.id,
          status: 'denied',
          consent: { by: 'employee' },
          ...(answer === 'expired' ? { reason: 'No answer before the request expired' } : {}),
        });
        return;
      }
      consent = secondConsent ? { by: 'employee', confirmedControl: true } : { by: 'employee' };
    } else {
      running = session;
      consent = { by: 'policy' };
    }
    await begin(session, policy.vnc, consent);
  }

  function ask(session: Running): Promise<boolean | 'expired' | 'stopped'> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => settle('expired'),
        Math.max(0, Date.parse(session.envelope.expiresAt) - deps.now()),
      );
      timer.unref?.();
      function settle(answer: boolean | 'expired' | 'stopped') {
        if (!session.answer) return;
        session.answer = null;
        clearTimeout(timer);
        resolve(answer);
      }
      session.answer = settle;
      deps.onPrompt(session.prompt);
    });
  }

  async function begin(
    session: Running,
    vncConfig: VncConfig,
    consent: { by: 'employee' | 'policy'; confirmedControl?: true },
  ): Promise<void> {
    const { envelope } = session;
    try {
      session.vnc = await startVnc(vncConfig, envelope.kind, { env: deps.env, logger });
    } catch (error) {
      running = null;
      deps.onPrompt(null);
      return refuse(envelope.id, `vnc: ${(error as Error).message}`);
    }
    // The agent stopped while x11vnc was starting: end() already ran without it, so stop it here.
    if (session.ending) return void (await session.vnc.stop().catch(() => {}));
    if (session.stopReason !== null) return end(session, session.stopReason);
    update({
      sessionId: envelope.id,
      status: 'accepted',
      consent,
      ...(session.vnc.password ? { vncPassword: session.vnc.password } : {}),
    });
    session.prompt = { ...session.prompt, state: 'active', startedAt: new Date(deps.now()).toISOString() };
    deps.onPrompt(session.prompt);
    logger.info('remote session accepted', { sessionId: envelope.id, kind: envelope.kind, consent: consent.by });
    const base = deps.serverUrl();
    const token = deps.deviceToken();
    const url = base ? remoteTunnelUrl(base, envelope.id) : null;
    if (!url || !token) return end(session, 'the help desk is not configured');
    try {
      session.tunnel = await openRemoteTunnel({
        url,
        deviceToken: token,
        sessionToken: envelope.tunnelToken,
        vnc: session.vnc,
        userAgent: deps.userAgent,
      });
    } catch (error) {
      return end(session, (error as Error).message);
    }
    // Ended while the tunnel was opening: close it too (end() ran before it existed).
    if (session.ending) return session.tunnel.close(session.stopReason ?? 'the session ended');
    if (session.stopReason !== null) return end(session, session.stopReason);
    const why = await session.tunnel.closed;
    await end(session, session.stopReason ?? why);
  }

  /** Stops the tunnel and the VNC server (once), then says the session ended. */
  function end(session: Running, reason: string): Promise<void> {
    session.ending ??= (async () => {
      session.tunnel?.close(reason, session.stoppedByEmployee ? REMOTE_CLOSE.stoppedByEmployee : undefined);
      await session.vnc
        ?.stop()
        .catch((error: unknown) =>
          logger.warn('remote session: could not stop the VNC server', { error: String(error) }),
        );
      if (running === session) running = null;
      deps.onPrompt(null);
      logger.info('remote session ended', { sessionId: session.envelope.id, reason });
      update({
        sessionId: session.envelope.id,
        status: 'ended',
        reason: sanitizeMachineText(reason).slice(0, COMMAND_ERROR_MAX),
        ...(session.stoppedByEmployee ? { endedBy: 'employee' as const } : {}),
      });
    })();
    return session.ending;
  }

  function stopSession(sessionId: string, reason: string, byEmployee = false): boolean {
    const session = running;
    if (!session || session.envelope.id !== sessionId) return false;
    if (session.stopReason === null && byEmployee) session.stoppedByEmployee = true;
    session.stopReason ??= reason;
    if (session.answer) session.answer('stopped');
    else if (session.tunnel) void end(session, reason);
    // Still starting: begin() ends it once the VNC server or the tunnel is up.
    return true;
  }

  let chain: Promise<void> = Promise.resolve();
  return {
    receive(request, reason) {
      // Verification in order; a session then runs on its own, so a second request is answered at once (busy).
      chain = chain.then(() => {
        void handle(request, reason).catch((error: unknown) =>
          logger.error('remote session failed', { error: String(error) }),
        );
      });
    },
    stopped: (sessionId, reason) => void stopSession(sessionId, `the help desk ended it: ${reason}`),
    answer(sessionId, allow, stage = 'first') {
      const session = running;
      if (!session?.answer || session.envelope.id !== sessionId || session.prompt.stage !== stage) return false;
      if (allow && stage === 'first' && session.prompt.secondConsent) {
        // The second, separate question: control, in its own words.
        session.prompt = { ...session.prompt, stage: 'confirm' };
        deps.onPrompt(session.prompt);
        return true;
      }
      session.answer(allow);
      return true;
    },
    // Only a running session (the banner's Stop); a request on screen is answered with Deny.
    stop: (sessionId) => running?.prompt.state === 'active' && stopSession(sessionId, 'stopped by the employee', true),
    current: () => running?.prompt ?? null,
    async shutdown() {
      const session = running;
      if (!session) return;
      session.stopReason ??= 'the agent stopped';
      session.answer?.('stopped');
      await end(session, session.stopReason);
    },
  };
}

function claimedSessionId(request: unknown): string | null {
  const id = ((request as { envelope?: { id?: unknown } } | null)?.envelope as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}
