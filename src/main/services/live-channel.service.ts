import { PRESENCE_TTL_MS, TYPING_TTL_MS } from '../../shared/channel/staff-events';
import type { DownMessage, UpMessage } from '../../shared/channel/messages';
import type { TicketPresence } from '../../shared/ipc/contract';
import type { AgentLogger } from './agent-platform';
import {
  createChannelClient,
  type ChannelClient,
  type ChannelState,
  type ChannelTiming,
  type Presence,
} from './channel-client';
import type { Guidance } from './guidance.service';

/*
 * The live channel wired into the agent: pushed messages go through the guidance service's receive
 * path (notifications, unread, cursor) and are then acknowledged; `content.changed` runs the content
 * sync at once (debounced a little, since a publish often changes several items); `ticket.changed`
 * refreshes the list like a reply would; `presence` becomes per-ticket state the window shows. The
 * channel's mode tells the guidance service when its long poll must run.
 */

/**
 * How long "is typing" shows after the last typing presence (the console repeats it while typing), and
 * how long "is here" lasts unless renewed (the console renews it while the ticket is open; a closed tab
 * says nothing more).
 */
export const TYPING_SHOWN_MS = TYPING_TTL_MS;
/** Content changes within this window are synced once. */
export const CONTENT_SYNC_DEBOUNCE_MS = 250;

export interface LiveChannelDeps {
  serverUrl(): string | null;
  token(): string | null;
  agentVersion: string;
  userAgent?: string;
  logger: AgentLogger;
  guidance: Pick<Guidance, 'channelState' | 'channelMessages' | 'ticketChanged' | 'cursor'>;
  /** Runs the content delta sync (articles and announcements). */
  syncContent(): Promise<void>;
  onUnauthorized(): void;
  /** The channel is live: the server is reachable. */
  onLive(): void;
  onPresence(presence: TicketPresence): void;
  /** A `command` frame: the signed command as it arrived, and the technician's reason (unsigned). */
  onCommand?(command: unknown, reason: string | undefined): void;
  /** A `remote.request` frame (signed, as it arrived) and a `remote.stop`. */
  onRemoteRequest?(request: unknown, reason: string | undefined): void;
  onRemoteStop?(sessionId: string, reason: string): void;
  /** A screen-share session's signal (`share.signal`). */
  onShareSignal?(message: DownMessage<'share.signal'>): void;
  /** Network monitoring (src/main/netmon): the probe plan, and a stored batch's id. */
  onNetmonConfig?(message: DownMessage<'netmon.config'>): void;
  onNetmonAck?(batchId: string): void;
  onNetmonMeasure?(): void;
  timing?: Partial<ChannelTiming>;
  typingShownMs?: number;
  presenceTtlMs?: number;
  contentDebounceMs?: number;
}

export interface LiveChannel {
  start(): void;
  stop(): void;
  wake(): void;
  state(): ChannelState;
  /** The employee is typing on a ticket (throttled by the client). */
  typing(ticketId: number): void;
  /** The employee saw the ticket's staff messages up to messageId (sent once per new id). */
  read(ticketId: number, messageId: number): void;
  presence(ticketId: number): TicketPresence;
  /** Sends a command's update, output or result while live; false when it did not go. */
  sendCommandFrame(message: UpMessage<'command.update' | 'command.output' | 'command.result'>): boolean;
  /** Sends a remote session's update while live; false when it did not go. */
  sendRemoteFrame(message: UpMessage<'remote.update'>): boolean;
  /** Sends a screen-share signal while live; false when it did not go. */
  sendShareFrame(message: UpMessage<'share.signal'>): boolean;
  /** Sends a network monitoring batch while live; false when it did not go. */
  sendNetmonBatch(message: UpMessage<'netmon.batch'>): boolean;
  /** The server's clock minus this one (ms), from the last welcome. */
  skewMs(): number;
}

/** Builds the agent's live channel; nothing connects until start(). */
export function createLiveChannel(deps: LiveChannelDeps): LiveChannel {
  const presences = new Map<number, TicketPresence>();
  const typingTimers = new Map<number, ReturnType<typeof setTimeout>>();
  const readSent = new Map<number, number>();
  let contentTimer: ReturnType<typeof setTimeout> | null = null;

  const nobody = (ticketId: number): TicketPresence => ({ ticketId, staff: null, typing: false });

  function setPresence(next: TicketPresence): void {
    const timer = typingTimers.get(next.ticketId);
    if (timer) clearTimeout(timer);
    typingTimers.delete(next.ticketId);
    if (next.typing || next.staff) {
      // A console that went away mid-word, or closed, sends nothing more: typing ends, then presence does.
      const expire = next.typing
        ? setTimeout(() => setPresence({ ...next, typing: false }), deps.typingShownMs ?? TYPING_SHOWN_MS)
        : setTimeout(() => setPresence(nobody(next.ticketId)), deps.presenceTtlMs ?? PRESENCE_TTL_MS);
      expire.unref?.();
      typingTimers.set(next.ticketId, expire);
    }
    if (next.staff === null && !next.typing) presences.delete(next.ticketId);
    else presences.set(next.ticketId, next);
    deps.onPresence(next);
  }

  /** Nobody is known to be anywhere once the channel is down. */
  function clearPresence(): void {
    for (const ticketId of [...presences.keys()]) setPresence(nobody(ticketId));
  }

  function syncContentSoon(): void {
    if (contentTimer) return;
    contentTimer = setTimeout(() => {
      contentTimer = null;
      deps.syncContent().catch((error: unknown) => deps.logger.warn('content sync failed', { error: String(error) }));
    }, deps.contentDebounceMs ?? CONTENT_SYNC_DEBOUNCE_MS);
    contentTimer.unref?.();
  }

  const client: ChannelClient = createChannelClient({
    serverUrl: deps.serverUrl,
    token: deps.token,
    cursor: () => deps.guidance.cursor(),
    agentVersion: deps.agentVersion,
    userAgent: deps.userAgent,
    logger: deps.logger,
    timing: deps.timing,
    handlers: {
      onMessages: (messages, cursor) => deps.guidance.channelMessages(messages, cursor),
      onContentChanged: syncContentSoon,
      onTicketChanged: (ticketId) => void deps.guidance.ticketChanged(ticketId),
      onPresence: (p: Presence) => setPresence({ ticketId: p.ticketId, staff: p.staff, typing: p.typing }),
      onCommand: (command, reason) => deps.onCommand?.(command, reason),
      onRemoteRequest: (request, reason) => deps.onRemoteRequest?.(request, reason),
      onRemoteStop: (sessionId, reason) => deps.onRemoteStop?.(sessionId, reason),
      onShareSignal: (message) => deps.onShareSignal?.(message),
      onNetmonConfig: (message) => deps.onNetmonConfig?.(message),
      onNetmonAck: (batchId) => deps.onNetmonAck?.(batchId),
      onNetmonMeasure: () => deps.onNetmonMeasure?.(),
      onUnauthorized: deps.onUnauthorized,
      onModeChange(mode) {
        deps.guidance.channelState(mode);
        if (mode === 'live') {
          deps.onLive();
          // Whatever changed while the channel was down was not pushed: catch up once.
          syncContentSoon();
        } else clearPresence();
      },
    },
  });

  return {
    start: () => client.start(),
    stop() {
      client.stop();
      if (contentTimer) clearTimeout(contentTimer);
      contentTimer = null;
      for (const timer of typingTimers.values()) clearTimeout(timer);
      typingTimers.clear();
      presences.clear();
    },
    wake: () => client.wake(),
    state: () => client.state(),
    typing: (ticketId) => void client.send({ type: 'typing', ticketId }),
    read(ticketId, messageId) {
      if (messageId <= (readSent.get(ticketId) ?? 0)) return;
      readSent.set(ticketId, messageId);
      client.send({ type: 'read', ticketId, messageId });
    },
    presence: (ticketId) => presences.get(ticketId) ?? nobody(ticketId),
    sendCommandFrame: (message) => client.send(message),
    sendRemoteFrame: (message) => client.send(message),
    sendShareFrame: (message) => client.send(message),
    sendNetmonBatch: (message) => client.send(message),
    skewMs: () => client.skewMs(),
  };
}
