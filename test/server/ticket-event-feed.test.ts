import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createTicketEventFeed, type FeedEvent } from '../../src/server/events/ticket-event-feed';
import { createTestServer, describeEachDatabase, type TestServer } from './harness';
import { fileTicket } from './ticket-helpers';

describeEachDatabase('ticket event feed', (dialect) => {
  let s: TestServer;
  beforeAll(async () => (s = await createTestServer(dialect)));
  afterAll(() => s.close());

  const feedOf = (consumer: string, handle: (events: FeedEvent[]) => Promise<void>, batchSize = 200) =>
    createTicketEventFeed(s.ctx, { consumer, handle, batchSize, settleMs: 1_000, startAt: 'beginning' });

  it('hands every settled event over once, in order, and a failed batch again', async () => {
    const device = await s.enroll();
    const ticketId = await fileTicket(s, device);
    const seen: FeedEvent[] = [];
    let fail = true;
    const feed = feedOf('test-a', async (events) => {
      if (fail) throw new Error('mail server down');
      seen.push(...events);
    });
    // Not settled yet: nothing is read.
    expect(await feed.pump()).toBe(0);
    s.clock.advance(1_000);
    await expect(feed.pump()).rejects.toThrow('mail server down');
    fail = false;
    const count = await feed.pump();
    expect(count).toBeGreaterThan(0);
    expect(seen.map((e) => e.ticketId)).toContain(ticketId);
    expect(seen.find((e) => e.ticketId === ticketId)).toMatchObject({ type: 'created', actorType: 'device' });
    expect(seen.map((e) => e.id)).toEqual([...seen.map((e) => e.id)].sort((a, b) => a - b));
    expect(await feed.pump()).toBe(0);
    // A second consumer has a cursor of its own.
    const other: FeedEvent[] = [];
    await feedOf('test-b', async (events) => void other.push(...events)).pump();
    expect(other.map((e) => e.id)).toEqual(seen.map((e) => e.id));
  });

  it('reads in batches and a new consumer that starts now skips history', async () => {
    const device = await s.enroll();
    for (let i = 0; i < 3; i++) await fileTicket(s, device);
    s.clock.advance(1_000);
    const batches: number[] = [];
    const feed = feedOf('test-c', async (events) => void batches.push(events.length), 2);
    while ((await feed.pump()) > 0);
    expect(batches.every((n) => n <= 2)).toBe(true);
    expect(batches.length).toBeGreaterThan(1);

    const late: FeedEvent[] = [];
    const fresh = createTicketEventFeed(s.ctx, {
      consumer: 'test-d',
      handle: async (e) => void late.push(...e),
      settleMs: 0,
    });
    expect(await fresh.pump()).toBe(0);
    const ticketId = await fileTicket(s, device);
    await fresh.pump();
    expect(late.map((e) => e.ticketId)).toEqual([ticketId]);
  });

  it('running, one pass takes a backlog of many batches (not a fixed number of them)', async () => {
    const device = await s.enroll();
    const ticketId = await fileTicket(s, device);
    const now = s.ctx.now();
    await s.db.kysely
      .insertInto('ticket_events')
      .values(
        Array.from({ length: 120 }, () => ({
          ticket_id: ticketId,
          type: 'sla_state_changed',
          actor_type: 'system' as const,
          actor_id: null,
          data: '{"from":"ok","to":"warning"}',
          created_at: now,
        })),
      )
      .execute();
    s.clock.advance(1_000);
    const handled: FeedEvent[] = [];
    const feed = createTicketEventFeed(s.ctx, {
      consumer: 'test-f',
      handle: async (events) => void handled.push(...events),
      batchSize: 1,
      settleMs: 0,
      startAt: 'beginning',
    });
    // The interval's next pass is a minute away: the first pass alone must get through them all.
    const stop = feed.start(60_000);
    try {
      await vi.waitFor(
        () => expect(handled.filter((e) => e.type === 'sla_state_changed').length).toBeGreaterThanOrEqual(120),
        {
          timeout: 5_000,
        },
      );
    } finally {
      await stop();
    }
  });

  it('running, it lets the event loop in between batches, and wakes for ticket activity', async () => {
    const device = await s.enroll();
    for (let i = 0; i < 4; i++) await fileTicket(s, device);
    s.clock.advance(1_000);
    // Something else waiting for the event loop (a request, say) while a backlog is handled in batches of 2.
    let waiting = false;
    const turns: boolean[] = [];
    const handled: FeedEvent[] = [];
    const feed = createTicketEventFeed(s.ctx, {
      consumer: 'test-e',
      handle: async (events) => {
        turns.push(!waiting);
        waiting = true;
        setImmediate(() => (waiting = false));
        handled.push(...events);
      },
      batchSize: 2,
      settleMs: 0,
      startAt: 'beginning',
    });
    const stop = feed.start(60_000);
    try {
      await vi.waitFor(() => expect(turns.length).toBeGreaterThanOrEqual(3));
      // On SQLite every statement answers synchronously: without a turn between batches it never came.
      expect(turns).not.toContain(false);
      // Activity while it runs (here a ticket's news on the bus, as a reply sends) wakes it, not the minute's pass.
      const later = [await fileTicket(s, device), await fileTicket(s, device)];
      for (const id of later) s.ctx.bus.notify(id);
      await vi.waitFor(() => expect(handled.map((e) => e.ticketId)).toEqual(expect.arrayContaining(later)));
    } finally {
      await stop();
    }
  });
});
