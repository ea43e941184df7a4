import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareSnapshot } from '../../src/server/devices/snapshots.service';
import { startPgWireCounter, type PgWireCounter } from '../helpers/pg-wire-counter';
import { createTestServer, describeEachDatabase, DIALECTS, enrollSettled, type TestServer } from './harness';
import { newKey, PNG_BASE64, postTicket, rootFull, ticketPayload, withPackages } from './ticket-helpers';
import { healthySnapshot } from '../fixtures/snapshot-factory';

/*
 * A ticket submission writes the same rows on both databases, whichever way it is stored (one
 * PostgreSQL statement for the usual snapshot-and-no-attachment case, a transaction otherwise).
 */
describeEachDatabase('ticket submission rows', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await createTestServer(dialect);
  });
  afterAll(() => s.close());

  const eventOf = (ticketId: number) =>
    s.db.kysely
      .selectFrom('ticket_events')
      .select(['type', 'actor_type', 'actor_id', 'data', 'created_at'])
      .where('ticket_id', '=', ticketId)
      .execute();

  const screenshot = {
    kind: 'screenshot',
    filename: 'a.png',
    contentType: 'image/png',
    dataBase64: PNG_BASE64,
  } as const;

  it.each([
    ['with a snapshot', false],
    ['with a snapshot and a screenshot', true],
  ])('stores the ticket, its key, the device update and the created event %s', async (_name, withScreenshot) => {
    const d = await s.enroll();
    const snapshot = rootFull(healthySnapshot(), 97);
    const res = await postTicket(
      s,
      d,
      ticketPayload({ attachments: withScreenshot ? [screenshot] : [], snapshot, urgency: 'high', impact: 'high' }),
      'key_rows_0001',
    );
    expect(res.statusCode).toBe(201);
    const ticket = res.json() as { id: number; snapshotId: number; priority: string };
    const row = await s.db.kysely
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      device_id: d.id,
      snapshot_id: ticket.snapshotId,
      status: 'new',
      assignee_id: null,
      group_name: null,
      escalation_level: 0,
      created_at: s.clock.now,
      updated_at: s.clock.now,
      last_message_at: s.clock.now,
      finding_codes: JSON.stringify(['disk.almost_full']),
      sla_state: 'ok',
    });
    expect(row.first_response_due_at).toBeGreaterThan(s.clock.now);
    expect(row.sla_policy_id).not.toBeNull();
    // The event's JSON text is exactly what JSON.stringify makes on the other path.
    expect(await eventOf(ticket.id)).toEqual([
      {
        type: 'created',
        actor_type: 'device',
        actor_id: d.id,
        data: JSON.stringify({
          priority: ticket.priority,
          snapshotId: ticket.snapshotId,
          findingCodes: ['disk.almost_full'],
        }),
        created_at: s.clock.now,
      },
    ]);
    const key = await s.db.kysely
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('device_id', '=', d.id)
      .executeTakeFirstOrThrow();
    expect(key).toMatchObject({ key: 'key_rows_0001', ticket_id: ticket.id, created_at: s.clock.now });
    const device = await s.db.kysely.selectFrom('devices').selectAll().where('id', '=', d.id).executeTakeFirstOrThrow();
    expect(device).toMatchObject({
      last_snapshot_id: ticket.snapshotId,
      health_status: 'critical',
      hostname: snapshot.sections.os?.hostname,
      os_name: snapshot.sections.os?.name,
      agent_version: snapshot.agent.version,
    });
  });
});

describe.runIf(DIALECTS.includes('postgres'))('ticket submission statement [postgres]', () => {
  let s: TestServer;
  let counter: PgWireCounter;
  beforeAll(async () => {
    counter = await startPgWireCounter(String(process.env.DATABASE_URL));
    s = await createTestServer('postgres', {}, { pgUrl: counter.url });
  });
  afterAll(async () => {
    await s.close();
    await counter.close();
  });

  // The ticket's 24 hours of network are stored by a feed consumer (netmon/ticket-network.job.ts), not here.
  it('takes one round trip: one statement (no BEGIN, no COMMIT; the device is remembered from its last request)', async () => {
    // Heard before the first ticket, the enrollment's own device-token event cannot forget what that ticket's
    // lookup remembered (on PostgreSQL it is a NOTIFY, which may arrive after a request).
    const d = await enrollSettled(s);
    // The first ticket looks the device up, and loads the SLA policies into the cache.
    await postTicket(s, d, ticketPayload());
    const before = counter.roundTrips();
    const res = await postTicket(s, d, ticketPayload({ snapshot: withPackages(healthySnapshot(), 10) }));
    expect(res.statusCode).toBe(201);
    expect(counter.roundTrips() - before).toBe(1);
  });

  it('waits for a twin snapshot a concurrent transaction is storing, then files the ticket with it', async () => {
    const d = await s.enroll();
    const snapshot = withPackages(healthySnapshot(), 3);
    const prepared = await prepareSnapshot(s.ctx, snapshot);
    let response: Promise<Awaited<ReturnType<typeof postTicket>>> | undefined;
    // The twin goes in first and stays uncommitted until the submission is seen waiting on it.
    const twinId = await s.db.kysely.transaction().execute(async (trx) => {
      const twin = await trx
        .insertInto('snapshots')
        .values({
          device_id: d.id,
          hash: prepared.hash,
          data: prepared.data,
          raw_size: prepared.rawSize,
          collected_at: prepared.collectedAt,
          received_at: s.clock.now,
          findings: '[]',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
      const pid = rows[0]?.pid;
      let settled = false;
      response = postTicket(s, d, ticketPayload({ snapshot })).finally(() => (settled = true));
      for (let waiting = 0; waiting === 0 && !settled;) {
        const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE ${pid}::int = ANY(pg_blocking_pids(pid))`.execute(s.db.kysely);
        waiting = r.rows[0]?.n ?? 0;
      }
      return twin.id;
    });
    const res = await response;
    expect(res?.statusCode).toBe(201);
    expect((res?.json() as { snapshotId: number }).snapshotId).toBe(twinId);
    const snapshots = await s.db.kysely.selectFrom('snapshots').select('id').where('device_id', '=', d.id).execute();
    expect(snapshots).toEqual([{ id: twinId }]);
    const device = await s.db.kysely
      .selectFrom('devices')
      .select('last_snapshot_id')
      .where('id', '=', d.id)
      .executeTakeFirstOrThrow();
    expect(device.last_snapshot_id).toBe(twinId);
  });

  it('answers a replay of the same key and body with the same ticket, and a different body with 422', async () => {
    const d = await s.enroll();
    const key = newKey();
    const first = await postTicket(s, d, ticketPayload(), key);
    const again = await postTicket(s, d, ticketPayload(), key);
    expect([first.statusCode, again.statusCode]).toEqual([201, 200]);
    expect(again.json()).toEqual(first.json());
    const other = await postTicket(s, d, ticketPayload({ subject: 'Something else' }), key);
    expect(other.statusCode).toBe(422);
  });
});
