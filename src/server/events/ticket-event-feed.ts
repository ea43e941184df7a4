import type { ServerContext } from '../context';
import { yieldToEventLoop } from '../jobs/event-loop';
import { jobLock } from '../jobs/job-lock';
import { latestFeedEventId, listFeedEvents, readFeedCursor, writeFeedCursor } from './ticket-event-feed.repo';

/*
 * Ticket history as a feed for consumers that act outside the database (email notifications, webhooks).
 * Every change to a ticket writes its `ticket_events` rows in the change's own transaction; a consumer reads
 * them in id order after its cursor, handles a batch, and only then moves the cursor. So nothing a ticket
 * went through is missed — not by a restart, not by a consumer that was failing for an hour — and a
 * batch whose handling failed is read again (handlers make their effects idempotent: a mail or a
 * delivery is keyed by the event id).
 *
 * One server instance runs each consumer (an advisory lock on PostgreSQL). On PostgreSQL an id is taken at
 * insert and becomes visible at commit, so a later id can be seen before an earlier one commits; the
 * feed reads only events older than `settleMs` (ticket transactions are short) so such an earlier event is
 * not stepped over.
 */

/** One ticket event as consumers see it. */
export interface FeedEvent {
  id: number;
  ticketId: number;
  type: string;
  actorType: 'staff' | 'device' | 'system';
  actorId: string | null;
  data: Record<string, unknown>;
  at: number;
}

export interface TicketEventFeedOptions {
  /** The consumer's name: its cursor and its job lock. */
  consumer: string;
  /** Handles a batch in order; throwing leaves the cursor where it was (the batch comes again). */
  handle(events: FeedEvent[]): Promise<void>;
  batchSize?: number;
  /** How old an event must be before it is read (see above); 0 on SQLite, where ids commit in order. */
  settleMs?: number;
  /** Where a new consumer starts: `now` skips history written before it first ran (the default). */
  startAt?: 'now' | 'beginning';
}

export interface TicketEventFeed {
  /** Reads and handles what is waiting (one batch at most); resolves with how many events it handled. */
  pump(): Promise<number>;
  /** Pumps on every ticket event this process hears of and every `intervalMs`; returns the stop function. */
  start(intervalMs?: number): () => Promise<void>;
}

function parseData(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * A batch's size on SQLite. better-sqlite3 answers every statement synchronously, so a consumer's awaits
 * never give the event loop back: a batch and its handling hold it from start to end. Under 400 tickets a
 * second, the 5 s pass took the 2,000 new `created` events in back-to-back batches of 200 and held a
 * server's requests for 113-196 ms at a time here (a CPU profile's longest tasks); now a pass hands the
 * event loop back between batches.
 */
const SQLITE_BATCH = 25;

/** Events one pass handles at most before the next (a wake or the interval's): 2,000/s over the 5 s interval. */
const PASS_EVENTS = 10_000;

/** Builds a consumer's feed over the context's database. */
export function createTicketEventFeed(ctx: ServerContext, options: TicketEventFeedOptions): TicketEventFeed {
  const batchSize = options.batchSize ?? (ctx.db.dialect === 'postgres' ? 200 : SQLITE_BATCH);
  const settleMs = options.settleMs ?? (ctx.db.dialect === 'postgres' ? 2_000 : 0);
  const lock = jobLock(ctx.db, `feed:${options.consumer}`, (err) =>
    ctx.log.warn({ err, consumer: options.consumer }, 'event feed lock: connection lost'),
  );
  let running: Promise<number> | null = null;

  async function pumpOnce(): Promise<number> {
    if (!(await lock.held())) return 0;
    let cursor = await readFeedCursor(ctx.db.kysely, options.consumer);
    if (cursor === null) {
      cursor = options.startAt === 'beginning' ? 0 : await latestFeedEventId(ctx.db.kysely);
      await writeFeedCursor(ctx.db.kysely, options.consumer, cursor, ctx.now());
    }
    const rows = await listFeedEvents(ctx.db.kysely, cursor, ctx.now() - settleMs, batchSize);
    if (rows.length === 0) return 0;
    const events = rows.map((r): FeedEvent => ({
      id: Number(r.id),
      ticketId: r.ticket_id,
      type: r.type,
      actorType: r.actor_type,
      actorId: r.actor_id,
      data: parseData(r.data),
      at: Number(r.created_at),
    }));
    await options.handle(events);
    await writeFeedCursor(ctx.db.kysely, options.consumer, events.at(-1)!.id, ctx.now());
    return events.length;
  }

  const feed: TicketEventFeed = {
    pump() {
      // One pump at a time per process; a call during one waits for it and gets its count.
      running ??= pumpOnce().finally(() => {
        running = null;
      });
      return running;
    },
    start(intervalMs = 5_000) {
      let stopped = false;
      const drain = async () => {
        try {
          // A full batch means more may wait: keep going (bounded, so one pass never runs forever: up to
          // PASS_EVENTS, whatever the batch size), letting requests in between batches.
          const batches = Math.ceil(PASS_EVENTS / batchSize);
          for (let i = 0; i < batches && !stopped && (await feed.pump()) === batchSize; i++) await yieldToEventLoop();
        } catch (error) {
          ctx.log.error({ err: error, consumer: options.consumer }, 'event feed pass failed');
        }
      };
      // One wake pending at a time: under a stream of tickets one pass takes what came meanwhile (a timer
      // and a pass per event cost more than handling the events). Each wake passes once the events heard
      // of so far are readable, and is set again when later ones are not yet.
      let wake: NodeJS.Timeout | null = null;
      let readableAt = 0;
      const arm = () => {
        wake = setTimeout(
          () => {
            wake = null;
            void drain();
            if (readableAt > Date.now()) arm();
          },
          Math.max(0, readableAt - Date.now()),
        );
        wake.unref();
      };
      const unsubscribe = ctx.bus.subscribe((event) => {
        if (event.kind === 'ticket' || event.kind === 'resync') {
          // After the settle time the event is readable on PostgreSQL; at once on SQLite.
          readableAt = Date.now() + settleMs + 50;
          if (wake === null) arm();
        }
      });
      const timer = setInterval(() => void drain(), intervalMs);
      timer.unref();
      void drain();
      return async () => {
        stopped = true;
        unsubscribe();
        if (wake) clearTimeout(wake);
        clearInterval(timer);
        await running?.catch(() => 0);
        await lock.release();
      };
    },
  };
  return feed;
}
