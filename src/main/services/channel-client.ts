import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import { CHANNEL_MAX_DOWN_FRAME_BYTES, CHANNEL_PROTOCOL, CLOSE } from '../../shared/channel/channel-limits';
import { SUPPORTED_AGENT_FEATURES } from '../../shared/channel/channel-features';
import { frame, parseDownFrame, type DownMessage, type UpMessage } from '../../shared/channel/messages';
import type { AgentLogger } from './agent-platform';
import type { Message } from './api-client';
import {
  afterClose,
  DEFAULT_CHANNEL_TIMING,
  channelUrl,
  describeOutcome,
  type ChannelState,
  type ChannelTiming,
  type Outcome,
  type RetryState,
} from './channel-policy';

export { channelUrl, DEFAULT_CHANNEL_TIMING, type ChannelState, type ChannelTiming } from './channel-policy';

/*
 * The agent's end of the live channel (src/shared/channel): one WebSocket to the help desk, opened with
 * the device token, which says hello with the agent's cursor, hands every frame the server sends to the
 * handlers (after checking it against the message table), answers pings, and reconnects with jittered
 * backoff when the connection ends or goes silent. Where the upgrade is refused by an HTTP answer (a
 * proxy) or keeps dying before `welcome`, it switches to 'long-poll' mode (the guidance service's long
 * poll carries replies) and tries the channel again every few minutes. The only module that loads `ws`;
 * its decisions (when to retry, when to fall back) are channel-policy.ts's pure functions.
 */

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
  /** A signed command for this device (verified by the command runner, not here) and the technician's reason. */
  onCommand?(command: unknown, reason: string | undefined): void;
  /** A signed remote-session request (verified by the remote sessions service, not here). */
  onRemoteRequest?(request: unknown, reason: string | undefined): void;
  /** The help desk ended a remote session. */
  onRemoteStop?(sessionId: string, reason: string): void;
  /** A screen-share session's signal from the help desk (checked against its schema). */
  onShareSignal?(message: DownMessage<'share.signal'>): void;
  /** Network monitoring's probe plan (`netmon.config`) and a stored batch (`netmon.ack`). */
  onNetmonConfig?(message: DownMessage<'netmon.config'>): void;
  onNetmonAck?(batchId: string): void;
  /** A technician asked for a bandwidth test now (`netmon.measure`). */
  onNetmonMeasure?(): void;
  /** The server refused the device token (close 4001 or HTTP 401): the client stops until start(). */
  onUnauthorized?(): void;
  onModeChange?(state: ChannelState): void;
}

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
  /** The server's clock minus this one (ms), measured at the last welcome; 0 before any. */
  skewMs(): number;
  /**
   * Sends ack, read or typing while live; answers whether it went. A read sent while not live is kept
   * (the latest per ticket) and sent after the next welcome; typing is throttled per ticket.
   */
  send(
    message: UpMessage<
      | 'ack'
      | 'read'
      | 'typing'
      | 'command.update'
      | 'command.output'
      | 'command.result'
      | 'remote.update'
      | 'share.signal'
      | 'netmon.batch'
    >,
  ): boolean;
}

interface Connection {
  ws: WebSocket;
  welcomed: boolean;
  done: boolean;
  idle: ReturnType<typeof setTimeout> | null;
  idleMs: number;
  /** Message frames are handled one after the other, in the order they came. */
  chain: Promise<void>;
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
  let retryState: RetryState = { mode: 'stopped', failures: 0, diedBeforeWelcome: 0, fallbackAttempts: 0 };
  /** The highest cursor handed to onMessages. */
  let handed = 0;
  const pendingReads = new Map<number, number>();
  let skew = 0;
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
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, CHANNEL_PROTOCOL, {
        headers: { authorization: `Bearer ${token}`, ...(deps.userAgent ? { 'user-agent': deps.userAgent } : {}) },
        handshakeTimeout: timing.handshakeTimeoutMs,
        maxPayload: CHANNEL_MAX_DOWN_FRAME_BYTES,
        perMessageDeflate: false,
        followRedirects: false,
      });
    } catch (error) {
      // A token with characters a header cannot carry, say: not something a retry soon would fix.
      logger.error('live channel: cannot open the connection', { error: String(error) });
      return schedule(timing.idleCheckMs);
    }
    const conn: Connection = {
      ws,
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
      heard(conn);
      ws.send(
        frame({
          type: 'hello',
          cursor: floor(),
          agentVersion: deps.agentVersion.slice(0, 64),
          features: [...SUPPORTED_AGENT_FEATURES],
        }),
      );
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
      // A newer server's frame this agent does not know: not a broken connection, nothing to do with it.
      if (parsed.reason === 'unknown-type')
        return void logger.warn('live channel: ignored a frame of a type this agent does not know', {
          detail: parsed.detail,
        });
      return finish(conn, { kind: 'bad-frame', detail: parsed.detail, code: CLOSE.protocolError });
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
      case 'command':
        return handlers.onCommand?.(message.command, message.reason);
      case 'remote.request':
        return handlers.onRemoteRequest?.(message.request, message.reason);
      case 'remote.stop':
        return handlers.onRemoteStop?.(message.sessionId, message.reason);
      case 'share.signal':
        return handlers.onShareSignal?.(message);
      case 'netmon.config':
        return handlers.onNetmonConfig?.(message);
      case 'netmon.ack':
        return handlers.onNetmonAck?.(message.batchId);
      case 'netmon.measure':
        return handlers.onNetmonMeasure?.();
    }
  }

  function welcomed(conn: Connection, message: DownMessage<'welcome'>): void {
    if (conn.welcomed) return;
    conn.welcomed = true;
    // The welcome left the server a moment ago: good to the link's latency, plenty for stamping samples.
    const serverMs = Date.parse(message.serverTime);
    if (Number.isFinite(serverMs)) skew = serverMs - now();
    // A server that pings less often than ours is given the silence its interval needs.
    conn.idleMs = Math.max(timing.idleTimeoutMs, 2 * message.pingIntervalMs);
    heard(conn);
    retryState = { mode: 'live', failures: 0, diedBeforeWelcome: 0, fallbackAttempts: 0 };
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
    else if (outcome.kind === 'stopped' && conn.ws.readyState === WebSocket.OPEN) {
      conn.ws.close(CLOSE.normal);
      // A server that does not answer the close does not keep a stopping agent alive (ws waits 30 s).
      const ws = conn.ws;
      setTimeout(() => ws.terminate(), 1000).unref?.();
    } else conn.ws.terminate();
    if (current === conn) current = null;
    if (outcome.kind !== 'stopped') next(conn, outcome);
  }

  /** Follows the policy's decision after a connection's end: stop, fall back, or retry later. */
  function next(conn: Connection, outcome: Outcome): void {
    if (!running) return;
    const decided = afterClose({ ...retryState, mode }, outcome, conn.welcomed, timing, random);
    retryState = decided.state;
    switch (decided.next.action) {
      case 'unauthorized':
        logger.warn('live channel: the server refused the device token');
        running = false;
        setMode('stopped');
        handlers.onUnauthorized?.();
        return;
      case 'fallback':
        if (mode !== 'long-poll')
          logger.warn('live channel unavailable; using the long poll', describeOutcome(outcome));
        setMode('long-poll');
        return schedule(decided.next.delayMs);
      case 'retry':
        logger.info('live channel closed; reconnecting', {
          ...describeOutcome(outcome),
          delayMs: decided.next.delayMs,
        });
        setMode('connecting');
        return schedule(decided.next.delayMs);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      setMode('connecting');
      retryState = { mode: 'connecting', failures: 0, diedBeforeWelcome: 0, fallbackAttempts: 0 };
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
    skewMs: () => skew,
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
