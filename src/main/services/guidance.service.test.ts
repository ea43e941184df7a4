import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentNotification } from './agent-platform';
import type { DeviceTicket, HelpdeskApi, Message } from './api-client';
import { ApiCallError } from './api-client';
import { createGuidance, type GuidanceDeps } from './guidance.service';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskside-guidance-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const silent = { info() {}, warn() {}, error() {} };
const ticket = (id: number, lastStaffMessageId: number | null = null): DeviceTicket => ({
  id,
  subject: `Ticket ${id}`,
  description: '',
  category: 'other',
  urgency: 'low',
  priority: 'p4',
  status: 'open',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  resolvedAt: null,
  lastMessageAt: '2026-01-01T00:00:00Z',
  satisfaction: null,
  assigneeName: 'Sam',
  lastStaffMessageId,
});
const staff = (id: number, ticketId: number, body = `reply ${id}`): Message => ({
  id,
  ticketId,
  author: { type: 'staff', name: 'Sam' },
  body,
  internal: false,
  createdAt: '2026-01-01T00:00:00Z',
  attachments: [],
});

/**
 * A fake server with a real long poll: `updates` with a wait answers at once when there is something
 * new, otherwise it parks until `post` adds a message or the request is aborted. `parked()` resolves
 * when the next long poll is parked with nothing to say, which is how a test knows the loop is idle
 * (no fixed sleeps: the machine may be slow).
 */
function fakeServer() {
  const messages: Message[] = [];
  const tickets: DeviceTicket[] = [ticket(1), ticket(2)];
  let offline = false;
  let longPolls = 0;
  let catchUps = 0;
  const waiters = new Set<() => void>();
  let onPark: (() => void) | null = null;
  const api: GuidanceDeps['api'] = {
    async updates(after, wait, signal) {
      if (offline) throw new ApiCallError('transient', 'The server cannot be reached');
      if (wait > 0) longPolls++;
      else catchUps++;
      let fresh = messages.filter((m) => m.id > after);
      if (fresh.length === 0 && wait > 0) {
        await new Promise<void>((resolve, reject) => {
          const wakeUp = () => {
            waiters.delete(wakeUp);
            signal?.removeEventListener('abort', aborted);
            resolve();
          };
          const aborted = () => {
            waiters.delete(wakeUp);
            reject(new ApiCallError('transient', 'aborted'));
          };
          if (signal?.aborted) return aborted();
          signal?.addEventListener('abort', aborted, { once: true });
          waiters.add(wakeUp);
          onPark?.();
          onPark = null;
        });
        fresh = messages.filter((m) => m.id > after);
      }
      return { messages: fresh, cursor: fresh.at(-1)?.id ?? after };
    },
    listTickets: async () => {
      if (offline) throw new ApiCallError('transient', 'The server cannot be reached');
      return tickets.map((t) => ({
        ...t,
        lastStaffMessageId: messages.filter((m) => m.ticketId === t.id).at(-1)?.id ?? null,
      }));
    },
    getTicket: async (id) => {
      if (offline) throw new ApiCallError('transient', 'The server cannot be reached');
      return { ...ticket(id), lastStaffMessageId: messages.filter((m) => m.ticketId === id).at(-1)?.id ?? null };
    },
    listMessages: async (id) => ({ messages: messages.filter((m) => m.ticketId === id), cursor: 0 }),
  } as Pick<HelpdeskApi, 'updates' | 'listTickets' | 'getTicket' | 'listMessages'> as GuidanceDeps['api'];
  return {
    api,
    messages,
    setOffline: (v: boolean) => void (offline = v),
    /** Long polls started (updates with a wait), and those parked right now. */
    longPolls: () => longPolls,
    /** Catch-up requests (updates without a wait), as the first run makes. */
    catchUps: () => catchUps,
    parkedNow: () => waiters.size,
    /** Adds a message and answers every parked long poll. */
    post(message: Message) {
      messages.push(message);
      for (const wakeUp of [...waiters]) wakeUp();
    },
    /** Resolves when the next long poll parks with nothing new (call before the action that leads to it). */
    parked: () => new Promise<void>((resolve) => (onPark = resolve)),
  };
}

function guidanceOver(
  server: ReturnType<typeof fakeServer>,
  notifications: AgentNotification[],
  more: Partial<GuidanceDeps> = {},
) {
  const online: boolean[] = [];
  const guidance = createGuidance({
    dataDir: dir,
    api: server.api,
    logger: silent,
    enrolled: () => true,
    notificationsEnabled: () => true,
    notify: (n) => void notifications.push(n),
    onTicketsChanged: () => {},
    onUnreadChanged: () => {},
    onReachability: (v) => void online.push(v),
    onUnauthorized: async () => {},
    waitSeconds: 1,
    ...more,
  });
  return { guidance, online };
}

/** Waits for a condition the loop brings about (generous deadline: the machine may be loaded). */
const until = (check: () => boolean) => vi.waitFor(() => expect(check()).toBe(true), { timeout: 10_000, interval: 5 });

describe('guidance', () => {
  it('takes replies from before the first run as history, notifies new ones, and keeps unread across restarts', async () => {
    const server = fakeServer();
    server.messages.push(staff(1, 1));
    const notifications: AgentNotification[] = [];
    const first = guidanceOver(server, notifications);
    await first.guidance.load();
    const baselined = server.parked();
    first.guidance.start();
    await baselined; // the first-run catch-up is done and the loop waits for news
    expect(notifications).toEqual([]);
    expect(first.guidance.unreadTotal()).toBe(0);

    server.post(staff(2, 2, 'Try **this**'));
    await until(() => notifications.length === 1);
    expect(notifications[0]).toEqual({ title: 'Sam replied: Ticket 2', body: 'Try this', ticketId: 2 });
    await until(() => first.guidance.unreadTotal() === 1);
    await first.guidance.stop();

    // A restart remembers what is unread and notifies nothing again.
    const again = guidanceOver(server, notifications);
    await again.guidance.load();
    expect(again.guidance.unreadTotal()).toBe(1);
    const idle = server.parked();
    again.guidance.start();
    await idle; // the restarted loop has polled once and found nothing to notify
    expect(notifications).toHaveLength(1);
    const thread = await again.guidance.thread(2);
    expect(thread.messages.map((m) => m.id)).toEqual([2]);
    expect(again.guidance.unreadTotal()).toBe(0);
    await again.guidance.stop();
  });

  it('serves the cached list offline and reports reachability', async () => {
    const server = fakeServer();
    const { guidance, online } = guidanceOver(server, []);
    await guidance.load();
    expect((await guidance.list()).fromCache).toBe(false);
    server.setOffline(true);
    const cached = await guidance.list();
    expect(cached).toMatchObject({ fromCache: true });
    expect(cached.tickets.map((t) => t.id)).toEqual([1, 2]);
    await expect(guidance.thread(1)).rejects.toMatchObject({ code: 'offline' });
    expect(online.at(-1)).toBe(false);
  });
});

describe('guidance with the live channel', () => {
  it('holds the long poll back while the channel is live, runs it in fallback, and applies no message twice', async () => {
    const server = fakeServer();
    server.messages.push(staff(1, 1));
    const notifications: AgentNotification[] = [];
    const reads: Array<[number, number]> = [];
    const { guidance } = guidanceOver(server, notifications, {
      channelGraceMs: 60_000,
      onRead: (ticketId, messageId) => void reads.push([ticketId, messageId]),
    });
    await guidance.load();
    guidance.channelState('connecting');
    guidance.start();
    guidance.channelState('live');
    // The first frame on a fresh computer: what the server had is history (baselined over HTTP)…
    await guidance.channelMessages([staff(1, 1)], 1);
    expect(notifications).toEqual([]);
    // …and a reply pushed after that is news.
    server.messages.push(staff(2, 2));
    await guidance.channelMessages([staff(2, 2)], 2);
    expect(notifications.map((n) => n.body)).toEqual(['reply 2']);
    expect(guidance.cursor()).toBe(2);
    expect(guidance.unreadTotal()).toBe(1);
    expect(server.longPolls()).toBe(0);

    // The channel falls back: the long poll takes over and brings the next reply.
    const parked = server.parked();
    guidance.channelState('long-poll');
    await parked;
    server.post(staff(3, 1));
    await until(() => notifications.length === 2);
    const polls = server.longPolls();

    // Live again: the parked poll is given up; the channel resends 3 (already applied) with 4.
    guidance.channelState('live');
    await until(() => server.parkedNow() === 0);
    server.messages.push(staff(4, 1));
    await guidance.channelMessages([staff(3, 1), staff(4, 1)], 4);
    expect(notifications.map((n) => n.body)).toEqual(['reply 2', 'reply 3', 'reply 4']);
    expect(server.longPolls()).toBe(polls);

    // Opening a thread marks it read, and says up to which staff message.
    await guidance.thread(1);
    expect(reads).toEqual([[1, 4]]);
    await guidance.stop();
  });

  it('on a fresh computer, takes what the server has as history at the welcome: the first pushed reply is news', async () => {
    const server = fakeServer();
    const notifications: AgentNotification[] = [];
    const { guidance } = guidanceOver(server, notifications, { channelGraceMs: 60_000 });
    await guidance.load();
    guidance.channelState('connecting');
    guidance.start();
    guidance.channelState('live');
    // Nothing on the server yet: one catch-up request, then the reply is posted and pushed.
    await until(() => server.catchUps() === 1);
    server.messages.push(staff(2, 2));
    await guidance.channelMessages([staff(2, 2)], 2);
    expect(notifications.map((n) => n.body)).toEqual(['reply 2']);
    expect(guidance.unreadTotal()).toBe(1);
    expect(server.longPolls()).toBe(0);
    await guidance.stop();
  });

  it('lets the long poll run when the channel stays connecting longer than the grace period', async () => {
    const server = fakeServer();
    const { guidance } = guidanceOver(server, [], { channelGraceMs: 30 });
    await guidance.load();
    guidance.channelState('connecting');
    const parked = server.parked();
    guidance.start();
    await parked;
    expect(server.longPolls()).toBe(1);
    await guidance.stop();
  });
});
