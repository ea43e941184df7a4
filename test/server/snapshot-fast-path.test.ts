import { brotliDecompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadSnapshot, storeSnapshot } from '../../src/server/devices/snapshots.service';
import { snapshotSchema } from '../../src/shared/snapshot';
import { isCanonicalSnapshot } from '../../src/shared/snapshot/compiled';
import { healthySnapshot } from '../fixtures/snapshot-factory';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';
import { newKey, ticketPayload } from './ticket-helpers';

/**
 * The same snapshot with every object's keys reversed and an unknown key added: valid, not canonical.
 * Except `probes`, a record: it rejects unknown keys, and its canonical form keeps the input's order.
 */
function scrambled<T>(value: T, key = ''): T {
  if (Array.isArray(value)) return value.map((v) => scrambled(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([k, v]) => [k, scrambled(v, k)]);
  return Object.fromEntries(key === 'probes' ? entries : [['vendorExtension', 1], ...entries.reverse()]) as T;
}

describeEachDatabase('snapshot fast path (canonical agents) and zod path store the same thing', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    device = await s.enroll();
  });
  afterAll(() => s.close());

  /** A submission as agents send it: gzip, with a fresh Idempotency-Key. */
  const postGzip = (headers: Record<string, string>, text: string) =>
    s.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: {
        ...headers,
        'idempotency-key': newKey(),
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      payload: gzipSync(text),
    });

  const storedBytes = async (id: number) =>
    (await s.db.kysely.selectFrom('snapshots').select('data').where('id', '=', id).executeTakeFirstOrThrow()).data;

  it('stores a scrambled snapshot as the canonical one: same hash, same id, same bytes', async () => {
    const canonical = healthySnapshot();
    const other = scrambled(canonical);
    expect(isCanonicalSnapshot(canonical)).toBe(true);
    expect(isCanonicalSnapshot(other)).toBe(false);
    expect(snapshotSchema.safeParse(other).success).toBe(true);

    const first = await storeSnapshot(s.ctx, device.id, other);
    const second = await storeSnapshot(s.ctx, device.id, canonical);
    expect(second.snapshotId).toBe(first.snapshotId);
    expect(second.findings).toEqual(first.findings);
    expect(JSON.parse(brotliDecompressSync(await storedBytes(first.snapshotId)).toString('utf8'))).toEqual(canonical);
    expect(brotliDecompressSync(await storedBytes(first.snapshotId)).toString('utf8')).toBe(JSON.stringify(canonical));
    expect(await loadSnapshot(s.ctx, first.snapshotId)).toEqual(canonical);
  });

  it('files tickets with either form against one deduplicated snapshot', async () => {
    const d = await s.enroll();
    const post = (snapshot: unknown) =>
      postGzip(d.headers, JSON.stringify(ticketPayload({ snapshot: snapshot as never })));
    const a = await post(healthySnapshot());
    const b = await post(scrambled(healthySnapshot()));
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(b.json().snapshotId).toBe(a.json().snapshotId);
  });

  it('stores a canonical snapshot as the bytes the agent sent, located in the body without serialising it again', async () => {
    const d = await s.enroll();
    const post = (text: string) => postGzip(d.headers, text);
    const stored = async (res: { json: () => { snapshotId: number } }) =>
      brotliDecompressSync(await storedBytes(res.json().snapshotId)).toString('utf8');

    // As an agent sends it: the stored bytes are JSON.stringify of the canonical form.
    const agent = { ...healthySnapshot(), collectedAt: new Date(Date.now() - 1000).toISOString() };
    const sent = await post(JSON.stringify(ticketPayload({ snapshot: agent as never })));
    expect(sent.statusCode).toBe(201);
    expect(await stored(sent)).toBe(JSON.stringify(agent));

    // Proof that the bytes are the body's own: a number written 12.0 is kept as written (the same document).
    const written = { ...healthySnapshot(), collectedAt: new Date(Date.now() - 2000).toISOString(), durationMs: 12 };
    const body = JSON.stringify(ticketPayload({ snapshot: written as never })).replace(
      '"durationMs":12,',
      '"durationMs":12.0,',
    );
    const kept = await post(body);
    expect(kept.statusCode).toBe(201);
    expect(await stored(kept)).toBe(JSON.stringify(written).replace('"durationMs":12,', '"durationMs":12.0,'));
    expect(await loadSnapshot(s.ctx, kept.json().snapshotId)).toEqual(written);

    // Where the bytes cannot be located with certainty (the word as a description), the parsed snapshot is serialised.
    const described = await post(
      JSON.stringify(ticketPayload({ description: 'snapshot', snapshot: written as never })).replace(
        '"durationMs":12,',
        '"durationMs":12.0,',
      ),
    );
    expect(described.statusCode).toBe(201);
    expect(await stored(described)).toBe(JSON.stringify(written));
  });

  it('still answers 422 with the path for an invalid snapshot, gzip or not', async () => {
    const bad = { ...healthySnapshot(), durationMs: -1 };
    const gz = await postGzip(device.headers, JSON.stringify(ticketPayload({ snapshot: bad as never })));
    expect(gz.statusCode).toBe(422);
    expect(gz.json().error).toMatchObject({ code: 'invalid_snapshot', message: expect.stringContaining('durationMs') });
  });

  it('hashes a gzip body like the same plain body: a plain retry of a gzip submission is a replay, other bytes are not', async () => {
    const key = newKey();
    const payload = ticketPayload({ subject: 'Sent gzipped, retried plain' });
    const headers = { ...device.headers, 'idempotency-key': key, 'content-type': 'application/json' };
    const gz = await s.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { ...headers, 'content-encoding': 'gzip' },
      payload: gzipSync(JSON.stringify(payload)),
    });
    expect(gz.statusCode).toBe(201);
    const plain = await s.inject({ method: 'POST', url: '/api/v1/tickets', headers, payload: JSON.stringify(payload) });
    expect(plain.statusCode).toBe(200);
    expect(plain.json().id).toBe(gz.json().id);
    const changed = await s.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { ...headers, 'content-encoding': 'gzip' },
      payload: gzipSync(JSON.stringify({ ...payload, subject: 'Something else' })),
    });
    expect(changed.statusCode).toBe(422);
    expect(changed.json().error.code).toBe('idempotency_key_reused');
  });
});
