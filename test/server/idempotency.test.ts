import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';
import { newKey, PNG_BASE64, postTicket, ticketPayload } from './ticket-helpers';

describeEachDatabase('ticket idempotency', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    device = await s.enroll();
  });
  afterAll(() => s.close());

  const count = async (table: 'tickets' | 'idempotency_keys' | 'snapshots' | 'attachments', deviceId = device.id) => {
    const db = s.db.kysely;
    const query =
      table === 'attachments'
        ? db
            .selectFrom('attachments')
            .innerJoin('tickets', 'tickets.id', 'attachments.ticket_id')
            .where('tickets.device_id', '=', deviceId)
        : table === 'tickets'
          ? db.selectFrom('tickets').where('device_id', '=', deviceId)
          : table === 'snapshots'
            ? db.selectFrom('snapshots').where('device_id', '=', deviceId)
            : db.selectFrom('idempotency_keys').where('device_id', '=', deviceId);
    const row = await (query as ReturnType<typeof db.selectFrom<'tickets'>>)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  it('replays the same key and body: 200, the same ticket, Idempotent-Replay: true, nothing stored twice', async () => {
    const d = await s.enroll();
    const key = newKey();
    const payload = ticketPayload({
      attachments: [{ kind: 'screenshot', filename: 'screen.png', contentType: 'image/png', dataBase64: PNG_BASE64 }],
    });
    const first = await postTicket(s, d, payload, key);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replay']).toBeUndefined();
    const again = await postTicket(s, d, payload, key);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect([
      await count('tickets', d.id),
      await count('idempotency_keys', d.id),
      await count('snapshots', d.id),
      await count('attachments', d.id),
    ]).toEqual([1, 1, 1, 1]);
  });

  it('treats a gzip retry of the same JSON as the same request', async () => {
    const key = newKey();
    const payload = ticketPayload({ subject: 'Sent plain, retried gzipped' });
    const plain = await postTicket(s, device, payload, key);
    const gzipped = await s.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: {
        ...device.headers,
        'idempotency-key': key,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      payload: gzipSync(JSON.stringify(payload)),
    });
    expect(plain.statusCode).toBe(201);
    expect(gzipped.statusCode).toBe(200);
    expect(gzipped.json().id).toBe(plain.json().id);
  });

  it('refuses the same key with a different body: 422 idempotency_key_reused', async () => {
    const key = newKey();
    const first = await postTicket(s, device, ticketPayload({ subject: 'First' }), key);
    expect(first.statusCode).toBe(201);
    const other = await postTicket(s, device, ticketPayload({ subject: 'Something else' }), key);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
  });

  it('scopes keys per device: another device may use the same key', async () => {
    const key = newKey();
    const d2 = await s.enroll();
    const a = await postTicket(s, device, ticketPayload(), key);
    const b = await postTicket(s, d2, ticketPayload(), key);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).not.toBe(b.json().id);
  });

  it('creates exactly one ticket when 20 identical submissions race', async () => {
    const d = await s.enroll();
    const key = newKey();
    const payload = ticketPayload({ subject: 'Racing retries' });
    const responses = await Promise.all(Array.from({ length: 20 }, () => postTicket(s, d, payload, key)));
    const statuses = responses.map((r) => r.statusCode);
    expect(
      statuses.filter((c) => c === 201),
      statuses.join(','),
    ).toHaveLength(1);
    expect(statuses.filter((c) => c === 200)).toHaveLength(19);
    const ids = new Set(responses.map((r) => r.json().id as number));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.statusCode === 200).every((r) => r.headers['idempotent-replay'] === 'true')).toBe(
      true,
    );
    expect(await count('tickets', d.id)).toBe(1);
    expect(await count('idempotency_keys', d.id)).toBe(1);
    expect(await count('snapshots', d.id)).toBe(1);
    const [id] = [...ids];
    const events = await s.db.kysely
      .selectFrom('ticket_events')
      .select('type')
      .where('ticket_id', '=', Number(id))
      .execute();
    expect(events).toEqual([{ type: 'created' }]);
  });

  it('creates two tickets for two different keys sent at once, with one shared snapshot', async () => {
    const d = await s.enroll();
    const payload = ticketPayload({ subject: 'Two tickets' });
    const [a, b] = await Promise.all([postTicket(s, d, payload, newKey()), postTicket(s, d, payload, newKey())]);
    expect([a?.statusCode, b?.statusCode]).toEqual([201, 201]);
    expect(a?.json().id).not.toBe(b?.json().id);
    expect(a?.json().snapshotId).toBe(b?.json().snapshotId);
    expect(await count('tickets', d.id)).toBe(2);
  });

  it('races many keys with many retries each and still creates one ticket per key', async () => {
    const d = await s.enroll();
    const keys = Array.from({ length: 5 }, newKey);
    const responses = await Promise.all(
      keys.flatMap((key, i) =>
        Array.from({ length: 4 }, () => postTicket(s, d, ticketPayload({ subject: `Ticket ${i}` }), key)),
      ),
    );
    expect(responses.every((r) => r.statusCode === 200 || r.statusCode === 201)).toBe(true);
    for (let i = 0; i < keys.length; i++) {
      expect(new Set(responses.slice(i * 4, i * 4 + 4).map((r) => r.json().id)).size).toBe(1);
    }
    expect(await count('tickets', d.id)).toBe(5);
  });
});
