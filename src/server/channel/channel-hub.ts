import type { WebSocket } from 'ws';
import {
  CHANNEL_ADMIT_BURST,
  CHANNEL_ADMIT_PER_SECOND,
  CHANNEL_HELLO_TIMEOUT_MS,
  CHANNEL_IDLE_TIMEOUT_MS,
  CHANNEL_MAX_DOWN_FRAME_BYTES,
  CHANNEL_PING_INTERVAL_MS,
  CHANNEL_RATE_BURST,
  CHANNEL_RATE_PER_SECOND,
  CHANNEL_RETRY_MAX_MS,
  CHANNEL_RETRY_MIN_MS,
  CLOSE,
} from '../../shared/channel/channel-limits';
import { frame, parseUpFrame, type DownMessage, type UpMessage } from '../../shared/channel/messages';
import type { MessageDto } from '../../shared/api/tickets';
import {
  appendOutput,
  applyCommandResult,
  applyCommandUpdate,
  commandsToSend,
} from '../actions/command-updates.service';
import type { ServerContext } from '../context';
import { applyRemoteUpdate, pendingRemoteRequest, pendingRemoteRequests } from '../remote/remote-sessions.service';
import { applyDeviceShareSignal, openShareSessionsOf, takeSignals } from '../remote/share-signals.service';
import type { ShareToDeviceSignal } from '../../shared/remote/share-signals';
import { markDevicesArrived, markDevicesLeft, touchDevices } from '../devices/devices.repo';
import type { ServerEvent } from '../events/event-bus';
import { markMessages } from '../tickets/messages.repo';
import { deviceOfTicket } from '../tickets/tickets.repo';
import { findUpdates } from '../tickets/updates.service';
import { AGENT_FEATURES } from '../../shared/channel/channel-features';
import { PRESENCE_TTL_MS } from '../../shared/channel/staff-events';
import { ingestBatch } from '../netmon/netmon-ingest.service';
import { forgetNetmonSettings, netmonSettings } from '../netmon/netmon-settings.service';

/*
 * The live channel's connections in this server process. One socket per device (a newer one replaces the
 * older, CLOSE.replaced). Each connection has a cursor (the last message id sent); on `hello` the hub sends
 * everything after the agent's cursor, then, whenever the event bus says one of the device's tickets has
 * news, reads what is after the connection's cursor and sends it: always in id order, from the database,
 * so an event lost or doubled only makes a read more or less, never a message lost or sent twice.
 *
 * Costs at rest: no database work per connection. One timer sweeps every connection for pings and
 * silence; devices heard from are written as seen in one statement per interval for all of them.
 *
 * Presence: a device that says hello is written as seen, and one whose live connection ends (it closed,
 * or went silent until the sweep closed it) as gone, within PRESENCE_FLUSH_MS, one statement per batch;
 * then the consoles hear which devices changed (one `devices` event per flush), so their online badges
 * are live. A connection replaced by a newer one, or closed by this server shutting down, is not a leave.
 *
 * A technician on a ticket (the console renews it every PRESENCE_RENEW_MS) is remembered from the bus's
 * presence events, in every process, for PRESENCE_TTL_MS: a device that connects meanwhile hears it at once
 * rather than at the next renewal.
 */

/** How often the sweep runs (pings are due every CHANNEL_PING_INTERVAL_MS per connection). */
const SWEEP_MS = 5_000;
/** How often the devices heard from are written as seen. */
const SEEN_FLUSH_MS = 30_000;
/** How soon arrivals and leaves are written and announced. */
const PRESENCE_FLUSH_MS = 1_000;
/** Devices named in one `devices` event; more than this is announced as "many" (the consoles re-read their lists). */
const PRESENCE_EVENT_IDS = 100;
/** Devices per `UPDATE … WHERE id IN (…)` statement. */
const SEEN_BATCH = 500;
/** A ticket's device never changes: remembered, up to this many tickets. */
const TICKET_DEVICE_CACHE = 20_000;

/** A token bucket: `take()` is false when empty. */
export class TokenBucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.at = now();
  }
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.at) / 1000) * this.perSecond);
    this.at = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

interface Connection {
  readonly socket: WebSocket;
  readonly deviceId: string;
  state: 'hello' | 'live' | 'closed';
  /** The last message id this connection has sent (or the agent said it had). */
  cursor: number;
  pumping: boolean;
  pumpAgain: boolean;
  /** Command work of this connection (deliveries, updates, results), one at a time and in order. */
  commands: Promise<unknown>;
  /** Network-monitoring batches of this connection, stored one at a time and in order. */
  netmon: Promise<unknown>;
  /** The optional features the agent named in its hello (AGENT_FEATURES). */
  features: ReadonlySet<string>;
  lastHeardAt: number;
  lastPingAt: number;
  readonly rate: TokenBucket;
  readonly helloTimer: NodeJS.Timeout;
}

export interface ChannelHubOptions {
  /** Test hooks: shorter intervals. */
  pingIntervalMs?: number;
  idleTimeoutMs?: number;
  helloTimeoutMs?: number;
  sweepMs?: number;
  seenFlushMs?: number;
  presenceFlushMs?: number;
  admitPerSecond?: number;
  admitBurst?: number;
}

export class ChannelHub {
  private readonly byDevice = new Map<string, Connection>();
  private readonly ticketDevice = new Map<number, string | null>();
  /** Tickets a technician has open, by the last presence event (dropped when left or after PRESENCE_TTL_MS). */
  private readonly staffOn = new Map<number, { name: string; at: number }>();
  private readonly seen = new Set<string>();
  /** Devices whose connection said hello, or ended, since the last presence flush (the later one wins). */
  private readonly arrived = new Set<string>();
  private readonly left = new Set<string>();
  private readonly admission: TokenBucket;
  private readonly sweepTimer: NodeJS.Timeout;
  private readonly seenTimer: NodeJS.Timeout;
  private readonly presenceTimer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly pingIntervalMs: number;
  private readonly idleTimeoutMs: number;
  private readonly helloTimeoutMs: number;
  private closing = false;

  constructor(
    private readonly ctx: ServerContext,
    options: ChannelHubOptions = {},
  ) {
    this.pingIntervalMs = options.pingIntervalMs ?? CHANNEL_PING_INTERVAL_MS;
    this.idleTimeoutMs = options.idleTimeoutMs ?? CHANNEL_IDLE_TIMEOUT_MS;
    this.helloTimeoutMs = options.helloTimeoutMs ?? CHANNEL_HELLO_TIMEOUT_MS;
    this.admission = new TokenBucket(
      options.admitPerSecond ?? CHANNEL_ADMIT_PER_SECOND,
      options.admitBurst ?? CHANNEL_ADMIT_BURST,
    );
    this.sweepTimer = setInterval(() => this.sweep(), options.sweepMs ?? SWEEP_MS).unref();
    this.seenTimer = setInterval(() => void this.flushSeen(), options.seenFlushMs ?? SEEN_FLUSH_MS).unref();
    this.presenceTimer = setInterval(
      () => void this.flushPresence(),
      options.presenceFlushMs ?? PRESENCE_FLUSH_MS,
    ).unref();
    this.unsubscribe = ctx.bus.subscribe((event) => this.onEvent(event));
  }

  /** Connections open in this process. */
  get size(): number {
    return this.byDevice.size;
  }

  isConnected(deviceId: string): boolean {
    return this.byDevice.get(deviceId)?.state === 'live';
  }

  /** Admission control, before any database work: null to admit, or the delay (ms) the agent is told to wait. */
  admit(): number | null {
    if (this.closing) return CHANNEL_RETRY_MIN_MS;
    if (this.admission.take()) return null;
    this.ctx.metrics.channelRefused.inc();
    return Math.round(CHANNEL_RETRY_MIN_MS + Math.random() * (CHANNEL_RETRY_MAX_MS - CHANNEL_RETRY_MIN_MS));
  }

  /** Takes an upgraded, authenticated socket of a device. */
  attach(socket: WebSocket, deviceId: string): void {
    const now = Date.now();
    const connection: Connection = {
      socket,
      deviceId,
      state: 'hello',
      cursor: 0,
      pumping: false,
      pumpAgain: false,
      commands: Promise.resolve(),
      netmon: Promise.resolve(),
      features: new Set(),
      lastHeardAt: now,
      lastPingAt: now,
      rate: new TokenBucket(CHANNEL_RATE_PER_SECOND, CHANNEL_RATE_BURST),
      helloTimer: setTimeout(
        () => this.closeConnection(connection, CLOSE.timeout, 'no hello in time'),
        this.helloTimeoutMs,
      ),
    };
    const previous = this.byDevice.get(deviceId);
    if (previous) this.closeConnection(previous, CLOSE.replaced, 'replaced by a newer connection of this device');
    this.byDevice.set(deviceId, connection);
    this.ctx.metrics.channelConnections.set(this.byDevice.size);
    socket.on('message', (data, isBinary) => this.onFrame(connection, data as Buffer, isBinary));
    socket.on('close', () => this.forget(connection, true));
    socket.on('error', (error) => {
      this.ctx.log.debug({ err: error, deviceId }, 'channel socket error');
      this.forget(connection, true);
    });
  }

  /** Closes one connection with a close code and reason. */
  closeConnection(connection: Connection, code: number, reason: string): void {
    if (connection.state === 'closed') return;
    this.forget(connection, code !== CLOSE.replaced && code !== CLOSE.goingAway);
    connection.socket.close(code, reason);
  }

  /** Closes every connection (server shutdown; agents reconnect after a jittered delay) and writes what was seen. */
  async shutdown(): Promise<void> {
    this.closing = true;
    clearInterval(this.sweepTimer);
    clearInterval(this.seenTimer);
    clearInterval(this.presenceTimer);
    this.unsubscribe();
    for (const c of [...this.byDevice.values()]) this.closeConnection(c, CLOSE.goingAway, 'server shutting down');
    await this.flushPresence();
    await this.flushSeen();
  }

  /** `leaving`: the device is gone (not replaced by its newer connection, not closed by a shutdown). */
  private forget(connection: Connection, leaving: boolean): void {
    if (connection.state === 'closed') return;
    const wasLive = connection.state === 'live';
    connection.state = 'closed';
    clearTimeout(connection.helloTimer);
    if (this.byDevice.get(connection.deviceId) === connection) {
      this.byDevice.delete(connection.deviceId);
      this.ctx.metrics.channelConnections.set(this.byDevice.size);
      if (leaving && wasLive) {
        // Written as gone, not later as seen (that would bring it back online).
        this.seen.delete(connection.deviceId);
        this.arrived.delete(connection.deviceId);
        this.left.add(connection.deviceId);
      }
    }
  }

  private send(connection: Connection, message: DownMessage): void {
    if (connection.state !== 'closed') connection.socket.send(frame(message));
  }

  private onFrame(connection: Connection, data: Buffer, isBinary: boolean): void {
    if (connection.state === 'closed') return;
    connection.lastHeardAt = Date.now();
    this.seen.add(connection.deviceId);
    if (!connection.rate.take()) return this.closeConnection(connection, CLOSE.policyViolation, 'too many frames');
    if (isBinary)
      return this.closeConnection(connection, CLOSE.protocolError, 'binary frames are not part of the protocol');
    const parsed = parseUpFrame(data.toString('utf8'));
    if (!parsed.ok)
      return this.closeConnection(
        connection,
        parsed.reason === 'unknown-type' ? CLOSE.unknownType : CLOSE.protocolError,
        parsed.detail.slice(0, 120),
      );
    const message = parsed.message;
    if (connection.state === 'hello' && message.type !== 'hello')
      return this.closeConnection(connection, CLOSE.policyViolation, 'the first frame must be hello');
    void this.handle(connection, message).catch((error: unknown) => {
      this.ctx.log.error({ err: error, deviceId: connection.deviceId }, 'channel frame failed');
      this.closeConnection(connection, CLOSE.internalError, 'server error');
    });
  }

  private async handle(connection: Connection, message: UpMessage): Promise<void> {
    const now = this.ctx.now();
    switch (message.type) {
      case 'hello':
        if (connection.state === 'live') return this.closeConnection(connection, CLOSE.policyViolation, 'hello twice');
        clearTimeout(connection.helloTimer);
        connection.state = 'live';
        connection.cursor = message.cursor;
        connection.features = new Set(message.features ?? []);
        this.left.delete(connection.deviceId);
        this.arrived.add(connection.deviceId);
        this.send(connection, {
          type: 'welcome',
          deviceId: connection.deviceId,
          serverTime: new Date(now).toISOString(),
          pingIntervalMs: this.pingIntervalMs,
        });
        // A new connection also gets what an earlier one was sent and never answered (it may have died with it).
        void this.inOrder(connection, () => this.deliverCommands(connection, true));
        void this.inOrder(connection, () => this.deliverRemoteRequests(connection));
        void this.sendNetmonConfig([connection]);
        // Screen-share signals stored while the device was away (its channel dropped mid-share) wait for it.
        void this.inOrder(connection, () => this.deliverWaitingShareSignals(connection));
        void this.inOrder(connection, () => this.replayPresence(connection));
        return this.pump(connection);
      case 'ack':
        // The agent can only acknowledge what it was sent.
        return this.marked(
          await markMessages(
            this.ctx.db.kysely,
            connection.deviceId,
            'delivered',
            Math.min(message.cursor, connection.cursor),
            now,
          ),
        );
      case 'read':
        return this.marked(
          await markMessages(this.ctx.db.kysely, connection.deviceId, 'read', message.messageId, now, message.ticketId),
        );
      case 'typing':
        // Only on its own ticket; the technicians' consoles hear it (staff events), nothing is stored.
        if ((await this.deviceOf(message.ticketId)) === connection.deviceId)
          this.ctx.bus.publish({ kind: 'device-typing', ticketId: message.ticketId });
        return;
      case 'pong':
        return;
      case 'command.update':
        return this.inOrder(connection, () => applyCommandUpdate(this.ctx, connection.deviceId, message));
      case 'command.output':
        return this.inOrder(connection, () => appendOutput(this.ctx, connection.deviceId, message));
      case 'command.result':
        return this.inOrder(connection, () => applyCommandResult(this.ctx, connection.deviceId, message));
      case 'remote.update':
        return this.inOrder(connection, () => applyRemoteUpdate(this.ctx, connection.deviceId, message));
      case 'share.signal':
        return this.inOrder(connection, () => applyDeviceShareSignal(this.ctx, connection.deviceId, message));
      case 'netmon.batch': {
        // Stored in order, then acknowledged (a repeat of a stored batch stores nothing and is acknowledged too).
        const next = connection.netmon.then(async () => {
          await ingestBatch(this.ctx, connection.deviceId, message);
          this.send(connection, { type: 'netmon.ack', batchId: message.batchId });
        });
        connection.netmon = next.catch(() => {});
        return next;
      }
    }
  }

  /** Sends IT's probe plan to these connections (after welcome, and to all when IT changes it). */
  private async sendNetmonConfig(connections: Iterable<Connection>): Promise<void> {
    try {
      const { plan } = await netmonSettings(this.ctx);
      for (const c of connections)
        if (c.state === 'live' && c.features.has(AGENT_FEATURES.netmon))
          this.send(c, { type: 'netmon.config', config: plan });
    } catch (error) {
      this.ctx.log.warn({ err: error }, 'channel: could not send the network-monitoring plan');
    }
  }

  /**
   * Runs a connection's command work after what came before it: an agent's `running` then `result`
   * are applied in the order it sent them, and a delivery never overtakes an update.
   */
  private inOrder(connection: Connection, work: () => Promise<unknown>): Promise<void> {
    const next = connection.commands.then(work);
    connection.commands = next.catch(() => {});
    return next.then(() => {});
  }

  /**
   * Sends the device's queued, unexpired commands (each marked delivered first: no process takes one
   * twice) and, with `resend`, those delivered before and never answered.
   */
  private async deliverCommands(connection: Connection, resend = false): Promise<void> {
    if (connection.state !== 'live') return;
    try {
      for (const command of await commandsToSend(this.ctx, connection.deviceId, { resend }))
        this.send(connection, { type: 'command', command });
    } catch (error) {
      this.ctx.log.warn({ err: error, deviceId: connection.deviceId }, 'channel: could not deliver commands');
    }
  }

  /** Sends the device's remote-session requests still waiting for an answer (all, or the one named). */
  private async deliverRemoteRequests(connection: Connection, sessionId?: string): Promise<void> {
    if (connection.state !== 'live') return;
    try {
      const pending = sessionId
        ? [await pendingRemoteRequest(this.ctx, connection.deviceId, sessionId)].filter((p) => p !== null)
        : await pendingRemoteRequests(this.ctx, connection.deviceId);
      for (const { request, reason } of pending) this.send(connection, { type: 'remote.request', request, reason });
    } catch (error) {
      this.ctx.log.warn({ err: error, deviceId: connection.deviceId }, 'channel: could not deliver remote requests');
    }
  }

  /** Sends the signals of every open screen share of the device that wait for it (after a reconnect). */
  private async deliverWaitingShareSignals(connection: Connection): Promise<void> {
    if (connection.state !== 'live') return;
    try {
      for (const sessionId of await openShareSessionsOf(this.ctx, connection.deviceId))
        await this.deliverShareSignals(connection, sessionId);
    } catch (error) {
      this.ctx.log.warn({ err: error, deviceId: connection.deviceId }, 'channel: could not deliver share signals');
    }
  }

  /** Sends a screen-share session's signals waiting for the device (each taken once, in order). */
  private async deliverShareSignals(connection: Connection, sessionId: string): Promise<void> {
    if (connection.state !== 'live') return;
    try {
      for (const signal of await takeSignals(this.ctx, sessionId, 'device'))
        this.send(connection, { type: 'share.signal', sessionId, signal: signal as ShareToDeviceSignal });
    } catch (error) {
      this.ctx.log.warn({ err: error, deviceId: connection.deviceId }, 'channel: could not deliver share signals');
    }
  }

  private marked(ticketIds: number[]): void {
    if (ticketIds.length > 0) this.ctx.bus.publish({ kind: 'marks', ticketIds });
  }

  /** Sends what is after the connection's cursor; one read at a time per connection, repeated while news arrives. */
  private async pump(connection: Connection): Promise<void> {
    if (connection.pumping) {
      connection.pumpAgain = true;
      return;
    }
    connection.pumping = true;
    try {
      do {
        connection.pumpAgain = false;
        for (;;) {
          if (connection.state !== 'live') return;
          const messages = await findUpdates(this.ctx, connection.deviceId, connection.cursor);
          if (messages.length === 0 || connection.state !== 'live') break;
          this.sendMessages(connection, messages);
          connection.cursor = messages.at(-1)!.id;
        }
      } while (connection.pumpAgain);
    } finally {
      connection.pumping = false;
    }
  }

  /** One `messages` frame per page, split where a page would exceed the agent's frame limit. */
  private sendMessages(connection: Connection, messages: MessageDto[]): void {
    let start = 0;
    while (start < messages.length) {
      let end = messages.length;
      let text = frame({ type: 'messages', messages: messages.slice(start, end), cursor: messages[end - 1]!.id });
      while (Buffer.byteLength(text) > CHANNEL_MAX_DOWN_FRAME_BYTES && end - start > 1) {
        end = start + Math.ceil((end - start) / 2);
        text = frame({ type: 'messages', messages: messages.slice(start, end), cursor: messages[end - 1]!.id });
      }
      if (connection.state !== 'live') return;
      connection.socket.send(text);
      start = end;
    }
  }

  /** Tells a device that just said hello which of its tickets a technician has open now. */
  private async replayPresence(connection: Connection): Promise<void> {
    const now = this.ctx.now();
    for (const [ticketId, on] of [...this.staffOn]) {
      if (now - on.at > PRESENCE_TTL_MS) {
        this.staffOn.delete(ticketId);
        continue;
      }
      if ((await this.deviceOf(ticketId)) === connection.deviceId && connection.state === 'live')
        this.send(connection, { type: 'presence', ticketId, staff: { name: on.name }, typing: false });
    }
  }

  private onEvent(event: ServerEvent): void {
    if (event.kind === 'presence') {
      if (event.staff) this.staffOn.set(event.ticketId, { name: event.staff.name, at: this.ctx.now() });
      else this.staffOn.delete(event.ticketId);
    }
    if (this.byDevice.size === 0) return;
    switch (event.kind) {
      case 'ticket':
        return void this.forTicket(event.ticketId, async (c) => {
          await this.pump(c);
          if (event.changed) this.send(c, { type: 'ticket.changed', ticketId: event.ticketId });
        });
      case 'presence':
        return void this.forTicket(event.ticketId, (c) =>
          this.send(c, {
            type: 'presence',
            ticketId: event.ticketId,
            staff: event.staff ? { name: event.staff.name } : null,
            typing: event.typing,
          }),
        );
      case 'content':
        for (const c of this.byDevice.values())
          if (c.state === 'live') this.send(c, { type: 'content.changed', kind: event.what });
        return;
      case 'device-revoked': {
        const c = this.byDevice.get(event.deviceId);
        if (c) this.closeConnection(c, CLOSE.unauthorized, 'device token revoked');
        return;
      }
      case 'command': {
        // Only a new command has something to send; the other changes are for the consoles.
        const c = event.queued ? this.byDevice.get(event.deviceId) : undefined;
        if (c?.state === 'live') void this.inOrder(c, () => this.deliverCommands(c));
        return;
      }
      case 'remote': {
        const c = event.what ? this.byDevice.get(event.deviceId) : undefined;
        if (c?.state !== 'live') return;
        if (event.what === 'request') void this.inOrder(c, () => this.deliverRemoteRequests(c, event.sessionId));
        else
          this.send(c, {
            type: 'remote.stop',
            sessionId: event.sessionId,
            reason: event.reason ?? 'the session ended',
          });
        return;
      }
      case 'share-signal': {
        const c = event.to === 'device' ? this.byDevice.get(event.deviceId) : undefined;
        if (c?.state === 'live') void this.inOrder(c, () => this.deliverShareSignals(c, event.sessionId));
        return;
      }
      case 'netmon':
        if (event.what !== 'config') return;
        forgetNetmonSettings(this.ctx);
        return void this.sendNetmonConfig([...this.byDevice.values()]);
      case 'netmon-measure': {
        const c = this.byDevice.get(event.deviceId);
        if (c?.state === 'live') this.send(c, { type: 'netmon.measure', requestedAt: this.ctx.now() });
        return;
      }
      case 'resync':
        forgetNetmonSettings(this.ctx);
        for (const c of this.byDevice.values())
          if (c.state === 'live') {
            void this.pump(c).catch(() => {});
            void this.inOrder(c, () => this.deliverCommands(c));
            void this.inOrder(c, () => this.deliverRemoteRequests(c));
          }
        return;
      case 'device-typing':
      case 'marks':
      case 'devices':
        // For the technicians' consoles (staff events), not for agents.
        return;
    }
  }

  /** The ticket's device (cached: it never changes). */
  private async deviceOf(ticketId: number): Promise<string | null> {
    let deviceId = this.ticketDevice.get(ticketId);
    if (deviceId === undefined) {
      deviceId = await deviceOfTicket(this.ctx.db.kysely, ticketId);
      if (this.ticketDevice.size >= TICKET_DEVICE_CACHE) this.ticketDevice.clear();
      this.ticketDevice.set(ticketId, deviceId);
    }
    return deviceId;
  }

  /** Runs `work` on the live connection of the ticket's device, if this process holds it. */
  private async forTicket(ticketId: number, work: (c: Connection) => unknown): Promise<void> {
    try {
      const deviceId = await this.deviceOf(ticketId);
      const connection = deviceId ? this.byDevice.get(deviceId) : undefined;
      if (connection?.state === 'live') await work(connection);
    } catch (error) {
      this.ctx.log.warn({ err: error, ticketId }, 'channel: could not push a ticket event');
    }
  }

  /** Pings what is due, closes what has been silent too long. */
  private sweep(): void {
    const now = Date.now();
    const at = this.ctx.now();
    for (const [ticketId, on] of this.staffOn) if (at - on.at > PRESENCE_TTL_MS) this.staffOn.delete(ticketId);
    for (const c of [...this.byDevice.values()]) {
      if (c.state !== 'live') continue;
      if (now - c.lastHeardAt > this.idleTimeoutMs) this.closeConnection(c, CLOSE.timeout, 'nothing heard in time');
      else if (now - c.lastPingAt >= this.pingIntervalMs) {
        c.lastPingAt = now;
        this.send(c, { type: 'ping', t: now });
      }
    }
  }

  /**
   * Writes the devices that arrived as seen and those that left as gone (one statement per SEEN_BATCH
   * devices), then tells every process (the consoles' event streams) which devices changed.
   */
  async flushPresence(): Promise<void> {
    if (this.arrived.size === 0 && this.left.size === 0) return;
    const arrived = [...this.arrived];
    const left = [...this.left];
    this.arrived.clear();
    this.left.clear();
    const at = this.ctx.now();
    try {
      for (let i = 0; i < arrived.length; i += SEEN_BATCH)
        await markDevicesArrived(this.ctx.db.kysely, arrived.slice(i, i + SEEN_BATCH), at);
      for (let i = 0; i < left.length; i += SEEN_BATCH)
        await markDevicesLeft(this.ctx.db.kysely, left.slice(i, i + SEEN_BATCH), at);
    } catch (error) {
      this.ctx.log.warn({ err: error }, 'channel: could not write arrivals and leaves');
      return;
    }
    const changed = [...arrived, ...left];
    this.ctx.bus.publish({ kind: 'devices', deviceIds: changed.length <= PRESENCE_EVENT_IDS ? changed : null });
  }

  /** Writes the devices heard from since the last flush as seen now: one statement per SEEN_BATCH devices. */
  async flushSeen(): Promise<void> {
    if (this.seen.size === 0) return;
    const ids = [...this.seen];
    this.seen.clear();
    const at = this.ctx.now();
    try {
      for (let i = 0; i < ids.length; i += SEEN_BATCH)
        await touchDevices(this.ctx.db.kysely, ids.slice(i, i + SEEN_BATCH), at);
    } catch (error) {
      this.ctx.log.warn({ err: error }, 'channel: could not write devices as seen');
    }
  }
}
