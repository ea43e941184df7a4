import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Snapshot } from '../../src/shared/snapshot';
import { healthySnapshot, withSection } from '../fixtures/snapshot-factory';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';

function later(snap: Snapshot, minutes: number): Snapshot {
  return { ...snap, collectedAt: new Date(Date.parse(snap.collectedAt) + minutes * 60_000).toISOString() };
}

function withPackage(snap: Snapshot, name: string, version: string): Snapshot {
  const software = snap.sections.software ?? { sources: [], packages: [] };
  return withSection(snap, 'software', {
    packages: [...software.packages, { name, version, source: 'dpkg', publisher: null }],
  });
}

function withRootFull(snap: Snapshot, percent: number): Snapshot {
  const filesystems = (snap.sections.storage?.filesystems ?? []).map((fs) =>
    fs.mount === '/' ? { ...fs, usePercent: percent } : fs,
  );
  return withSection(snap, 'storage', { filesystems });
}

describeEachDatabase('devices and snapshot history', (dialect) => {
  let s: TestServer;
  let laptop: EnrolledDevice;
  let ids: number[];
  beforeAll(async () => {
    s = await createTestServer(dialect);
    laptop = await s.enroll({ hostname: 'lt-anna' });
    // Three snapshots, posted out of order: the history and "previous" follow collection time.
    const base = later(healthySnapshot(), 0);
    const snaps = [
      base,
      withPackage(later(base, 60), 'vlc', '3.0.20'),
      withRootFull(withPackage(later(base, 120), 'vlc', '3.0.21'), 96),
    ];
    const byPost: Record<number, number> = {};
    for (const i of [0, 2, 1]) byPost[i] = await post(laptop, snaps[i] as Snapshot);
    ids = [byPost[0], byPost[1], byPost[2]] as number[];
  });
  afterAll(() => s.close());

  async function post(device: EnrolledDevice, snap: Snapshot): Promise<number> {
    const res = await s.inject({ method: 'POST', url: '/api/v1/snapshots', headers: device.headers, payload: snap });
    if (res.statusCode !== 201) throw new Error(`snapshot upload failed: ${res.statusCode} ${res.body}`);
    return res.json().snapshotId;
  }
  const get = (url: string, headers: Record<string, string> = s.tech.headers) =>
    s.inject({ method: 'GET', url, headers });
  const insertTicket = (deviceId: string, status: 'new' | 'open' | 'pending' | 'resolved' | 'closed') =>
    s.db.kysely
      .insertInto('tickets')
      .values({
        device_id: deviceId,
        requester_name: null,
        requester_email: null,
        subject: 's',
        description: '',
        category: 'other',
        urgency: 'low',
        impact: 'low',
        priority: 'p4',
        status,
        assignee_id: null,
        group_name: null,
        snapshot_id: null,
        finding_codes: '[]',
        created_at: s.clock.now,
        updated_at: s.clock.now,
        first_response_at: null,
        resolved_at: null,
        closed_at: null,
        sla_policy_id: null,
        first_response_due_at: null,
        resolution_due_at: null,
        sla_state: 'none',
        escalation_level: 0,
        satisfaction: null,
        satisfaction_comment: null,
        last_message_at: s.clock.now,
        last_staff_message_id: null,
      })
      .execute();

  it('diffs a snapshot against the previous one by default: the upgraded package shows up', async () => {
    const res = await get(`/api/v1/snapshots/${ids[2]}/diff`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ from: ids[1], to: ids[2] });
    expect(body.changes).toContainEqual(
      expect.objectContaining({
        area: 'software',
        kind: 'changed',
        before: expect.stringContaining('3.0.20'),
        after: expect.stringContaining('3.0.21'),
      }),
    );
    expect(body.changes).toContainEqual(expect.objectContaining({ area: 'storage' }));

    const added = (await get(`/api/v1/snapshots/${ids[1]}/diff?against=previous`)).json();
    expect(added.from).toBe(ids[0]);
    expect(added.changes).toEqual([
      expect.objectContaining({ area: 'software', kind: 'added', item: expect.stringContaining('vlc') }),
    ]);
  });

  it('diffs against an explicit snapshot of the same device', async () => {
    const res = (await get(`/api/v1/snapshots/${ids[2]}/diff?against=${ids[0]}`)).json();
    expect(res.from).toBe(ids[0]);
    expect(res.changes).toContainEqual(
      expect.objectContaining({ area: 'software', kind: 'added', item: expect.stringContaining('vlc') }),
    );
    expect((await get(`/api/v1/snapshots/${ids[0]}/diff?against=${ids[0]}`)).json().changes).toEqual([]);
  });

  it('refuses a diff across devices (422), without a previous snapshot (404), or with unknown ids (404)', async () => {
    const other = await s.enroll({ hostname: 'lt-other' });
    const otherId = await post(other, healthySnapshot());
    const cross = await get(`/api/v1/snapshots/${ids[2]}/diff?against=${otherId}`);
    expect(cross.statusCode).toBe(422);
    expect(cross.json().error.code).toBe('different_devices');
    const first = await get(`/api/v1/snapshots/${ids[0]}/diff`);
    expect(first.statusCode).toBe(404);
    expect(first.json().error.code).toBe('no_previous_snapshot');
    expect((await get(`/api/v1/snapshots/999999/diff`)).json().error.code).toBe('snapshot_not_found');
    expect((await get(`/api/v1/snapshots/${ids[2]}/diff?against=999999`)).json().error.code).toBe('snapshot_not_found');
    for (const against of ['latest', '0', '-3', '1.5', ''])
      expect((await get(`/api/v1/snapshots/${ids[2]}/diff?against=${against}`)).statusCode, against).toBe(400);
  });

  it('lists history newest first (by collection time), paginated', async () => {
    const res = await get(`/api/v1/devices/${laptop.id}/snapshots`);
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(3);
    expect(res.json().snapshots.map((x: { id: number }) => x.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(res.json().snapshots[0]).toEqual({
      id: ids[2],
      deviceId: laptop.id,
      collectedAt: '2025-03-12T10:30:00.000Z',
      receivedAt: new Date(s.clock.now).toISOString(),
      rawSize: expect.any(Number),
      findings: [expect.objectContaining({ code: 'disk.almost_full', severity: 'critical' })],
    });
    const page = (await get(`/api/v1/devices/${laptop.id}/snapshots?limit=2&offset=2`)).json();
    expect(page).toMatchObject({ total: 3, snapshots: [{ id: ids[0] }] });
  });

  it('returns the full snapshot with its info', async () => {
    const res = await get(`/api/v1/snapshots/${ids[1]}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().info).toMatchObject({ id: ids[1], deviceId: laptop.id });
    expect(res.json().snapshot).toEqual(withPackage(later(healthySnapshot(), 60), 'vlc', '3.0.20'));
  });

  it('shows a device with its latest findings and open tickets', async () => {
    await Promise.all([
      insertTicket(laptop.id, 'new'),
      insertTicket(laptop.id, 'pending'),
      insertTicket(laptop.id, 'closed'),
    ]);
    const res = await get(`/api/v1/devices/${laptop.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: laptop.id,
      hostname: 'lt-jdoe-0042',
      os: { platform: 'linux', name: 'Ubuntu', version: '24.04.2 LTS' },
      agentVersion: '0.1.0',
      healthStatus: 'critical',
      openTickets: 2,
      lastSnapshotId: ids[2],
      revoked: false,
      groups: [],
      lastSeenAt: new Date(s.clock.now).toISOString(),
      lastSnapshot: { id: ids[2] },
      findings: [{ code: 'disk.almost_full', severity: 'critical', articleTags: expect.any(Array) }],
    });
  });

  it('lists devices with filters and pagination', async () => {
    const mac = await s.enroll({ hostname: 'MB-Bob_1', os: { platform: 'darwin', name: 'macOS', version: '15.3' } });
    await s.enroll({ hostname: 'mbxbob', os: { platform: 'darwin', name: 'macOS', version: '15.3' } });
    const all = (await get('/api/v1/devices')).json();
    expect(all.total).toBe(4);
    expect(all.devices.map((d: { hostname: string }) => d.hostname)).toEqual([
      'lt-jdoe-0042',
      'lt-jdoe-0042',
      'MB-Bob_1',
      'mbxbob',
    ]);
    expect(all.devices[1]).toMatchObject({ openTickets: expect.any(Number), lastSeenAt: expect.stringMatching(/Z$/) });

    const bob = (await get('/api/v1/devices?q=b-bob_')).json();
    expect(bob.devices.map((d: { id: string }) => d.id)).toEqual([mac.id]);
    expect((await get('/api/v1/devices?q=%25')).json().total).toBe(0);
    expect((await get('/api/v1/devices?os=darwin')).json().total).toBe(2);
    expect((await get('/api/v1/devices?health=critical')).json().devices.map((d: { id: string }) => d.id)).toEqual([
      laptop.id,
    ]);
    expect((await get('/api/v1/devices?health=unknown&os=darwin&limit=1&offset=1')).json()).toMatchObject({
      total: 2,
      devices: [{ hostname: 'mbxbob' }],
    });
  });

  it('answers 404 for unknown devices and snapshots, 400 for malformed ids and queries', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const url of [`/api/v1/devices/${unknown}`, `/api/v1/devices/${unknown}/snapshots`]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('device_not_found');
    }
    expect((await get('/api/v1/snapshots/424242')).json().error.code).toBe('snapshot_not_found');
    const bad = [
      '/api/v1/devices/not-a-uuid',
      '/api/v1/devices/1/snapshots',
      '/api/v1/snapshots/abc',
      '/api/v1/snapshots/0',
      '/api/v1/snapshots/-1',
      '/api/v1/snapshots/99999999999999999999',
      '/api/v1/devices?health=sick',
      '/api/v1/devices?os=beos',
      '/api/v1/devices?limit=0',
      '/api/v1/devices?limit=1000',
      '/api/v1/devices?offset=-1',
      `/api/v1/devices/${laptop.id}/snapshots?limit=x`,
    ];
    for (const url of bad) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
  });

  it("shows the latest snapshot's health: a heartbeat sent before any check (unknown) does not hide it", async () => {
    const beat = (device: EnrolledDevice, status: string) =>
      s.inject({
        method: 'POST',
        url: '/api/v1/devices/heartbeat',
        headers: device.headers,
        payload: { agentVersion: '0.1.0', health: { status, findings: [] } },
      });
    const health = async (device: EnrolledDevice) => ({
      page: (await get(`/api/v1/devices/${device.id}`)).json().healthStatus,
      list: (await get('/api/v1/devices?q=lt-heartbeat')).json().devices.find((d: { id: string }) => d.id === device.id)
        ?.healthStatus,
    });
    // Until a first snapshot arrives, the agent's own summary is all there is.
    const fresh = await s.enroll({ hostname: 'lt-heartbeat-1' });
    expect(await health(fresh)).toEqual({ page: 'unknown', list: 'unknown' });
    expect((await beat(fresh, 'warning')).statusCode).toBe(200);
    expect(await health(fresh)).toEqual({ page: 'warning', list: 'warning' });

    // The tray beats "unknown" at start, before its first check: the snapshot's findings stay.
    const device = await s.enroll({ hostname: 'lt-heartbeat-2' });
    await post(device, withSection(withRootFull(healthySnapshot(), 96), 'os', { hostname: 'lt-heartbeat-2' }));
    expect(await health(device)).toEqual({ page: 'critical', list: 'critical' });
    for (const status of ['unknown', 'healthy']) {
      expect((await beat(device, status)).statusCode).toBe(200);
      expect(await health(device)).toEqual({ page: 'critical', list: 'critical' });
    }
    const page = (await get(`/api/v1/devices/${device.id}`)).json();
    expect(page.findings.map((f: { code: string }) => f.code)).toEqual(['disk.almost_full']);
    expect(page.lastSeenAt).toBe(new Date(s.clock.now).toISOString());
  });

  it('keeps staff routes from devices and anonymous callers (401)', async () => {
    for (const url of [
      '/api/v1/devices',
      `/api/v1/devices/${laptop.id}`,
      `/api/v1/devices/${laptop.id}/snapshots`,
      `/api/v1/snapshots/${ids[0]}`,
      `/api/v1/snapshots/${ids[1]}/diff`,
    ]) {
      expect((await get(url, laptop.headers)).statusCode, url).toBe(401);
      expect((await get(url, {})).statusCode, url).toBe(401);
    }
  });

  it('documents the routes in OpenAPI', async () => {
    const spec = (await s.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const path of [
      '/api/v1/snapshots',
      '/api/v1/devices',
      '/api/v1/devices/{id}',
      '/api/v1/devices/{id}/snapshots',
      '/api/v1/snapshots/{id}',
      '/api/v1/snapshots/{id}/diff',
    ]) {
      expect(spec.paths[path], path).toBeDefined();
    }
    // The declaration's description reaches the document with its tag and summary.
    const upload = spec.paths['/api/v1/snapshots'].post;
    expect(upload.operationId).toBe('uploadSnapshot');
    expect(upload.tags).toEqual(['devices']);
    expect(upload.description).toMatch(/same content twice yields the same id/);
  });
});
