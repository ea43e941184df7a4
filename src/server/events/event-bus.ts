import { EventEmitter } from 'node:events';

/*
 * What happens in one server process that others must hear of: a ticket got a message or changed, content
 * changed, a technician's presence on a ticket, devices coming online or going offline, a device's token revoked. The bus delivers every event to
 * every server process through a transport (below), and in each process to its subscribers: the live
 * channel's hub (which pushes to the agents whose sockets this process holds) and the long polls.
 *
 * Transports: in one process, delivery is immediate; across node:cluster workers on SQLite, the primary
 * relays (cluster-events.ts); across processes and machines on PostgreSQL, LISTEN/NOTIFY on one
 * connection per process (pg-events.ts). A process hears its own events back through the transport, once.
 * Delivery is at most once: a transport that loses its link says so with a `resync` event, after which
 * subscribers re-read what they serve from the database (nothing is lost, only late).
 */

export type ServerEvent =
  /** A message was posted on the ticket, or (`changed`) its status, priority or assignee changed. */
  | { kind: 'ticket'; ticketId: number; changed?: true }
  /** Articles or announcements changed (the agents' delta sync has something new). */
  | { kind: 'content'; what: 'articles' | 'announcements' }
  /** A technician opened, is typing on, or left a ticket (staff null: nobody is on it now). */
  | { kind: 'presence'; ticketId: number; staff: { id: number; name: string } | null; typing: boolean }
  /** The employee is typing a reply on the ticket (from the agent's live channel). */
  | { kind: 'device-typing'; ticketId: number }
  /** Delivered or read marks changed on these tickets' messages. */
  | { kind: 'marks'; ticketIds: number[] }
  /** These devices came online or went offline (null: too many to name); the consoles re-read them. */
  | { kind: 'devices'; deviceIds: string[] | null }
  /** The device's token was revoked: its live connection ends. */
  | { kind: 'device-revoked'; deviceId: string }
  /** The device enrolled again and its token changed: processes forget the old one (auth/device-auth-cache.ts). */
  | { kind: 'device-token'; deviceId: string }
  /** A remote command was requested (`queued`: the device's hub sends it) or changed (consoles re-read it). */
  | { kind: 'command'; commandId: string; deviceId: string; ticketId: number | null; queued?: true }
  /**
   * A remote session changed: `request` — the device's hub sends the request; `stop` — it ended (the hub
   * tells the device, the relay holding its tunnels closes them); otherwise the consoles re-read it.
   */
  | {
      kind: 'remote';
      sessionId: string;
      deviceId: string;
      ticketId: number | null;
      what?: 'request' | 'stop';
      reason?: string;
    }
  /** Screen-share signals wait in the database for this side of the session: its holder takes them. */
  | { kind: 'share-signal'; sessionId: string; deviceId: string; to: 'device' | 'console' }
  /**
   * Network monitoring changed: `config` — IT's probe plan or sites (every hub sends agents the plan again);
   * `fleet` — the fleet grid's health; `checks` — a server-side check's state or list.
   */
  | { kind: 'netmon'; what: 'config' | 'fleet' | 'checks' }
  /** A technician asked this device's agent to measure its bandwidth now: the hub holding its connection tells it. */
  | { kind: 'netmon-measure'; deviceId: string }
  /** The transport may have missed events (its link was down): re-read, do not trust the gap. */
  | { kind: 'resync' };

/** How events cross processes. `send` must eventually hand every event to every process's `deliver`, this one's included. */
export interface EventTransport {
  readonly name: string;
  start(deliver: (event: ServerEvent) => void): Promise<void>;
  send(event: ServerEvent): Promise<void>;
  stop(): Promise<void>;
}

/** In one process: delivered on the next tick, as the other transports deliver asynchronously too. */
export function localTransport(): EventTransport {
  let deliver: ((event: ServerEvent) => void) | null = null;
  return {
    name: 'local',
    async start(d) {
      deliver = d;
    },
    async send(event) {
      queueMicrotask(() => deliver?.(event));
    },
    async stop() {
      deliver = null;
    },
  };
}

/** Checks a payload that came over a transport (another process wrote it; trust nothing). */
export function toServerEvent(value: unknown): ServerEvent | null {
  if (typeof value !== 'object' || value === null) return null;
  const e = value as Record<string, unknown>;
  const positive = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
  const deviceId = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 200;
  switch (e.kind) {
    case 'ticket':
      return positive(e.ticketId)
        ? { kind: 'ticket', ticketId: e.ticketId as number, ...(e.changed === true ? { changed: true as const } : {}) }
        : null;
    case 'content':
      return e.what === 'articles' || e.what === 'announcements' ? { kind: 'content', what: e.what } : null;
    case 'presence': {
      const staff = e.staff as { id?: unknown; name?: unknown } | null;
      const staffOk = staff === null || (positive(staff?.id) && typeof staff?.name === 'string');
      return positive(e.ticketId) && staffOk && typeof e.typing === 'boolean'
        ? {
            kind: 'presence',
            ticketId: e.ticketId as number,
            staff: staff === null ? null : { id: staff.id as number, name: staff.name as string },
            typing: e.typing,
          }
        : null;
    }
    case 'device-typing':
      return positive(e.ticketId) ? { kind: 'device-typing', ticketId: e.ticketId as number } : null;
    case 'marks':
      return Array.isArray(e.ticketIds) && e.ticketIds.length <= 1000 && e.ticketIds.every(positive)
        ? { kind: 'marks', ticketIds: e.ticketIds as number[] }
        : null;
    case 'devices':
      return e.deviceIds === null
        ? { kind: 'devices', deviceIds: null }
        : Array.isArray(e.deviceIds) && e.deviceIds.length <= 1000 && e.deviceIds.every(deviceId)
          ? { kind: 'devices', deviceIds: e.deviceIds as string[] }
          : null;
    case 'device-revoked':
    case 'device-token':
      return deviceId(e.deviceId) ? { kind: e.kind, deviceId: e.deviceId as string } : null;
    case 'command':
      return typeof e.commandId === 'string' &&
        /^[0-9a-f-]{36}$/i.test(e.commandId) &&
        deviceId(e.deviceId) &&
        (e.ticketId === null || positive(e.ticketId))
        ? {
            kind: 'command',
            commandId: e.commandId,
            deviceId: e.deviceId as string,
            ticketId: e.ticketId as number | null,
            ...(e.queued === true ? { queued: true as const } : {}),
          }
        : null;
    case 'remote':
      return typeof e.sessionId === 'string' &&
        /^[0-9a-f-]{36}$/i.test(e.sessionId) &&
        deviceId(e.deviceId) &&
        (e.ticketId === null || positive(e.ticketId)) &&
        (e.what === undefined || e.what === 'request' || e.what === 'stop') &&
        (e.reason === undefined || (typeof e.reason === 'string' && e.reason.length <= 500))
        ? {
            kind: 'remote',
            sessionId: e.sessionId,
            deviceId: e.deviceId as string,
            ticketId: e.ticketId as number | null,
            ...(e.what === 'request' || e.what === 'stop' ? { what: e.what } : {}),
            ...(typeof e.reason === 'string' ? { reason: e.reason } : {}),
          }
        : null;
    case 'share-signal':
      return typeof e.sessionId === 'string' &&
        /^[0-9a-f-]{36}$/i.test(e.sessionId) &&
        deviceId(e.deviceId) &&
        (e.to === 'device' || e.to === 'console')
        ? { kind: 'share-signal', sessionId: e.sessionId, deviceId: e.deviceId as string, to: e.to }
        : null;
    case 'netmon':
      return e.what === 'config' || e.what === 'fleet' || e.what === 'checks' ? { kind: 'netmon', what: e.what } : null;
    case 'netmon-measure':
      return deviceId(e.deviceId) ? { kind: 'netmon-measure', deviceId: e.deviceId as string } : null;
    case 'resync':
      return { kind: 'resync' };
    default:
      return null;
  }
}

/** The bus: publish to every process, subscribe in this one. */
export class EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly subscribers = new Set<(event: ServerEvent) => void>();
  private started: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly transport: EventTransport = localTransport(),
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  get transportName(): string {
    return this.transport.name;
  }

  /** Starts the transport (idempotent); events published before it runs are sent once it does. */
  start(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return (this.started ??= this.transport.start((event) => this.deliver(event)));
  }

  /** Stops for good: an event published afterwards (a late request during shutdown) is dropped, not a reason to reconnect. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.started) await this.started.catch(() => {});
    if (this.started) await this.transport.stop();
    this.started = null;
  }

  /** Sends an event to every process. Never throws: a lost event is logged (subscribers resync on link loss). */
  publish(event: ServerEvent): void {
    if (this.stopped) return;
    void this.start()
      .then(() => this.transport.send(event))
      .catch((error: unknown) => this.onError(error));
  }

  /** A message was posted on a ticket; with `changed`, its status, priority or assignee changed. */
  notify(ticketId: number, what: { changed?: boolean } = {}): void {
    this.publish({ kind: 'ticket', ticketId, ...(what.changed ? { changed: true as const } : {}) });
  }

  /** Hears every event delivered to this process; returns the unsubscribe function. */
  subscribe(listener: (event: ServerEvent) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  /**
   * For the long poll: resolves when one of the tickets has activity (or a resync asks everyone to look
   * again) or the time runs out; returns whether it woke early.
   */
  wait(ticketIds: readonly number[], timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (woke: boolean) => {
        clearTimeout(timer);
        for (const id of ticketIds) this.emitter.off(`t:${id}`, wake);
        this.emitter.off('resync', wake);
        signal?.removeEventListener('abort', abort);
        resolve(woke);
      };
      const wake = () => done(true);
      const abort = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      for (const id of ticketIds) this.emitter.on(`t:${id}`, wake);
      this.emitter.on('resync', wake);
      signal?.addEventListener('abort', abort, { once: true });
    });
  }

  private deliver(event: ServerEvent): void {
    if (event.kind === 'ticket') this.emitter.emit(`t:${event.ticketId}`);
    if (event.kind === 'resync') this.emitter.emit('resync');
    for (const listener of this.subscribers) {
      try {
        listener(event);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
