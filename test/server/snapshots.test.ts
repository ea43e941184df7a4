import { brotliDecompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadSnapshot, storeSnapshot } from '../../src/server/devices/snapshots.service';
import type { Snapshot } from '../../src/shared/snapshot';
import { healthySnapshot, withSection } from '../fixtures/snapshot-factory';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';

/** The healthy laptop with its root filesystem at `percent` full. */
function rootFull(snap: Snapshot, percent: number): Snapshot {
  const filesystems = (snap.sections.storage?.filesystems ?? []).map((fs) =>
    fs.mount === '/'
      ? {
          ...fs,
          usedBytes: Math.round((fs.sizeBytes * percent) / 100),
          availableBytes: fs.sizeBytes - Math.round((fs.sizeBytes * percent) / 100),
          usePercent: percent,
        }
      : fs,
  );
  return withSection(snap, 'storage', { filesystems });
}

/** The same snapshot collected `minutes` later: different content, so a different hash. */
function later(snap: Snapshot, minutes: number): Snapshot {
  return { ...snap, collectedAt: new Date(Date.parse(snap.collectedAt) + minutes * 60_000).toISOString() };
}

describeEachDatabase('snapshot store', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    device = await s.enroll();
  });
  afterAll(() => s.close());

  const post = (payload: unknown, headers: Record<string, string> = device.headers) =>
    s.inject({
      method: 'POST',
      url: '/api/v1/snapshots',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  const deviceRow = (id: string) =>
    s.db.kysely.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('stores a periodic snapshot: 201 with its id and findings', async () => {
    const res = await post(healthySnapshot());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ snapshotId: expect.any(Number), findings: [] });
  });

  it('rejects an invalid snapshot with 422 naming the first bad path', async () => {
    const bad = withSection(healthySnapshot(), 'memory', { usedPercent: 150 });
    const res = await post(bad);
    expect(res.statusCode).toBe(422);
    const { error } = res.json();
    expect(error.code).toBe('invalid_snapshot');
    expect(error.message).toContain('sections.memory.usedPercent');
    expect(error.details).toEqual([{ path: 'sections.memory.usedPercent', message: expect.any(String) }]);
  });

  it('answers 422 for documents that are not snapshots at all, with at most 10 issues', async () => {
    for (const payload of [null, 'hello', [], { schemaVersion: 2 }]) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().error.code).toBe('invalid_snapshot');
      expect(res.json().error.details.length).toBeLessThanOrEqual(10);
    }
    const sections = Object.fromEntries(Object.keys(healthySnapshot().sections).map((name) => [name, 'broken']));
    const many = await post({ ...healthySnapshot(), collectedAt: 'yesterday', sections });
    expect(many.json().error.message).toMatch(/^Invalid snapshot: collectedAt: /);
    expect(many.json().error.details).toHaveLength(10);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await s.inject({
      method: 'POST',
      url: '/api/v1/snapshots',
      headers: { ...device.headers, 'content-type': 'application/json' },
      payload: '{"schemaVersion":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
  });

  it('requires a device token', async () => {
    expect((await post(healthySnapshot(), {})).statusCode).toBe(401);
    expect((await post(healthySnapshot(), s.tech.headers)).json().error.code).toBe('device_token_required');
    expect((await post(healthySnapshot(), { authorization: `Bearer ${'x'.repeat(43)}` })).json().error.code).toBe(
      'invalid_device_token',
    );
  });

  it('accepts a gzip request body', async () => {
    const res = await s.inject({
      method: 'POST',
      url: '/api/v1/snapshots',
      headers: { ...device.headers, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: gzipSync(JSON.stringify(later(healthySnapshot(), 1))),
    });
    expect(res.statusCode).toBe(201);
  });

  it('deduplicates by content per device: same snapshot, same id; another one, a new id', async () => {
    const dev = await s.enroll();
    const snap = later(healthySnapshot(), 5);
    const first = (await post(snap, dev.headers)).json().snapshotId;
    const again = (await post(snap, dev.headers)).json().snapshotId;
    const other = (await post(later(snap, 1), dev.headers)).json().snapshotId;
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    // Another device with the same content gets its own row.
    const elsewhere = (await post(snap)).json().snapshotId;
    expect(elsewhere).not.toBe(first);
    const rows = await s.db.kysely.selectFrom('snapshots').select('id').where('device_id', '=', dev.id).execute();
    expect(rows).toHaveLength(2);
  });

  it('deduplicates concurrent submissions of the same snapshot', async () => {
    const dev = await s.enroll();
    const snap = later(healthySnapshot(), 30);
    const ids = await Promise.all(Array.from({ length: 8 }, () => storeSnapshot(s.ctx, dev.id, snap)));
    expect(new Set(ids.map((r) => r.snapshotId)).size).toBe(1);
  });

  it('stores the data compressed (Brotli), smaller than the canonical JSON, and loads it back unchanged', async () => {
    const snap = later(healthySnapshot(), 60);
    const { snapshotId } = await storeSnapshot(s.ctx, device.id, snap);
    const row = await s.db.kysely
      .selectFrom('snapshots')
      .select(['data', 'raw_size', 'hash'])
      .where('id', '=', snapshotId)
      .executeTakeFirstOrThrow();
    expect(row.raw_size).toBe(Buffer.byteLength(JSON.stringify(snap)));
    expect(row.data.length).toBeLessThan(row.raw_size / 2);
    expect(brotliDecompressSync(row.data).toString('utf8')).toBe(JSON.stringify(snap));
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await loadSnapshot(s.ctx, snapshotId)).toEqual(snap);
    expect(await loadSnapshot(s.ctx, 999_999)).toBeNull();
  });

  it('still reads a snapshot stored gzipped, as servers before Brotli stored them', async () => {
    const snap = later(healthySnapshot(), 75);
    const { snapshotId } = await storeSnapshot(s.ctx, device.id, snap);
    await s.db.kysely
      .updateTable('snapshots')
      .set({ data: gzipSync(JSON.stringify(snap), { level: 3 }) })
      .where('id', '=', snapshotId)
      .execute();
    expect(await loadSnapshot(s.ctx, snapshotId)).toEqual(snap);
  });

  it('updates the device: latest snapshot, health status and summary, inventory facts', async () => {
    const dev = await s.enroll({ hostname: 'old-name' });
    const snap = rootFull(later(healthySnapshot(), 90), 97);
    const res = await post(snap, dev.headers);
    expect(res.json().findings).toEqual([expect.objectContaining({ code: 'disk.almost_full', severity: 'critical' })]);
    const row = await deviceRow(dev.id);
    expect(row).toMatchObject({
      last_snapshot_id: res.json().snapshotId,
      health_status: 'critical',
      hostname: 'lt-jdoe-0042',
      os_version: '24.04.2 LTS',
    });
    expect(JSON.parse(row.health_summary)).toEqual({
      status: 'critical',
      findings: [{ code: 'disk.almost_full', severity: 'critical' }],
    });

    const warning = (await post(rootFull(later(snap, 10), 92), dev.headers)).json();
    expect((await deviceRow(dev.id)).health_status).toBe('warning');
    const healthy = (await post(later(healthySnapshot(), 110), dev.headers)).json();
    expect(await deviceRow(dev.id)).toMatchObject({ health_status: 'healthy', last_snapshot_id: healthy.snapshotId });
    expect(warning.snapshotId).not.toBe(healthy.snapshotId);
  });

  it('keeps the newest snapshot as the device latest when an older one arrives late', async () => {
    const dev = await s.enroll();
    const newer = (await post(later(healthySnapshot(), 100), dev.headers)).json().snapshotId;
    await post(rootFull(later(healthySnapshot(), 50), 99), dev.headers);
    expect(await deviceRow(dev.id)).toMatchObject({ last_snapshot_id: newer, health_status: 'healthy' });
  });

  it('uses the given transaction: a rollback leaves nothing behind', async () => {
    const dev = await s.enroll();
    const rollback = new Error('rollback');
    await expect(
      s.db.kysely.transaction().execute(async (trx) => {
        await storeSnapshot(s.ctx, dev.id, later(healthySnapshot(), 200), trx);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await s.db.kysely.selectFrom('snapshots').select('id').where('device_id', '=', dev.id).execute()).toEqual(
      [],
    );
    expect((await deviceRow(dev.id)).last_snapshot_id).toBeNull();
  });
});

describeEachDatabase('snapshot size limit', (dialect) => {
  let s: TestServer;
  beforeAll(async () => (s = await createTestServer(dialect, { snapshotLimitBytes: 4096 })));
  afterAll(() => s.close());

  it('rejects a snapshot over snapshotLimitBytes with 413', async () => {
    const device = await s.enroll();
    const res = await s.inject({
      method: 'POST',
      url: '/api/v1/snapshots',
      headers: device.headers,
      payload: healthySnapshot(),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('snapshot_too_large');
    expect(await s.db.kysely.selectFrom('snapshots').select('id').execute()).toEqual([]);
  });
});
