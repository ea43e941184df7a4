import type { RawData, WebSocket } from 'ws';
import {
  REMOTE_BUFFER_HIGH_BYTES,
  REMOTE_BUFFER_LOW_BYTES,
  REMOTE_CLOSE,
  REMOTE_IDLE_TIMEOUT_MS,
  REMOTE_MAX_DURATION_MS,
  REMOTE_MAX_FRAME_BYTES,
  REMOTE_TUNNEL_CONTROL,
  parseRemoteTunnelControl,
  remoteTunnelControlFrame,
} from '../../shared/remote/remote-limits';
import type { ServerContext } from '../context';
import type { ServerEvent } from '../events/event-bus';
import {
  endRemoteSession,
  markRemoteStarted,
  REMOTE_STOPPED_BY_EMPLOYEE,
  type RemoteEndActor,
} from './remote-sessions.service';
import { transitionRemoteSession } from './remote-sessions.repo';

/*
 * The byte relay between a session's two tunnels in this server process: the device's (its agent pipes its
 * local VNC server into it) and the console's (noVNC). Bytes are passed through untouched, binary frame for
 * binary frame; the relay never parses RFB. Each tunnel is paused until the other is there, and a side whose
 * reader lags by more than REMOTE_BUFFER_HIGH_BYTES stops being read until it drains (backpressure). The
 * session ends, and both tunnels close, when the device's closes, when a technician or the device stops it (the
 * bus's `remote` stop, from any process), after REMOTE_IDLE_TIMEOUT_MS without a byte, after
 * REMOTE_MAX_DURATION_MS, or when the other side has not joined within the wait.
 *
 * The console may come back (a reload, a network blip: the requester's rejoin gives it a fresh one-time
 * token). When its tunnel closes the device's stays open for `rejoinWaitMs`, and the relay asks the agent to
 * close its VNC connection (REMOTE_TUNNEL_CONTROL), dropping the device's bytes until the agent says it did;
 * a console that arrives (or takes over from a console of the same technician still attached, closed with
 * REMOTE_CLOSE.replaced) then gets a fresh connection to the VNC server. Nobody back in time: the session ends.
 *
 * Both tunnels of a session must reach the same process: behind several instances, the proxy routes a
 * session's tunnels by its id (deploy/nginx).
 */

type Side = 'device' | 'console';

interface Pair {
  readonly id: string;
  device: WebSocket | null;
  console: WebSocket | null;
  toConsole: number;
  toDevice: number;
  lastByteAt: number;
  readonly openedAt: number;
  /** Paused for backpressure: the side not being read because the other lags. */
  held: Set<Side>;
  ended: boolean;
  /** When the console's tunnel left (it may come back within rejoinWaitMs), or null. */
  consoleAwayAt: number | null;
  /**
   * The device's VNC connection: `live` (a console may use it: the first one, or after `console-joined`),
   * `closing` (`console-left` sent; its bytes are dropped until `vnc-closed`), `closed` (none until a console).
   */
  vnc: 'live' | 'closing' | 'closed';
  readonly timer: NodeJS.Timeout;
}

export interface RemoteRelayOptions {
  idleTimeoutMs?: number;
  maxDurationMs?: number;
  /** How long one tunnel waits for the other (default 60 s). */
  peerWaitMs?: number;
  /** How long the device's tunnel waits for a console that left to come back (default: peerWaitMs). */
  rejoinWaitMs?: number;
  /** How often timeouts are checked (default 1 s). */
  checkMs?: number;
}

export class RemoteRelay {
  private readonly pairs = new Map<string, Pair>();
  private readonly unsubscribe: () => void;
  private readonly idleTimeoutMs: number;
  private readonly maxDurationMs: number;
  private readonly peerWaitMs: number;
  private readonly rejoinWaitMs: number;
  private readonly checkMs: number;

  constructor(
    private readonly ctx: ServerContext,
    options: RemoteRelayOptions = {},
  ) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? REMOTE_IDLE_TIMEOUT_MS;
    this.maxDurationMs = options.maxDurationMs ?? REMOTE_MAX_DURATION_MS;
    this.peerWaitMs = options.peerWaitMs ?? 60_000;
    this.rejoinWaitMs = options.rejoinWaitMs ?? this.peerWaitMs;
    this.checkMs = options.checkMs ?? 1_000;
    this.unsubscribe = ctx.bus.subscribe((event) => this.onEvent(event));
  }

  /** Sessions with at least one tunnel in this process. */
  get size(): number {
    return this.pairs.size;
  }

  /** Takes an admitted tunnel (already paused by the caller). */
  attach(sessionId: string, side: Side, socket: WebSocket): void {
    let pair = this.pairs.get(sessionId);
    if (!pair) {
      const now = Date.now();
      const created: Pair = {
        id: sessionId,
        device: null,
        console: null,
        toConsole: 0,
        toDevice: 0,
        lastByteAt: now,
        openedAt: now,
        held: new Set(),
        ended: false,
        consoleAwayAt: null,
        vnc: 'live',
        timer: setInterval(() => this.check(created), this.checkMs).unref(),
      };
      pair = created;
      this.pairs.set(sessionId, pair);
    }
    if (pair.ended || (side === 'device' && pair.device)) {
      socket.resume();
      socket.close(REMOTE_CLOSE.refused, 'this side of the session is already joined');
      return;
    }
    const joined = pair;
    // The database admitted this console with a fresh token (a rejoin): it takes over from the one attached.
    if (side === 'console' && joined.console) {
      const previous = joined.console;
      this.consoleLeft(joined);
      previous.resume();
      previous.close(REMOTE_CLOSE.replaced, 'you joined this session from another page');
    }
    joined[side] = socket;
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (joined[side] === socket) this.onData(joined, side, data, isBinary);
    });
    socket.on('close', (code: number) => {
      if (joined[side] !== socket) return;
      // The agent closes its tunnel with this code when the employee pressed Stop: recorded as theirs.
      if (side === 'device' && code === REMOTE_CLOSE.stoppedByEmployee)
        void this.end(joined, REMOTE_STOPPED_BY_EMPLOYEE, side, REMOTE_CLOSE.ended, true, { type: 'employee' });
      else if (side === 'device') void this.end(joined, "the device's tunnel closed", side);
      else this.consoleLeft(joined);
    });
    socket.on('error', (error) => {
      if (joined[side] !== socket) return;
      this.ctx.log.debug({ err: error, sessionId, side }, 'remote tunnel error');
      if (side === 'device') void this.end(joined, "the device's tunnel failed", side);
      else this.consoleLeft(joined);
    });
    if (side === 'console') joined.consoleAwayAt = null;
    this.pipeIfBoth(joined);
  }

  /** Both tunnels are there and the device's VNC connection is fresh: relay (telling the agent to reconnect). */
  private pipeIfBoth(pair: Pair): void {
    if (!pair.device || !pair.console || pair.vnc === 'closing') return;
    pair.lastByteAt = Date.now();
    if (pair.vnc === 'closed') {
      pair.device.send(remoteTunnelControlFrame(REMOTE_TUNNEL_CONTROL.consoleJoined));
      pair.vnc = 'live';
    }
    void markRemoteStarted(this.ctx, pair.id).catch((error: unknown) =>
      this.ctx.log.warn({ err: error, sessionId: pair.id }, 'remote: could not mark the session started'),
    );
    pair.held.clear();
    pair.device.resume();
    pair.console.resume();
  }

  /** The console's tunnel is gone: the device's waits (rejoinWaitMs) and closes its VNC connection. */
  private consoleLeft(pair: Pair): void {
    const socket = pair.console;
    if (!socket || pair.ended) return;
    pair.console = null;
    pair.consoleAwayAt = Date.now();
    socket.removeAllListeners('message');
    socket.on('error', () => {});
    pair.held.clear();
    this.ctx.log.info({ sessionId: pair.id }, "remote: the console's tunnel left; the device's waits for it");
    if (!pair.device) return;
    if (pair.vnc === 'live') {
      pair.device.send(remoteTunnelControlFrame(REMOTE_TUNNEL_CONTROL.consoleLeft));
      pair.vnc = 'closing';
    }
    // Read the device's tunnel: its answer, and its close.
    pair.device.resume();
  }

  private onData(pair: Pair, from: Side, data: RawData, isBinary: boolean): void {
    if (pair.ended) return;
    const chunk = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (!isBinary && from === 'device' && parseRemoteTunnelControl(chunk.toString('utf8')) === 'vnc-closed') {
      if (pair.vnc !== 'closing')
        return void this.end(pair, 'the device answered a question it was not asked', null, REMOTE_CLOSE.protocol);
      pair.vnc = 'closed';
      return this.pipeIfBoth(pair);
    }
    if (!isBinary || chunk.length > REMOTE_MAX_FRAME_BYTES) {
      void this.end(
        pair,
        `the ${from} sent a ${isBinary ? 'frame too large' : 'text frame'}`,
        null,
        REMOTE_CLOSE.protocol,
      );
      return;
    }
    // The device's previous VNC connection (the console that left had it): no console may inherit it.
    if (from === 'device' && pair.vnc !== 'live') return;
    const to: Side = from === 'device' ? 'console' : 'device';
    const target = pair[to];
    const source = pair[from];
    if (!target || !source) return;
    pair.lastByteAt = Date.now();
    if (from === 'device') pair.toConsole += chunk.length;
    else pair.toDevice += chunk.length;
    target.send(chunk, { binary: true }, () => {
      if (pair.held.has(from) && target.bufferedAmount <= REMOTE_BUFFER_LOW_BYTES && !pair.ended) {
        pair.held.delete(from);
        source.resume();
      }
    });
    if (target.bufferedAmount > REMOTE_BUFFER_HIGH_BYTES && !pair.held.has(from)) {
      pair.held.add(from);
      source.pause();
    }
  }

  private check(pair: Pair): void {
    const now = Date.now();
    if (!(pair.device && pair.console)) {
      if (pair.consoleAwayAt !== null) {
        if (now - pair.consoleAwayAt > this.rejoinWaitMs)
          void this.end(pair, "the console's tunnel closed and did not come back in time", null);
      } else if (now - pair.openedAt > this.peerWaitMs)
        void this.end(pair, 'the other side did not join in time', null);
      return;
    }
    if (now - pair.lastByteAt > this.idleTimeoutMs)
      void this.end(pair, 'idle: nothing happened for too long', null, REMOTE_CLOSE.idle);
    else if (now - pair.openedAt > this.maxDurationMs)
      void this.end(pair, 'the session reached its longest allowed duration', null, REMOTE_CLOSE.tooLong);
  }

  /**
   * Ends a session here: closes both tunnels, then ends it in the database with its byte counts (or, when it
   * had already ended — stopped elsewhere — only records them).
   */
  private async end(
    pair: Pair,
    reason: string,
    closedSide: Side | null,
    code: number = REMOTE_CLOSE.ended,
    record = true,
    actor: RemoteEndActor = { type: 'system' },
  ): Promise<void> {
    if (pair.ended) return;
    pair.ended = true;
    clearInterval(pair.timer);
    this.pairs.delete(pair.id);
    for (const side of ['device', 'console'] as const) {
      const socket = pair[side];
      if (socket && side !== closedSide) {
        // A paused socket would never read the peer's closing frame.
        socket.resume();
        socket.close(code, reason.slice(0, 120));
      }
    }
    const bytes = { toConsole: pair.toConsole, toDevice: pair.toDevice };
    try {
      const ended = record && (await endRemoteSession(this.ctx, pair.id, reason, actor, bytes));
      if (!ended)
        await transitionRemoteSession(this.ctx.db.kysely, pair.id, ['ended'], {
          bytes_to_console: bytes.toConsole,
          bytes_to_device: bytes.toDevice,
        });
    } catch (error) {
      this.ctx.log.warn({ err: error, sessionId: pair.id }, 'remote: could not record the end of a session');
    }
  }

  private onEvent(event: ServerEvent): void {
    if (event.kind !== 'remote' || event.what !== 'stop') return;
    const pair = this.pairs.get(event.sessionId);
    if (pair) void this.end(pair, event.reason ?? 'stopped', null, REMOTE_CLOSE.ended, false);
  }

  /** Closes every tunnel (server shutdown): the sessions end. */
  async shutdown(): Promise<void> {
    this.unsubscribe();
    await Promise.all(
      [...this.pairs.values()].map((pair) => this.end(pair, 'the server is shutting down', null, 1001)),
    );
  }
}
