import { CHANNEL_IDLE_TIMEOUT_MS, CHANNEL_PATH, CLOSE } from '../../shared/channel/channel-limits';
import { backoffDelay, type BackoffPolicy } from './backoff';

/*
 * The live channel's decisions as pure functions (channel-client.ts is the shell that opens sockets):
 * where the channel is, and what follows the end of a connection — reconnect after how long, fall back
 * to the long poll, or stop because the token was refused.
 */

/** 'long-poll': the channel is unusable from here for now; the long poll carries replies. */
export type ChannelState = 'connecting' | 'live' | 'long-poll' | 'stopped';

export interface ChannelTiming {
  /** Silence after which the connection is taken for dead. */
  idleTimeoutMs: number;
  /** Longest wait for the upgrade's answer. */
  handshakeTimeoutMs: number;
  /** Reconnects in 'connecting' mode. */
  reconnect: BackoffPolicy;
  /** Channel retries in 'long-poll' mode. */
  fallbackRetry: BackoffPolicy;
  /** Connections in a row that die before welcome before the client falls back to the long poll. */
  failuresBeforeFallback: number;
  /** After 1001 (server restart) the reconnect is spread over this window, so a fleet does not return at once. */
  goingAwaySpreadMs: number;
  /** Longest wait a 1013 reason (or Retry-After) is believed for. */
  maxServerDelayMs: number;
  /** At most one typing frame per ticket per this interval. */
  typingIntervalMs: number;
  /** Without a server URL or a token, check again after this (wake() checks at once). */
  idleCheckMs: number;
}

export const DEFAULT_CHANNEL_TIMING: ChannelTiming = {
  idleTimeoutMs: CHANNEL_IDLE_TIMEOUT_MS,
  handshakeTimeoutMs: 15_000,
  reconnect: { baseMs: 1000, maxMs: 60_000, jitter: 0.5 },
  fallbackRetry: { baseMs: 30_000, maxMs: 5 * 60_000, jitter: 0.5 },
  failuresBeforeFallback: 3,
  goingAwaySpreadMs: 15_000,
  maxServerDelayMs: 10 * 60_000,
  typingIntervalMs: 3000,
  idleCheckMs: 30_000,
};

/** What ended a connection. */
export type Outcome =
  | { kind: 'closed'; code: number; reason: string }
  | { kind: 'refused'; status: number; retryAfterMs: number | null }
  | { kind: 'error'; error: Error & { code?: string } }
  | { kind: 'silent' }
  | { kind: 'bad-frame'; detail: string; code: number }
  | { kind: 'handler-failed'; error: unknown }
  | { kind: 'stopped' };

/** The counters the decisions read and advance. */
export interface RetryState {
  mode: ChannelState;
  /** Failed connections since the last welcome (the backoff step). */
  failures: number;
  /** Connections in a row that died before welcome, the server's own "wait" and unreachable aside. */
  diedBeforeWelcome: number;
  /** Retries in long-poll mode (their backoff step). */
  fallbackAttempts: number;
}

export type Next =
  { action: 'unauthorized' } | { action: 'fallback'; delayMs: number } | { action: 'retry'; delayMs: number };

/** Errors that mean the server cannot be reached at all (the long poll would fail too), not a blocking proxy. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Upgrade answers that mean "busy, come back": retried, not a reason to fall back. */
const BUSY = new Set([429, 503]);

/** The channel's URL under the server's base URL (which may carry a path prefix); null if not http(s). */
export function channelUrl(serverUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(CHANNEL_PATH.slice(1), serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * What follows the end of a connection (`wasLive`: it had been welcomed), and the counters after it.
 * 4001 or HTTP 401: the token was refused. Another HTTP answer to the upgrade (a proxy), or
 * `failuresBeforeFallback` deaths before welcome: the long poll, retrying the channel on its own
 * backoff. Otherwise reconnect: after 1013's delay (or Retry-After) plus up to half again, spread over
 * a window after 1001, or on the reconnect backoff.
 */
export function afterClose(
  state: RetryState,
  outcome: Outcome,
  wasLive: boolean,
  timing: ChannelTiming,
  random: () => number,
): { next: Next; state: RetryState } {
  const code = outcome.kind === 'closed' ? outcome.code : null;
  if (code === CLOSE.unauthorized || (outcome.kind === 'refused' && outcome.status === 401))
    return { next: { action: 'unauthorized' }, state: { ...state, mode: 'stopped' } };
  const fallBack = (s: RetryState) => {
    const fallbackAttempts = s.fallbackAttempts + 1;
    return {
      next: { action: 'fallback', delayMs: backoffDelay(fallbackAttempts, timing.fallbackRetry, random) } as const,
      state: { ...s, mode: 'long-poll' as const, fallbackAttempts },
    };
  };
  if (outcome.kind === 'refused' && !BUSY.has(outcome.status)) return fallBack(state);
  const unreachable = outcome.kind === 'error' && UNREACHABLE.has(outcome.error.code ?? '');
  const serverSaysWait = code === CLOSE.tryAgainLater || code === CLOSE.goingAway || outcome.kind === 'refused';
  const next: RetryState = {
    ...state,
    failures: wasLive ? 1 : state.failures + 1,
    diedBeforeWelcome: wasLive ? 0 : state.diedBeforeWelcome + (unreachable || serverSaysWait ? 0 : 1),
  };
  if (state.mode === 'long-poll' || next.diedBeforeWelcome >= timing.failuresBeforeFallback) return fallBack(next);
  return {
    next: { action: 'retry', delayMs: retryDelay(outcome, next.failures, timing, random) },
    state: { ...next, mode: 'connecting' },
  };
}

function retryDelay(outcome: Outcome, failures: number, timing: ChannelTiming, random: () => number): number {
  const serverDelay =
    outcome.kind === 'closed' && outcome.code === CLOSE.tryAgainLater
      ? Number(outcome.reason.trim() || Number.NaN)
      : outcome.kind === 'refused'
        ? (outcome.retryAfterMs ?? Number.NaN)
        : Number.NaN;
  if (Number.isFinite(serverDelay) && serverDelay >= 0) {
    const wait = Math.min(serverDelay, timing.maxServerDelayMs);
    return Math.round(wait + wait * 0.5 * random());
  }
  if (outcome.kind === 'closed' && outcome.code === CLOSE.goingAway)
    return Math.round(timing.reconnect.baseMs / 2 + timing.goingAwaySpreadMs * random());
  return backoffDelay(failures, timing.reconnect, random);
}

/** An outcome for the log. */
export function describeOutcome(outcome: Outcome): Record<string, unknown> {
  switch (outcome.kind) {
    case 'closed':
      return { code: outcome.code, reason: outcome.reason.slice(0, 120) };
    case 'refused':
      return { status: outcome.status };
    case 'error':
      return { error: outcome.error.message };
    case 'bad-frame':
      return { badFrame: outcome.detail };
    case 'handler-failed':
      return { handlerFailed: String(outcome.error) };
    case 'silent':
      return { silent: true };
    case 'stopped':
      return {};
  }
}
