import type { SignatureVerifier } from '../../shared/actions/command-signing';
import { COMMAND_ERROR_MAX } from '../../shared/channel/channel-limits';
import type { DownMessage, UpMessage } from '../../shared/channel/messages';
import type { SharePrompt } from '../../shared/ipc/contract';
import { verifyRemoteRequest, type RemoteEnvelope } from '../../shared/remote/remote-signing';
import type { ShareToConsoleSignal, ShareToDeviceSignal } from '../../shared/remote/share-signals';
import { sanitizeMachineText } from '../../shared/text/unsafe-text';
import type { ShareOverlayMessage } from '../../shared/remote/share-overlay';
import type { AgentLogger } from './agent-platform';
import { ed25519Verifier } from './command-verifier';
import { createOverlayGate, type OverlayGate } from './share-overlay';

/*
 * The agent's side of a screen share (issue 13). The WebRTC peer itself lives in the window (the renderer
 * captures and offers); this service decides whether there is a share at all and carries its signaling:
 *
 *   remote.request (kind share): verify (pinned key, this device, validity, not seen before) → refused (why)
 *   IT's `remoteControl.consent`: refuse → refused; a share always asks the employee (they choose what to
 *     show), so without a window (the headless daemon) → refused "no one to ask"
 *   awaiting-consent → the window's prompt; Deny or expiry → denied; Allow (+ the screen or window chosen)
 *     → accepted {employee}; the prompt becomes the indicator with Stop
 *   share.signal from the help desk (start with the ICE servers, answer, candidates) → the window
 *   the window's offer and candidates → share.signal up, only for the share in progress
 *   the console's overlay messages (pointer, annotations; relayed by the window) → validated and rate-bounded
 *     (share-overlay.ts) → the host's overlay over the shared screen, only for the share in progress
 *   end: the employee's Stop, the help desk's remote.stop, or the agent stopping → remote.update ended
 *
 * One share at a time; no signal goes anywhere before the employee allowed it.
 */

export interface ShareSessionDeps {
  deviceId(): string | null;
  publicKey(): string | null;
  consent(): 'ask' | 'refuse' | 'unattended';
  canAsk(): boolean;
  send(frame: UpMessage<'remote.update' | 'share.signal'>): boolean;
  /** The window's prompt or indicator (null: nothing to show). */
  onSession(session: SharePrompt | null): void;
  /** A signal from the help desk for the window. */
  onSignal(sessionId: string, signal: ShareToDeviceSignal): void;
  /** The host's capture: the source the employee chose (Electron's display-media handler uses it). */
  chooseSource?(sourceId: string | null): void;
  /** The host's overlay over the shared screen: one validated message to draw (false: this host has none). */
  drawOverlay?(message: ShareOverlayMessage): boolean;
  logger: AgentLogger;
  now: () => number;
  verifier?: SignatureVerifier;
}

export interface ShareSessions {
  receive(request: unknown, reason: string | undefined): void;
  /** The help desk ended the session. */
  stopped(sessionId: string, reason: string): void;
  /** A `share.signal` frame from the help desk. */
  signalled(message: DownMessage<'share.signal'>): void;
  /** The employee's answer (false: no such prompt). */
  answer(sessionId: string, allow: boolean, sourceId: string | null): boolean;
  /** The window's offer or candidate (false: no share in progress with that id, or it did not go). */
  signal(sessionId: string, signal: ShareToConsoleSignal): boolean;
  /** One overlay message as the console sent it (false: not drawn: invalid, too fast, no share with that id). */
  overlay(sessionId: string, data: unknown): boolean;
  /** The employee (or the window) stops it (false: none with that id). */
  stop(sessionId: string, reason?: string): boolean;
  current(): SharePrompt | null;
  shutdown(): void;
}

interface Current {
  envelope: RemoteEnvelope;
  prompt: SharePrompt;
  timer: ReturnType<typeof setTimeout> | null;
  /** The overlay's gate, while the share is in progress. */
  gate: OverlayGate | null;
}

export function createShareSessions(deps: ShareSessionDeps): ShareSessions {
  const verifier = deps.verifier ?? ed25519Verifier;
  const { logger } = deps;
  const seen = new Map<string, number>();
  let current: Current | null = null;

  const update = (frame: Omit<UpMessage<'remote.update'>, 'type'>) =>
    deps.send({ type: 'remote.update', ...frame } as UpMessage<'remote.update'>);
  const refuse = (sessionId: string, reason: string) => {
    logger.warn('screen share refused', { sessionId, reason });
    update({ sessionId, status: 'refused', reason: sanitizeMachineText(reason).slice(0, COMMAND_ERROR_MAX) });
  };
  const show = () => deps.onSession(current?.prompt ?? null);

  function rememberSeen(id: string, until: number): boolean {
    const now = deps.now();
    for (const [key, at] of seen) if (at < now) seen.delete(key);
    if (seen.has(id)) return true;
    seen.set(id, until);
    return false;
  }

  function receive(request: unknown, reason: string | undefined): void {
    const claimed = claimedSessionId(request);
    const key = deps.publicKey();
    const deviceId = deps.deviceId();
    if (key === null || deviceId === null) {
      if (claimed) refuse(claimed, 'no-key: this computer has no pinned key for the help desk');
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
      if (verified.error.code === 'replayed') return;
      if (claimed) refuse(claimed, `${verified.error.code}: ${verified.error.message}`);
      return;
    }
    const envelope = verified.value;
    if (envelope.kind !== 'share') return refuse(envelope.id, 'not a screen share');
    if (current) return refuse(envelope.id, 'busy: another screen share is already in progress on this computer');
    if (deps.consent() === 'refuse') return refuse(envelope.id, "policy: IT's policy refuses remote sessions");
    if (!deps.canAsk()) return refuse(envelope.id, 'no one to ask: a screen share needs the employee at the window');
    const timer = setTimeout(
      () => {
        if (current?.envelope.id !== envelope.id || current.prompt.state !== 'asking') return;
        current = null;
        show();
        update({
          sessionId: envelope.id,
          status: 'denied',
          consent: { by: 'employee' },
          reason: 'No answer before the request expired',
        });
      },
      Math.max(0, Date.parse(envelope.expiresAt) - deps.now()),
    );
    timer.unref?.();
    current = {
      envelope,
      timer,
      gate: null,
      prompt: {
        sessionId: envelope.id,
        requestedBy: envelope.requestedBy.name,
        reason: reason ?? null,
        ticketId: envelope.ticketId,
        expiresAt: envelope.expiresAt,
        state: 'asking',
      },
    };
    update({ sessionId: envelope.id, status: 'awaiting-consent' });
    logger.info('screen share asked', { sessionId: envelope.id });
    show();
  }

  /** Ends the share in progress (once) and says so. */
  function end(reason: string): void {
    const ending = current;
    if (!ending) return;
    current = null;
    if (ending.timer) clearTimeout(ending.timer);
    deps.chooseSource?.(null);
    show();
    const dropped = ending.gate?.dropped();
    logger.info('screen share ended', { sessionId: ending.envelope.id, reason, overlayDropped: dropped });
    if (ending.prompt.state === 'asking') refuse(ending.envelope.id, reason);
    else
      update({
        sessionId: ending.envelope.id,
        status: 'ended',
        reason: sanitizeMachineText(reason).slice(0, COMMAND_ERROR_MAX),
      });
  }

  const active = (sessionId: string) => current?.envelope.id === sessionId && current.prompt.state === 'active';

  return {
    receive: (request, reason) => {
      try {
        receive(request, reason);
      } catch (error) {
        logger.error('screen share failed', { error: String(error) });
      }
    },
    stopped(sessionId, reason) {
      if (current?.envelope.id === sessionId) end(`the help desk ended it: ${reason}`);
    },
    signalled(message) {
      // Only the share the employee allowed hears the help desk; anything else is dropped.
      if (active(message.sessionId)) deps.onSignal(message.sessionId, message.signal);
      else logger.warn('screen share: a signal for no share in progress', { sessionId: message.sessionId });
    },
    answer(sessionId, allow, sourceId) {
      const c = current;
      if (!c || c.envelope.id !== sessionId || c.prompt.state !== 'asking') return false;
      if (c.timer) clearTimeout(c.timer);
      c.timer = null;
      if (!allow) {
        current = null;
        show();
        logger.info('screen share denied', { sessionId });
        update({ sessionId, status: 'denied', consent: { by: 'employee' } });
        return true;
      }
      deps.chooseSource?.(sourceId);
      c.prompt = { ...c.prompt, state: 'active' };
      c.gate = createOverlayGate({ now: deps.now });
      logger.info('screen share allowed', { sessionId });
      update({ sessionId, status: 'accepted', consent: { by: 'employee' } });
      show();
      return true;
    },
    signal(sessionId, signal) {
      if (!active(sessionId)) return false;
      return deps.send({ type: 'share.signal', sessionId, signal });
    },
    overlay(sessionId, data) {
      const gate = active(sessionId) ? current?.gate : null;
      if (!gate) return false;
      const message = gate.accept(data);
      if (!message) return false;
      return deps.drawOverlay?.(message) ?? false;
    },
    stop(sessionId, reason) {
      if (current?.envelope.id !== sessionId) return false;
      end(reason ?? 'the employee stopped it');
      return true;
    },
    current: () => current?.prompt ?? null,
    shutdown: () => end('the agent stopped'),
  };
}

function claimedSessionId(request: unknown): string | null {
  const id = ((request as { envelope?: { id?: unknown } } | null)?.envelope as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}
