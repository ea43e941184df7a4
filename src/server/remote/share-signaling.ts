import type { RawData, WebSocket } from 'ws';
import { REMOTE_CLOSE, REMOTE_MAX_DURATION_MS } from '../../shared/remote/remote-limits';
import type { ShareConsoleFrame } from '../../shared/remote/share-limits';
import { shareFromConsoleSignalSchema } from '../../shared/remote/share-signals';
import { audit } from '../audit/audit.service';
import { hashToken, safeEqual } from '../auth/crypto';
import type { StaffUser } from '../auth/guards';
import type { ServerContext } from '../context';
import type { ServerEvent } from '../events/event-bus';
import { endRemoteSession, roleMay, type TunnelRefusal } from './remote-sessions.service';
import { selectRemoteSession, transitionRemoteSession } from './remote-sessions.repo';
import { deleteShareSignals } from './share-signals.repo';
import { sendShareSignal, takeSignals } from './share-signals.service';
import { shareIceConfig } from './turn-credentials';

/*
 * The console's side of a screen-share session's signaling, in this server process. A technician's socket
 * is admitted once: the session's requester, still allowed by IT's policy, with the session's console token,
 * a share that the employee accepted and that nobody joined yet; the session becomes active. Then:
 *
 *   server → console: `ready` with the ICE servers (TURN credentials for this session only), the device's
 *                     offer and candidates as they come (from any process, through the database), `ended`
 *   console → server: its answer and candidates, checked, stored for the device (whose hub sends them)
 *   the device is told to `start` (with the same ICE servers) as the console arrives
 *
 * The session ends when this socket closes, when either side stops it (the bus's `remote` stop, from any
 * process; the socket closes with 4100), after REMOTE_MAX_DURATION_MS, or at shutdown; its signals are
 * then deleted (they hold the peers' addresses).
 */

interface Joined {
  readonly sessionId: string;
  readonly deviceId: string;
  readonly socket: WebSocket;
  readonly staff: StaffUser;
  /** Signal work in order: takes and sends never overlap. */
  work: Promise<unknown>;
  readonly timer: NodeJS.Timeout;
  ended: boolean;
}

export class ShareSignaling {
  private readonly joined = new Map<string, Joined>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ctx: ServerContext,
    private readonly options: { maxDurationMs?: number } = {},
  ) {
    this.unsubscribe = ctx.bus.subscribe((event) => this.onEvent(event));
  }

  /** Admits a technician's signaling socket, or says why not. */
  async admit(staff: StaffUser, sessionId: string, token: string | null): Promise<TunnelRefusal | 'ok'> {
    const row = await selectRemoteSession(this.ctx.db.kysely, sessionId);
    if (!row || row.requested_by !== staff.id || row.kind !== 'share') return 'not-found';
    if (!roleMay(this.ctx, staff.role, row.kind)) return 'role';
    if (token === null || !safeEqual(hashToken(token), row.console_token_hash)) return 'bad-token';
    const now = this.ctx.now();
    const moved = await transitionRemoteSession(
      this.ctx.db.kysely,
      sessionId,
      ['accepted'],
      { status: 'active', console_joined_at: now, started_at: now, updated_at: now },
      { notExpiredAt: now, consoleJoined: false },
    );
    if (!moved) return 'not-open';
    await audit(this.ctx, {
      actorType: 'staff',
      actorId: staff.id,
      action: 'remote.started',
      targetType: 'remote_session',
      targetId: sessionId,
      details: { deviceId: moved.device_id, ticketId: moved.ticket_id, kind: moved.kind, requestedBy: staff.id },
    });
    this.ctx.bus.publish({ kind: 'remote', sessionId, deviceId: moved.device_id, ticketId: moved.ticket_id });
    return 'ok';
  }

  /** Takes an admitted socket: `ready` to the console, `start` to the device, then relays. */
  attach(sessionId: string, deviceId: string, staff: StaffUser, socket: WebSocket): void {
    const timer = setTimeout(
      () => void this.end(entry, 'the session reached its longest duration', REMOTE_CLOSE.tooLong),
      this.options.maxDurationMs ?? REMOTE_MAX_DURATION_MS,
    );
    timer.unref();
    const entry: Joined = { sessionId, deviceId, socket, staff, work: Promise.resolve(), timer, ended: false };
    this.joined.set(sessionId, entry);
    socket.on('message', (data, isBinary) => this.onFrame(entry, data, isBinary));
    socket.on('close', () => void this.end(entry, `the technician (${staff.name}) left the session`, null));
    socket.on('error', () => void this.end(entry, 'the console connection failed', null));
    socket.resume();
    const ice = shareIceConfig(this.ctx.config, sessionId, this.ctx.now());
    this.send(entry, { type: 'ready', ice });
    this.inOrder(entry, async () => {
      await sendShareSignal(this.ctx, sessionId, deviceId, 'device', { type: 'start', ice });
      await this.pump(entry);
    });
  }

  private onFrame(entry: Joined, data: RawData, isBinary: boolean): void {
    if (entry.ended) return;
    let signal: unknown;
    try {
      signal = isBinary ? undefined : JSON.parse(String(data));
    } catch {
      signal = undefined;
    }
    const parsed = shareFromConsoleSignalSchema.safeParse(signal);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      void this.end(
        entry,
        `the console sent a bad signal: ${issue?.path.join('.') || 'frame'} ${issue?.message ?? ''}`.slice(0, 200),
        REMOTE_CLOSE.protocol,
      );
      return;
    }
    this.inOrder(entry, async () => {
      if (!(await sendShareSignal(this.ctx, entry.sessionId, entry.deviceId, 'device', parsed.data)))
        await this.end(entry, 'too many signals', REMOTE_CLOSE.protocol);
    });
  }

  /** Sends what waits for the console. */
  private async pump(entry: Joined): Promise<void> {
    if (entry.ended) return;
    for (const signal of await takeSignals(this.ctx, entry.sessionId, 'console'))
      this.send(entry, signal as ShareConsoleFrame);
  }

  private send(entry: Joined, frame: ShareConsoleFrame): void {
    if (!entry.ended && entry.socket.readyState === entry.socket.OPEN) entry.socket.send(JSON.stringify(frame));
  }

  private inOrder(entry: Joined, work: () => Promise<unknown>): void {
    entry.work = entry.work.then(work).catch((error: unknown) => {
      this.ctx.log.error({ err: error, sessionId: entry.sessionId }, 'share signaling failed');
      void this.end(entry, 'server error', 1011);
    });
  }

  private onEvent(event: ServerEvent): void {
    if (event.kind === 'share-signal' && event.to === 'console') {
      const entry = this.joined.get(event.sessionId);
      if (entry) this.inOrder(entry, () => this.pump(entry));
    } else if (event.kind === 'remote' && event.what === 'stop') {
      const entry = this.joined.get(event.sessionId);
      if (entry) void this.end(entry, event.reason ?? 'the session ended', REMOTE_CLOSE.ended);
    }
  }

  /** Ends the session (once): `ended` and the close to the console, the session ended, its signals deleted. */
  private async end(entry: Joined, reason: string, code: number | null): Promise<void> {
    if (entry.ended) return;
    this.send(entry, { type: 'ended', reason });
    entry.ended = true;
    clearTimeout(entry.timer);
    this.joined.delete(entry.sessionId);
    if (code !== null && entry.socket.readyState === entry.socket.OPEN) entry.socket.close(code, reason.slice(0, 120));
    try {
      await endRemoteSession(this.ctx, entry.sessionId, reason, { type: 'system' });
      await deleteShareSignals(this.ctx.db.kysely, entry.sessionId);
    } catch (error) {
      this.ctx.log.error({ err: error, sessionId: entry.sessionId }, 'share session: could not end');
    }
  }

  /** Closes every socket (server shutdown): the sessions end. */
  async shutdown(): Promise<void> {
    this.unsubscribe();
    await Promise.all([...this.joined.values()].map((e) => this.end(e, 'the server is shutting down', 1001)));
  }
}
