import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/server/devices/snapshots.service';
import type { SectionName, Snapshot } from '../../src/shared/snapshot';
import { healthySnapshot, withSection } from '../fixtures/snapshot-factory';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';

/* Periodic inventory as a delta: only the changed sections travel; the server stores the whole document. */
describeEachDatabase('snapshot deltas', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    device = await s.enroll();
  });
  afterAll(() => s.close());

  const post = (url: string, payload: unknown, headers = device.headers) =>
    s.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  const full = (snap: Snapshot, headers = device.headers) => post('/api/v1/snapshots', snap, headers);
  const delta = (base: number, snap: Snapshot, changed: SectionName[], headers = device.headers) => {
    const names = Object.keys(snap.sections) as SectionName[];
    const sections = Object.fromEntries(changed.map((n) => [n, snap.sections[n]]));
    return post(
      '/api/v1/snapshots/delta',
      { base, unchanged: names.filter((n) => !changed.includes(n)), snapshot: { ...snap, sections } },
      headers,
    );
  };

  it('stores the whole document from the changed sections and the base: the same snapshot a full upload gives', async () => {
    const first = healthySnapshot();
    const base = (await full(first)).json<{ snapshotId: number }>().snapshotId;
    const next = {
      ...withSection(first, 'memory', { usedBytes: (first.sections.memory?.usedBytes ?? 0) + 1024 }),
      collectedAt: new Date(Date.parse(first.collectedAt) + 4 * 3_600_000).toISOString(),
    };
    const res = await delta(base, next, ['memory']);
    expect(res.statusCode).toBe(201);
    const stored = res.json<{ snapshotId: number }>().snapshotId;
    expect(stored).not.toBe(base);
    expect(await loadSnapshot(s.ctx, stored)).toEqual(next);
    // Sent whole, the same document is the same snapshot (content-addressed).
    expect((await full(next)).json<{ snapshotId: number }>().snapshotId).toBe(stored);
    // The device's latest is the new one.
    const row = await s.db.kysely
      .selectFrom('devices')
      .select('last_snapshot_id')
      .where('id', '=', device.id)
      .executeTakeFirstOrThrow();
    expect(row.last_snapshot_id).toBe(stored);
  });

  it("refuses another device's snapshot as the base (409 unknown_base) and an unknown one alike", async () => {
    const stranger = await s.enroll();
    const theirs = (await full(healthySnapshot(), stranger.headers)).json<{ snapshotId: number }>().snapshotId;
    const res = await delta(theirs, healthySnapshot(), ['memory']);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'unknown_base' } });
    expect((await delta(999_999, healthySnapshot(), ['memory'])).statusCode).toBe(409);
  });

  it('refuses unknown section names (400) and an invalid merged document (422)', async () => {
    const base = (await full(healthySnapshot())).json<{ snapshotId: number }>().snapshotId;
    const bad = await post('/api/v1/snapshots/delta', { base, unchanged: ['kernel'], snapshot: healthySnapshot() });
    expect(bad.statusCode).toBe(400);
    const broken = await post('/api/v1/snapshots/delta', {
      base,
      unchanged: [],
      snapshot: { ...healthySnapshot(), schemaVersion: 99 },
    });
    expect(broken.statusCode).toBe(422);
  });
});
