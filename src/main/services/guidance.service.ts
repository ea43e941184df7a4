import { join } from 'node:path';
import { z } from 'zod';
import { deviceTicketSchema } from '../../shared/api/tickets';
import { IpcError } from '../../shared/ipc/ipc-error';
import type { TicketListItem, TicketThread } from '../../shared/ipc/contract';
import type { AgentLogger, AgentNotification } from './agent-platform';
import { ApiCallError, type DeviceTicket, type HelpdeskApi, type Message } from './api-client';
import { readJsonFile, writeFileAtomic } from './atomic-file';
import { backoffDelay, sleep, type BackoffPolicy } from './backoff';
import { plainText } from './article-search';
import type { ChannelState } from './channel-policy';

/*
 * Live guidance: a long poll on /tickets/updates (≤ 25 s per request, looped) brings a technician's
 * reply to the agent within about a second of it being posted. New staff replies raise a
 * notification and count as unread until the employee opens the ticket; the read state, the poll
 * cursor and the last ticket list are kept in <dataDir>/read-state.json for restarts and offline use.
 *
 * With the live channel (channel-client.ts) the same messages arrive pushed, through the same
 * `receive`: while the channel is live the long poll does not run; when the channel falls back to
 * long-poll mode, stops, or has been connecting for longer than a grace period, the long poll runs.
 * A message at or below the stored cursor is never applied twice, whichever path brought it.
 */

const stateSchema = z.object({
  cursor: z.number().int().nonnegative(),
  /** Staff message ids not opened yet, per ticket. */
  unread: z.record(z.string(), z.array(z.number())),
  /** Highest staff message id the employee has seen, per ticket. */
  lastRead: z.record(z.string(), z.number()),
  tickets: z.array(deviceTicketSchema),
  /** Replies from before the first poll on this computer were taken as history (not notified). */
  baselined: z.boolean().default(false),
});
type GuidanceState = z.infer<typeof stateSchema>;

const POLL_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 60_000, jitter: 0.5 };
/** Seconds the server holds each long poll open. */
export const LONG_POLL_WAIT_SECONDS = 25;
/** How long the channel may be connecting before the long poll takes over. */
export const CHANNEL_GRACE_MS = 15_000;

export interface GuidanceDeps {
  dataDir: string;
  api: Pick<
    HelpdeskApi,
    'updates' | 'listTickets' | 'getTicket' | 'listMessages' | 'postMessage' | 'solve' | 'reopen' | 'rate'
  >;
  logger: AgentLogger;
  enrolled: () => boolean;
  notificationsEnabled: () => boolean;
  notify?: (notification: AgentNotification) => void;
  onTicketsChanged(ticketId: number | null): void;
  onUnreadChanged(): void;
  onReachability(online: boolean): void;
  onUnauthorized(): Promise<void>;
  /** Seconds per long poll (tests shorten it). */
  waitSeconds?: number;
  /** The employee opened a ticket and saw its staff messages up to messageId. */
  onRead?(ticketId: number, messageId: number): void;
  /** How long a connecting channel holds the long poll back (default CHANNEL_GRACE_MS). */
  channelGraceMs?: number;
}

export interface Guidance {
  load(): Promise<void>;
  /** Runs the long-poll loop until stop(). */
  start(): void;
  stop(): Promise<void>;
  /** Wakes a sleeping poll loop (enrolled, back online). */
  wake(): void;
  /** The live channel's mode: 'live' holds the long poll back; the others let it run (after a grace). */
  channelState(state: ChannelState): void;
  /** Staff and system messages pushed by the channel, stored and notified like the long poll's. */
  channelMessages(messages: Message[], cursor: number): Promise<void>;
  /** The channel said a ticket changed: refresh the list and tell the window. */
  ticketChanged(ticketId: number): Promise<void>;
  /** The stored cursor: the highest message id received. */
  cursor(): number;
  unreadTotal(): number;
  /** The ticket list from the server, or the cached one when offline. */
  list(): Promise<{ tickets: TicketListItem[]; fromCache: boolean }>;
  /** A thread; opening it marks its replies read. */
  thread(ticketId: number): Promise<TicketThread>;
  reply(ticketId: number, body: string): Promise<TicketThread>;
  solve(ticketId: number): Promise<TicketThread>;
  reopen(ticketId: number, body: string): Promise<TicketThread>;
  rate(ticketId: number, satisfaction: number, comment: string | null): Promise<TicketThread>;
}

/** Turns an API failure during a user action into the error the window shows. */
export function toIpcError(error: unknown): never {
  if (error instanceof IpcError) throw error;
  if (error instanceof ApiCallError) {
    if (error.kind === 'transient')
      throw new IpcError('offline', 'The help desk cannot be reached right now. Try again in a moment.');
    if (error.kind === 'unauthorized')
      throw new IpcError('not_enrolled', 'This computer is not connected to the help desk yet.');
    if (error.status === 404) throw new IpcError('not_found', error.message);
    throw new IpcError('rejected', error.message);
  }
  throw error;
}

/** Builds the guidance service. */
export function createGuidance(deps: GuidanceDeps): Guidance {
  const file = join(deps.dataDir, 'read-state.json');
  let state: GuidanceState = { cursor: 0, unread: {}, lastRead: {}, tickets: [], baselined: false };
  const isFresh = () => !state.baselined;
  let stopper: AbortController | null = null;
  let waker = new AbortController();
  let loop: Promise<void> | null = null;
  // The long poll runs unless the live channel holds it back; `paused` aborts a poll in flight.
  let polling = true;
  let paused = new AbortController();
  let grace: ReturnType<typeof setTimeout> | null = null;
  let baselining: Promise<void> | null = null;

  const save = () => writeFileAtomic(file, JSON.stringify(state));
  const unreadOf = (ticket: DeviceTicket): number => {
    const ids = state.unread[ticket.id] ?? [];
    if (ids.length > 0) return ids.length;
    const seen = state.lastRead[ticket.id] ?? 0;
    return ticket.lastStaffMessageId !== null && ticket.lastStaffMessageId > seen && !isFresh() ? 1 : 0;
  };

  async function receive(messages: Message[], cursor: number, notify: boolean): Promise<void> {
    const touched = new Set<number>();
    for (const message of messages) {
      // Already received (the channel and the long poll may both bring it while one takes over).
      if (message.id <= state.cursor) continue;
      if (message.author.type !== 'staff' && message.author.type !== 'system') continue;
      touched.add(message.ticketId);
      if (message.author.type !== 'staff') continue;
      const ids = new Set(state.unread[message.ticketId] ?? []);
      if (message.id <= (state.lastRead[message.ticketId] ?? 0)) continue;
      ids.add(message.id);
      state.unread[message.ticketId] = [...ids];
      if (notify && deps.notify && deps.notificationsEnabled()) {
        const subject = state.tickets.find((t) => t.id === message.ticketId)?.subject;
        const who = message.author.name ?? 'The help desk';
        deps.notify({
          title: `${who} replied${subject ? `: ${subject}` : ''}`.slice(0, 120),
          body: plainText(message.body).slice(0, 240),
          ticketId: message.ticketId,
        });
      }
    }
    state.cursor = Math.max(state.cursor, cursor, ...messages.map((m) => m.id));
    await save();
    if (touched.size > 0) {
      await refreshList().catch(() => {});
      for (const id of touched) deps.onTicketsChanged(id);
      deps.onUnreadChanged();
    }
  }

  async function refreshList(): Promise<DeviceTicket[]> {
    const tickets = await deps.api.listTickets();
    state.tickets = tickets;
    await save();
    return tickets;
  }

  /** First run on this computer: replies from before it are history, not news (once, whoever asks). */
  function baseline(signal?: AbortSignal): Promise<void> {
    baselining ??= (async () => {
      for (let page = 0; page < 100; page++) {
        const answer = await deps.api.updates(state.cursor, 0, signal);
        await receive(answer.messages, answer.cursor, false);
        if (answer.messages.length === 0) break;
      }
      for (const [ticketId, ids] of Object.entries(state.unread)) state.lastRead[ticketId] = Math.max(0, ...ids);
      state.unread = {};
      state.baselined = true;
      await save();
    })().finally(() => (baselining = null));
    return baselining;
  }

  function setPolling(on: boolean): void {
    if (grace) clearTimeout(grace);
    grace = null;
    if (polling === on) return;
    polling = on;
    if (on) {
      paused = new AbortController();
      wake();
    } else paused.abort();
  }

  function wake(): void {
    waker.abort();
    waker = new AbortController();
  }

  async function pollLoop(signal: AbortSignal): Promise<void> {
    let failures = 0;
    const waitSeconds = deps.waitSeconds ?? LONG_POLL_WAIT_SECONDS;
    while (!signal.aborted) {
      if (!deps.enrolled() || !polling) {
        await sleep(30_000, AbortSignal.any([signal, waker.signal]));
        continue;
      }
      const pause = paused.signal;
      const request = AbortSignal.any([signal, pause]);
      try {
        if (isFresh()) await baseline(signal);
        const answer = await deps.api.updates(state.cursor, waitSeconds, request);
        failures = 0;
        deps.onReachability(true);
        if (answer.messages.length > 0 || answer.cursor !== state.cursor)
          await receive(answer.messages, answer.cursor, true);
      } catch (error) {
        if (signal.aborted) break;
        if (pause.aborted) continue; // the channel went live: not a failure
        failures++;
        if (error instanceof ApiCallError && error.kind === 'unauthorized') await deps.onUnauthorized();
        else if (error instanceof ApiCallError && error.kind === 'transient') deps.onReachability(false);
        else deps.logger.warn('long poll failed', { error: String(error) });
        await sleep(backoffDelay(failures, POLL_BACKOFF), AbortSignal.any([signal, waker.signal, pause]));
      }
    }
  }

  async function thread(ticketId: number, markRead = true): Promise<TicketThread> {
    try {
      const ticket = await deps.api.getTicket(ticketId);
      const messages: Message[] = [];
      let after = 0;
      for (let page = 0; page < 50; page++) {
        const answer = await deps.api.listMessages(ticketId, after);
        messages.push(...answer.messages);
        after = answer.cursor;
        if (answer.messages.length < 200) break;
      }
      if (markRead) {
        const staffIds = messages.filter((m) => m.author.type === 'staff').map((m) => m.id);
        state.lastRead[ticketId] = Math.max(state.lastRead[ticketId] ?? 0, ticket.lastStaffMessageId ?? 0, ...staffIds);
        const hadUnread = (state.unread[ticketId]?.length ?? 0) > 0;
        delete state.unread[ticketId];
        state.tickets = state.tickets.map((t) => (t.id === ticketId ? ticket : t));
        await save();
        if (hadUnread) deps.onUnreadChanged();
        const lastStaff = Math.max(0, ...staffIds);
        if (lastStaff > 0) deps.onRead?.(ticketId, lastStaff);
      }
      deps.onReachability(true);
      return { ticket, messages };
    } catch (error) {
      return toIpcError(error);
    }
  }

  async function act(ticketId: number, action: () => Promise<unknown>): Promise<TicketThread> {
    try {
      await action();
    } catch (error) {
      toIpcError(error);
    }
    deps.onTicketsChanged(ticketId);
    return thread(ticketId);
  }

  return {
    async load() {
      try {
        const raw = await readJsonFile(file);
        const parsed = stateSchema.safeParse(raw);
        if (parsed.success) state = parsed.data;
      } catch (error) {
        deps.logger.warn('read-state.json is unreadable; starting over', { error: String(error) });
      }
    },
    start() {
      if (loop) return;
      stopper = new AbortController();
      loop = pollLoop(stopper.signal).catch((error: unknown) =>
        deps.logger.error('long poll stopped', { error: String(error) }),
      );
    },
    async stop() {
      if (grace) clearTimeout(grace);
      grace = null;
      stopper?.abort();
      await loop;
      loop = null;
    },
    wake,
    channelState(channel) {
      if (channel === 'live') {
        setPolling(false);
        // A fresh computer takes what the server has now as history before the first frame is applied,
        // so the first reply pushed after the welcome is news.
        if (isFresh() && deps.enrolled())
          void baseline(stopper?.signal).catch((error: unknown) =>
            deps.logger.warn('first catch-up failed; retried with the first frame', { error: String(error) }),
          );
        return;
      }
      if (channel === 'long-poll' || channel === 'stopped') return setPolling(true);
      // Connecting: a reconnect usually takes a moment; the long poll only takes over if it does not.
      if (grace) return;
      setPolling(false);
      grace = setTimeout(() => setPolling(true), deps.channelGraceMs ?? CHANNEL_GRACE_MS);
      grace.unref?.();
    },
    async channelMessages(messages, cursor) {
      if (isFresh()) await baseline(stopper?.signal);
      deps.onReachability(true);
      await receive(messages, cursor, true);
    },
    async ticketChanged(ticketId) {
      await refreshList().catch(() => {});
      deps.onTicketsChanged(ticketId);
    },
    cursor: () => state.cursor,
    unreadTotal: () => state.tickets.reduce((sum, t) => sum + unreadOf(t), 0),
    async list() {
      try {
        const tickets = await refreshList();
        deps.onReachability(true);
        return { tickets: tickets.map((t) => ({ ...t, unread: unreadOf(t) })), fromCache: false };
      } catch (error) {
        if (error instanceof ApiCallError && error.kind === 'transient') deps.onReachability(false);
        if (error instanceof ApiCallError && error.kind === 'permanent' && error.code !== 'not_configured')
          toIpcError(error);
        return { tickets: state.tickets.map((t) => ({ ...t, unread: unreadOf(t) })), fromCache: true };
      }
    },
    thread: (ticketId) => thread(ticketId),
    reply: (ticketId, body) => act(ticketId, () => deps.api.postMessage(ticketId, body)),
    solve: (ticketId) => act(ticketId, () => deps.api.solve(ticketId)),
    reopen: (ticketId, body) =>
      act(ticketId, async () => {
        await deps.api.reopen(ticketId);
        if (body.trim()) await deps.api.postMessage(ticketId, body);
      }),
    rate: (ticketId, satisfaction, comment) => act(ticketId, () => deps.api.rate(ticketId, satisfaction, comment)),
  };
}
