import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import {
  CHANNEL_IDLE_TIMEOUT_MS,
  CHANNEL_MAX_FRAME_BYTES,
  CHANNEL_PATH,
  CHANNEL_PROTOCOL,
  CLOSE,
} from '../../shared/channel/channel-limits';
import { frame, parseDownFrame, type DownMessage, type UpMessage } from '../../shared/channel/messages';
import type { AgentLogger } from './agent-platform';
import type { Message } from './api-client';
import { backoffDelay, type BackoffPolicy } from './backoff';

/*
 * The agent's end of the live channel (src/shared/channel): one WebSocket to the help desk, opened with
 * the device token, which says hello with the agent's cursor, hands every frame the server sends to the
 * handlers (after checking it against the message table), answers pings, and reconnects with jittered
 * backoff when the connection ends or goes silent. Where the upgrade is refused by an HTTP answer (a
 * proxy) or keeps dying before `welcome`, it switches to 'long-poll' mode (the guidance service's long
 * poll carries replies) and tries the channel again every few minutes. The only module that loads `ws`.
 */

/** 'long-poll': the channel is unusable from here for now; the long poll carries replies. */
export type ChannelState = 'connecting' | 'live' | 'long-poll' | 'stopped';

export type Presence = Omit<DownMessage<'presence'>, 'type'>;

export interface ChannelHandlers {
  /**
   * New staff and system messages (ids above every cursor handed over before), oldest first, and the
   * server's cursor. The client acknowledges the cursor once this resolves; if it throws, the client
   * reconnects and the server sends the messages again.
   */
  onMessages(messages: Message[], cursor: number): Promise<void>;
  onContentChanged?(kind: DownMessage<'content.changed'>['kind']): void;
  onTicketChanged?(ticketId: number): void;
  onPresence?(presence: Presence): void;
  /** The server refused the device token (close 4001 or HTTP 401): the client stops until start(). */
  onUnauthorized?(): void;
  onModeChange?(state: ChannelState): void;
}

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

export interface ChannelClientDeps {
  /** The help desk's base URL (http or https, maybe with a path prefix); null = not configured. */
  serverUrl(): string | null;
  /** The device token; null = not enrolled. */
  token(): string | null;
  /** The highest message id the agent has stored (sent in hello; nothing at or below it is delivered). */
  cursor(): number;
  agentVersion: string;
  userAgent?: string;
  logger: AgentLogger;
  handlers: ChannelHandlers;
  timing?: Partial<ChannelTiming>;
  now?: () => number;
  /** [0, 1), for jitter. */
  random?: () => number;
  /** The waits before a reconnect (tests record them); the global timers by default. */
  timers?: RetryTimers;
}

export interface RetryTimers {
  set(run: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

const globalTimers: RetryTimers = {
  set(run, delayMs) {
    const timer = setTimeout(run, delayMs);
    timer.unref?.();
    return timer;
  },
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface ChannelClient {
  start(): void;
  stop(): void;
  /** Connects now if waiting to retry (the server is reachable again, the device enrolled). */
  wake(): void;
  state(): ChannelState;
  /**
   * Sends ack, read or typing while live; answers whether it went. A read sent while not live is kept
   * (the latest per ticket) and sent after the next welcome; typing is throttled per ticket.
   */
  send(message: UpMessage<'ack' | 'read' | 'typing'>): boolean;
}

/** What ended a connection. */
type Outcome =
  | { kind: 'closed'; code: number; reason: string }
  | { kind: 'refused'; status: number; retryAfterMs: number | null }
  | { kind: 'error'; error: Error }
  | { kind: 'silent' }
  | { kind: 'bad-frame'; detail: string; code: number }
  | { kind: 'handler-failed'; error: unknown }
  | { kind: 'stopped' };

interface Connection {
  ws: WebSocket;
  opened: boolean;
  welcomed: boolean;
  done: boolean;
  idle: ReturnType<typeof setTimeout> | null;
  idleMs: number;
  /** Message frames are handled one after the other, in the order they came. */
  chain: Promise<void>;
}

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

/** Builds the client; nothing connects until start(). */
export function createChannelClient(deps: ChannelClientDeps): ChannelClient {
  const timing = { ...DEFAULT_CHANNEL_TIMING, ...deps.timing };
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const { logger, handlers } = deps;
  let mode: ChannelState = 'stopped';
  let running = false;
  let current: Connection | null = null;
  const timers = deps.timers ?? globalTimers;
  let retry: unknown = null;
  /** Failed connections since the last welcome (backoff step). */
  let failures = 0;
  /** Connections in a row that died after the upgrade but before welcome. */
  let diedBeforeWelcome = 0;
  let fallbackAttempts = 0;
  /** The highest cursor handed to onMessages. */
  let handed = 0;
  const pendingReads = new Map<number, number>();
  const lastTyping = new Map<number, number>();

  const setMode = (next: ChannelState) => {
    if (mode === next) return;
    mode = next;
    handlers.onModeChange?.(next);
  };
  const floor = () => Math.max(handed, deps.cursor());

  function schedule(delayMs: number): void {
    if (retry !== null) timers.clear(retry);
    retry = timers.set(() => {
      retry = null;
      connect();
    }, delayMs);
  }

  function connect(): void {
    if (!running || current) return;
    const base = deps.serverUrl();
    const token = deps.token();
    if (!base || !token) return schedule(timing.idleCheckMs);
    const url = channelUrl(base);
    if (!url) {
      logger.warn('live channel: the server URL is not http(s); using the long poll', { serverUrl: base });
      return setMode('long-poll');
    }
    const ws = new WebSocket(url, CHANNEL_PROTOCOL, {
      headers: { authorization: `Bearer ${token}`, ...(deps.userAgent ? { 'user-agent': deps.userAgent } : {}) },
      handshakeTimeout: timing.handshakeTimeoutMs,
      maxPayload: CHANNEL_MAX_FRAME_BYTES,
      perMessageDeflate: false,
      followRedirects: false,
    });
    const conn: Connection = {
      ws,
      opened: false,
      welcomed: false,
      done: false,
      idle: null,
      idleMs: timing.idleTimeoutMs,
      chain: Promise.resolve(),
    };
    current = conn;
    ws.on('unexpected-response', (_request, response: IncomingMessage) => {
      const header = Number(response.headers['retry-after']);
      response.resume();
      finish(conn, {
        kind: 'refused',
        status: response.statusCode ?? 0,
        retryAfterMs: Number.isFinite(header) && header >= 0 ? header * 1000 : null,
      });
    });
    ws.on('open', () => {
      conn.opened = true;
      heard(conn);
      ws.send(frame({ type: 'hello', cursor: floor(), agentVersion: deps.agentVersion.slice(0, 64) }));
    });
    ws.on('ping', () => heard(conn));
    ws.on('message', (data, isBinary) => onFrame(conn, data, isBinary));
    ws.on('error', (error) => finish(conn, { kind: 'error', error }));
    ws.on('close', (code, reason) => finish(conn, { kind: 'closed', code, reason: reason.toString() }));
  }

  function heard(conn: Connection): void {
    if (conn.idle) clearTimeout(conn.idle);
    conn.idle = setTimeout(() => finish(conn, { kind: 'silent' }), conn.idleMs);
    conn.idle.unref?.();
  }

  function onFrame(conn: Connection, data: WebSocket.RawData, isBinary: boolean): void {
    if (conn.done) return;
    heard(conn);
    if (isBinary) return finish(conn, { kind: 'bad-frame', detail: 'binary frame', code: CLOSE.protocolError });
    const text = Buffer.isBuffer(data)
      ? data.toString()
      : Array.isArray(data)
        ? Buffer.concat(data).toString()
        : Buffer.from(data).toString();
    const parsed = parseDownFrame(text);
    if (!parsed.ok) {
      const code = parsed.reason === 'unknown-type' ? CLOSE.unknownType : CLOSE.protocolError;
      return finish(conn, { kind: 'bad-frame', detail: parsed.detail, code });
    }
    const message = parsed.message;
    if (!conn.welcomed && message.type !== 'welcome' && message.type !== 'ping')
      return finish(conn, { kind: 'bad-frame', detail: `${message.type} before welcome`, code: CLOSE.protocolError });
    switch (message.type) {
      case 'welcome':
        return welcomed(conn, message);
      case 'ping':
        return void conn.ws.send(frame({ type: 'pong', t: message.t }));
      case 'messages':
        conn.chain = conn.chain.then(() => deliver(conn, message));
        return;
      case 'ticket.changed':
        return handlers.onTicketChanged?.(message.ticketId);
      case 'content.changed':
        return handlers.onContentChanged?.(message.kind);
      case 'presence':
        return handlers.onPresence?.({ ticketId: message.ticketId, staff: message.staff, typing: message.typing });
    }
  }

  function welcomed(conn: Connection, message: DownMessage<'welcome'>): void {
    if (conn.welcomed) return;
    conn.welcomed = true;
    // A server that pings less often than ours is given the silence its interval needs.
    conn.idleMs = Math.max(timing.idleTimeoutMs, 2 * message.pingIntervalMs);
    heard(conn);
    failures = 0;
    diedBeforeWelcome = 0;
    fallbackAttempts = 0;
    logger.info('live channel connected', { deviceId: message.deviceId });
    setMode('live');
    for (const [ticketId, messageId] of pendingReads) conn.ws.send(frame({ type: 'read', ticketId, messageId }));
    pendingReads.clear();
  }

  async function deliver(conn: Connection, message: DownMessage<'messages'>): Promise<void> {
    if (conn.done) return;
    const below = floor();
    // Ids at or below what was handed over already are never delivered again (a server may resend them).
    const fresh = message.messages.filter((m) => m.id > below);
    if (fresh.length > 0 || message.cursor > below) {
      try {
        await handlers.onMessages(fresh, message.cursor);
      } catch (error) {
        return finish(conn, { kind: 'handler-failed', error });
      }
      handed = Math.max(handed, message.cursor, ...fresh.map((m) => m.id));
    }
    if (!conn.done && conn.ws.readyState === WebSocket.OPEN) conn.ws.send(frame({ type: 'ack', cursor: floor() }));
  }

  function finish(conn: Connection, outcome: Outcome): void {
    if (conn.done) return;
    conn.done = true;
    if (conn.idle) clearTimeout(conn.idle);
    conn.ws.removeAllListeners();
    conn.ws.on('error', () => {}); // late socket errors of a connection given up
    if (outcome.kind === 'closed') conn.ws.terminate();
    else if (outcome.kind === 'bad-frame' && conn.ws.readyState === WebSocket.OPEN)
      conn.ws.close(outcome.code, Buffer.from(outcome.detail).subarray(0, 120).toString()); // ≤ 123 bytes
    else if (outcome.kind === 'stopped' && conn.ws.readyState === WebSocket.OPEN) conn.ws.close(CLOSE.normal);
    else conn.ws.terminate();
    if (current === conn) current = null;
    if (outcome.kind !== 'stopped') next(conn, outcome);
  }

  /** Decides what follows a connection's end: retry when, fall back, or stop. */
  function next(conn: Connection, outcome: Outcome): void {
    if (!running) return;
    const code = outcome.kind === 'closed' ? outcome.code : null;
    if (code === CLOSE.unauthorized || (outcome.kind === 'refused' && outcome.status === 401)) {
      logger.warn('live channel: the server refused the device token');
      running = false;
      setMode('stopped');
      handlers.onUnauthorized?.();
      return;
    }
    logger.info('live channel closed', describe(outcome));
    if (outcome.kind === 'refused' && !BUSY.has(outcome.status)) return fallBack();
    const wasLive = conn.welcomed;
    failures = wasLive ? 1 : failures + 1;
    const unreachable =
      outcome.kind === 'error' && UNREACHABLE.has((outcome.error as NodeJS.ErrnoException).code ?? '');
    const serverSaysWait = code === CLOSE.tryAgainLater || code === CLOSE.goingAway || outcome.kind === 'refused';
    if (wasLive) diedBeforeWelcome = 0;
    else if (!unreachable && !serverSaysWait) diedBeforeWelcome++;
    if (mode === 'long-poll') return fallBack();
    if (diedBeforeWelcome >= timing.failuresBeforeFallback) return fallBack();
    setMode('connecting');
    schedule(retryDelay(outcome));
  }

  function retryDelay(outcome: Outcome): number {
    const serverDelay =
      outcome.kind === 'closed' && outcome.code === CLOSE.tryAgainLater
        ? Number.parseInt(outcome.reason, 10)
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

  function fallBack(): void {
    fallbackAttempts++;
    if (mode !== 'long-poll') logger.warn('live channel unavailable; using the long poll and retrying later');
    setMode('long-poll');
    schedule(backoffDelay(fallbackAttempts, timing.fallbackRetry, random));
  }

  return {
    start() {
      if (running) return;
      running = true;
      setMode('connecting');
      failures = 0;
      diedBeforeWelcome = 0;
      connect();
    },
    stop() {
      running = false;
      if (retry !== null) timers.clear(retry);
      retry = null;
      if (current) finish(current, { kind: 'stopped' });
      setMode('stopped');
    },
    wake() {
      if (!running || current) return;
      if (retry !== null) timers.clear(retry);
      retry = null;
      connect();
    },
    state: () => mode,
    send(message) {
      const conn = current;
      const live = conn !== null && conn.welcomed && !conn.done && conn.ws.readyState === WebSocket.OPEN;
      if (message.type === 'read' && !live) {
        pendingReads.set(message.ticketId, Math.max(pendingReads.get(message.ticketId) ?? 0, message.messageId));
        return false;
      }
      if (!live) return false;
      if (message.type === 'typing') {
        const t = now();
        const last = lastTyping.get(message.ticketId);
        if (last !== undefined && t - last < timing.typingIntervalMs) return false;
        if (lastTyping.size > 100) lastTyping.clear();
        lastTyping.set(message.ticketId, t);
      }
      conn.ws.send(frame(message));
      return true;
    },
  };
}

function describe(outcome: Outcome): Record<string, unknown> {
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
