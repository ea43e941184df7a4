import { afterAll, beforeAll, expect, it } from 'vitest';
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
});
