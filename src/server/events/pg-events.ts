import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from '../db/database';
import { toServerEvent, type EventTransport, type ServerEvent } from './event-bus';

/*
 * Events across server processes on PostgreSQL: each process holds one connection that LISTENs, and
 * publishes with pg_notify through its pool. PostgreSQL delivers a notification to every listening session,
 * the sender's included, after the publishing transaction commits, and in commit order.
 *
 * The channel is named after the database schema, so servers on different schemas of one database (test
 * runs, tenants) do not hear each other. When the listening connection is lost, the transport reconnects
 * with backoff and delivers a `resync` event: what was published meanwhile was not heard, so subscribers
 * re-read from the database.
 */

/** Longest payload pg_notify accepts is 8000 bytes; events are a few dozen. */
const MAX_PAYLOAD = 7900;

/** The NOTIFY channel of a schema: an identifier (≤ 63 bytes), the same in every process on that schema. */
export function channelNameOf(schema: string): string {
  return `deskside_events_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
}

export function pgTransport(
  db: Db,
  options: { onError?: (error: unknown) => void; retryMs?: (attempt: number) => number } = {},
): EventTransport {
  if (!db.dedicatedClient) throw new Error('pgTransport needs a PostgreSQL database');
  const onError = options.onError ?? (() => {});
  const retryMs =
    options.retryMs ?? ((attempt: number) => Math.min(30_000, 250 * 2 ** attempt) * (0.5 + Math.random()));
  let channel: string | null = null;
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;

  async function connect(deliver: (event: ServerEvent) => void, attempt: number): Promise<void> {
    const next = db.dedicatedClient!();
    next.on('notification', (message) => {
      if (message.channel !== channel || !message.payload) return;
      let value: unknown;
      try {
        value = JSON.parse(message.payload);
      } catch {
        return onError(new Error(`pg events: a notification that is not JSON on ${channel}`));
      }
      const event = toServerEvent(value);
      if (event) deliver(event);
      else onError(new Error(`pg events: an unknown event on ${channel}`));
    });
    next.on('error', (error) => {
      onError(error);
      lost(next);
    });
    next.on('end', () => lost(next));
    const lost = (which: pg.Client) => {
      if (client !== which || stopped) return;
      client = null;
      which.removeAllListeners('end');
      void which.end().catch(() => {});
      schedule(deliver, 0);
    };
    await next.connect();
    if (stopped) {
      await next.end().catch(() => {});
      return;
    }
    channel ??= channelNameOf(
      (await next.query<{ schema: string }>('select current_schema() as schema')).rows[0]?.schema ?? 'public',
    );
    await next.query(`LISTEN ${channel}`);
    client = next;
    // A reconnect: what was published while nobody listened is gone; everyone re-reads.
    if (attempt > 0) deliver({ kind: 'resync' });
  }

  function schedule(deliver: (event: ServerEvent) => void, attempt: number): void {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect(deliver, attempt + 1).catch((error: unknown) => {
        onError(error);
        schedule(deliver, attempt + 1);
      });
    }, retryMs(attempt));
  }

  return {
    name: 'postgres',
    async start(deliver) {
      stopped = false;
      await connect(deliver, 0);
    },
    async send(event) {
      if (!channel) throw new Error('pg events: not started');
      const payload = JSON.stringify(event);
      if (payload.length > MAX_PAYLOAD) throw new Error(`pg events: event too large (${payload.length} bytes)`);
      await sql`select pg_notify(${channel}, ${payload})`.execute(db.kysely);
    },
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      retry = null;
      const current = client;
      client = null;
      if (current) {
        current.removeAllListeners('end');
        await current.end().catch(() => {});
      }
    },
  };
}
