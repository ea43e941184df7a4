import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createPgSchema, dropPgSchema, openDatabase, type Db } from '../../src/server/db/database';
import { EventBus, toServerEvent, type ServerEvent } from '../../src/server/events/event-bus';
import { channelNameOf, pgTransport } from '../../src/server/events/pg-events';

const PG = process.env.DATABASE_URL;

describe('server events', () => {
  it('accepts only well-formed events from a transport', () => {
    expect(toServerEvent({ kind: 'ticket', ticketId: 3 })).toEqual({ kind: 'ticket', ticketId: 3 });
    expect(toServerEvent({ kind: 'ticket', ticketId: -1 })).toBeNull();
    expect(toServerEvent({ kind: 'content', what: 'everything' })).toBeNull();
    expect(toServerEvent({ kind: 'presence', ticketId: 1, staff: { id: 2, name: 'Ada' }, typing: true })).toEqual({
      kind: 'presence',
      ticketId: 1,
      staff: { id: 2, name: 'Ada' },
      typing: true,
    });
    expect(toServerEvent({ kind: 'devices', deviceIds: ['d-1', 'd-2'] })).toEqual({
      kind: 'devices',
      deviceIds: ['d-1', 'd-2'],
    });
    expect(toServerEvent({ kind: 'devices', deviceIds: null })).toEqual({ kind: 'devices', deviceIds: null });
    expect(toServerEvent({ kind: 'devices', deviceIds: [''] })).toBeNull();
    expect(toServerEvent({ kind: 'devices', deviceIds: 'd-1' })).toBeNull();
    expect(toServerEvent({ kind: 'launch-missiles' })).toBeNull();
    expect(toServerEvent('ticket')).toBeNull();
  });

  it('wakes a long poll waiting on the ticket, in this process, without a database', async () => {
    const bus = new EventBus();
    await bus.start();
    const woke = bus.wait([7], 5000);
    bus.notify(7);
    expect(await woke).toBe(true);
    expect(await bus.wait([7], 10)).toBe(false);
    await bus.stop();
  });
});

describe.skipIf(!PG)('server events over PostgreSQL LISTEN/NOTIFY', () => {
  const opened: { db: Db; bus: EventBus }[] = [];
  let schema = '';
  afterEach(async () => {
    for (const { db, bus } of opened.splice(0)) {
      await bus.stop();
      await db.destroy();
    }
    if (schema) await dropPgSchema(String(PG), schema);
  });
  const process = async (events: ServerEvent[]) => {
    const db = openDatabase({ url: String(PG), schema, poolSize: 2 });
    const bus = new EventBus(pgTransport(db, { retryMs: () => 20 }));
    bus.subscribe((e) => events.push(e));
    await bus.start();
    opened.push({ db, bus });
    return { db, bus };
  };

  it('delivers each event to every process once, only on the same schema, and resyncs after losing its listener', async () => {
    schema = `t_${randomBytes(6).toString('hex')}`;
    await createPgSchema(String(PG), schema);
    const heardA: ServerEvent[] = [];
    const heardB: ServerEvent[] = [];
    const a = await process(heardA);
    await process(heardB);
    a.bus.notify(41);
    await expect.poll(() => heardB).toEqual([{ kind: 'ticket', ticketId: 41 }]);
    expect(heardA).toEqual([{ kind: 'ticket', ticketId: 41 }]);

    // The listening session dies (a database restart, a failover): the transport reconnects and says resync.
    const channel = channelNameOf(schema);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
              where application_name = ${`deskside ${schema}`} and query = ${`LISTEN ${channel}`}`.execute(a.db.kysely);
    await expect.poll(() => heardA.filter((e) => e.kind === 'resync').length, { timeout: 5000 }).toBe(1);
    await expect.poll(() => heardB.filter((e) => e.kind === 'resync').length, { timeout: 5000 }).toBe(1);
    a.bus.publish({ kind: 'content', what: 'articles' });
    await expect.poll(() => heardB.at(-1)).toEqual({ kind: 'content', what: 'articles' });
    await expect.poll(() => heardA.at(-1)).toEqual({ kind: 'content', what: 'articles' });
  });
});
