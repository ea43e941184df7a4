import { afterAll, beforeAll, expect, it } from 'vitest';
import { catchUpFleetIndex, startFleetIndexJob } from '../../src/server/fleet/fleet-index.service';
import type { FleetDevice, FleetSoftwareResponse, FleetSummary } from '../../src/shared/api/fleet';
import type { Snapshot } from '../../src/shared/snapshot';
import { healthySnapshot, withSection } from '../fixtures/snapshot-factory';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';
import { PNG_BASE64, postTicket, rootFull, ticketPayload } from './ticket-helpers';

const BASE = Date.parse('2026-03-02T08:00:00.000Z');

/** The healthy laptop collected `minutes` after BASE, as `hostname`, with Chrome at `chrome` (or without it). */
function laptop(hostname: string, minutes: number, chrome: string | null, extra: Snapshot['sections'] = {}): Snapshot {
  const base = healthySnapshot();
  const packages = (base.sections.software?.packages ?? []).filter((p) => p.name !== 'google-chrome-stable');
  if (chrome !== null)
    packages.push({ name: 'google-chrome-stable', version: chrome, source: 'dpkg', publisher: 'Google LLC' });
  let snap = withSection(withSection(base, 'software', { packages }), 'os', { hostname });
  snap = { ...snap, collectedAt: new Date(BASE + minutes * 60_000).toISOString() };
  return { ...snap, sections: { ...snap.sections, ...extra } };
}

function windowsPc(hostname: string, minutes: number, chrome: string): Snapshot {
  const snap = laptop(hostname, minutes, null);
  const os = snap.sections.os;
  if (!os) throw new Error('fixture has no os section');
  return {
    ...snap,
    sections: {
      ...snap.sections,
      os: { ...os, platform: 'win32', name: 'Windows 11 Pro', version: '23H2', build: '22631.2861' },
      software: {
        sources: [{ source: 'registry', count: 1, error: null }],
        packages: [{ name: 'Google Chrome', version: chrome, source: 'registry', publisher: 'Google LLC' }],
      },
    },
  };
}

describeEachDatabase('fleet queries', (dialect) => {
  let s: TestServer;
  let a: EnrolledDevice; // Ubuntu, snapshot upload, old Chrome, disk full
  let b: EnrolledDevice; // Ubuntu, ticket submission, new Chrome
  let c: EnrolledDevice; // Windows, snapshot upload
  let d: EnrolledDevice; // enrolled, never sent a snapshot

  beforeAll(async () => {
    s = await createTestServer(dialect);
    const windows = { os: { platform: 'win32', name: 'Windows 11 Pro', version: '23H2' } };
    [a, b, c, d] = await Promise.all([s.enroll(), s.enroll(), s.enroll(windows), s.enroll()]);
  });
  afterAll(() => s.close());

  const upload = async (device: EnrolledDevice, snapshot: Snapshot) => {
    const res = await s.inject({
      method: 'POST',
      url: '/api/v1/snapshots',
      headers: device.headers,
      payload: snapshot,
    });
    expect(res.statusCode, res.body).toBe(201);
    // The index job's pass: the index catches up off the upload's path.
    await catchUpFleetIndex(s.db);
    return res.json<{ snapshotId: number }>().snapshotId;
  };
  /** A ticket submission, then the index job's pass (the index catches up off the submission path). */
  const submit = async (...args: Parameters<typeof postTicket>) => {
    const res = await postTicket(...args);
    await catchUpFleetIndex(s.db);
    return res;
  };
  const get = async <T>(url: string, expected = 200): Promise<T> => {
    const res = await s.inject({ method: 'GET', url, headers: s.tech.headers });
    expect(res.statusCode, res.body).toBe(expected);
    return res.json<T>();
  };
  const software = (query: string) => get<FleetSoftwareResponse>(`/api/v1/fleet/software?${query}`);
  const devices = (query: string) => get<{ devices: FleetDevice[]; total: number }>(`/api/v1/fleet/devices?${query}`);
  const indexedSoftware = (device: EnrolledDevice) =>
    s.db.kysely
      .selectFrom('device_software')
      .select(['name', 'version', 'source'])
      .where('device_id', '=', device.id)
      .orderBy('name')
      .execute();

  it('indexes the latest snapshot from uploads and from ticket submissions', async () => {
    await upload(a, rootFull(laptop('lt-alpha', 10, '120.0.6099.109-1'), 97));
    const res = await submit(s, b, ticketPayload({ snapshot: laptop('lt-bravo', 10, '134.0.6998.35-1') }));
    expect(res.statusCode, res.body).toBe(201);
    await upload(c, windowsPc('PC-CHARLIE', 10, '119.0.6045.199'));

    const rows = await indexedSoftware(a);
    expect(rows).toContainEqual({ name: 'google-chrome-stable', version: '120.0.6099.109-1', source: 'dpkg' });
    expect(rows.length).toBe(laptop('x', 0, '1').sections.software?.packages.length);
    expect(await indexedSoftware(c)).toEqual([
      { name: 'Google Chrome', version: '119.0.6045.199', source: 'registry' },
    ]);
    const findings = await s.db.kysely
      .selectFrom('device_findings')
      .select(['device_id', 'code', 'severity'])
      .orderBy('device_id')
      .execute();
    expect(findings).toEqual([{ device_id: a.id, code: 'disk.almost_full', severity: 'critical' }]);
  });

  it('finds the computers with a package older than a version, comparing versions as versions', async () => {
    const old = await software('name=google-chrome-stable&versionBelow=125');
    expect(old.matches.map((m) => [m.hostname, m.version, m.source])).toEqual([
      ['lt-alpha', '120.0.6099.109-1', 'dpkg'],
    ]);
    expect(old).toMatchObject({ total: 1, devices: 1 });
    expect(old.matches[0]).toMatchObject({
      id: a.id,
      os: { platform: 'linux', name: 'Ubuntu', version: '24.04.2 LTS' },
      healthStatus: 'critical',
      online: true,
    });
    // 134 > 99 numerically, though "134" < "99" as text.
    expect((await software('name=google-chrome-stable&versionBelow=99')).total).toBe(0);
    expect((await software('name=google-chrome-stable&versionAtLeast=120.0.6099.110')).matches).toEqual([
      expect.objectContaining({ id: b.id, version: '134.0.6998.35-1' }),
    ]);
    const all = await software('name=Google-Chrome-Stable');
    expect(all.matches.map((m) => m.hostname)).toEqual(['lt-alpha', 'lt-bravo']);
    expect(all.versions).toEqual([
      { version: '134.0.6998.35-1', devices: 1 },
      { version: '120.0.6099.109-1', devices: 1 },
    ]);
    // The whole name, any case; the Windows package has another name.
    expect((await software('name=google%20chrome&versionBelow=120')).matches.map((m) => m.id)).toEqual([c.id]);
    expect((await software('name=google')).total).toBe(0);
  });

  it('rewrites a device’s rows when its latest snapshot changes, not for an older one delivered late', async () => {
    await upload(a, rootFull(laptop('lt-alpha', 20, '134.0.6998.88-1'), 97));
    expect((await software('name=google-chrome-stable&versionBelow=125')).total).toBe(0);
    // Collected before the latest: the outbox delivered it late; the index stays with the latest.
    await upload(a, laptop('lt-alpha', 15, '110.0.1-1'));
    expect((await software('name=google-chrome-stable&versionBelow=125')).total).toBe(0);
    expect(await indexedSoftware(a)).toContainEqual({
      name: 'google-chrome-stable',
      version: '134.0.6998.88-1',
      source: 'dpkg',
    });
  });

  it('leaves an unchanged package list in place and replaces a changed one', async () => {
    // A marker only this test writes: it survives as long as the rows are not rewritten.
    await s.db.kysely
      .updateTable('device_software')
      .set({ source: 'marker' })
      .where('device_id', '=', a.id)
      .where('name', '=', 'bash')
      .execute();
    const marked = async () => (await indexedSoftware(a)).some((r) => r.source === 'marker');
    await upload(a, rootFull(laptop('lt-alpha', 30, '134.0.6998.88-1'), 97));
    expect(await marked()).toBe(true);
    await upload(a, rootFull(laptop('lt-alpha', 40, '135.0.1-1'), 97));
    expect(await marked()).toBe(false);
  });

  it('indexes a ticket submission with an attachment and one whose snapshot is already stored', async () => {
    const screenshot = { kind: 'screenshot', filename: 'a.png', contentType: 'image/png', dataBase64: PNG_BASE64 };
    const snapshot = laptop('lt-bravo', 30, '121.0.1-1');
    const first = await submit(s, b, ticketPayload({ snapshot, attachments: [screenshot] as never }));
    expect(first.statusCode, first.body).toBe(201);
    expect((await software('name=google-chrome-stable&versionBelow=125')).matches.map((m) => m.id)).toEqual([b.id]);
    const again = await submit(s, b, ticketPayload({ snapshot }));
    expect(again.statusCode, again.body).toBe(201);
    expect((await software('name=google-chrome-stable&versionBelow=125')).matches.map((m) => m.id)).toEqual([b.id]);
    await submit(s, b, ticketPayload({ snapshot: laptop('lt-bravo', 40, '134.0.6998.35-1') }));
    expect((await software('name=google-chrome-stable&versionBelow=125')).total).toBe(0);
  });

  it('counts the fleet by OS, health, finding and online state', async () => {
    const summary = await get<FleetSummary>('/api/v1/fleet/summary');
    expect(summary).toEqual({
      devices: 4,
      online: 4,
      // From the latest snapshot's os section; d has none, so what it enrolled with.
      byOs: [
        { platform: 'linux', name: 'Ubuntu', version: '24.04.2 LTS', devices: 2 },
        { platform: 'linux', name: 'Ubuntu', version: '24.04', devices: 1 },
        { platform: 'win32', name: 'Windows 11 Pro', version: '23H2', devices: 1 },
      ],
      byHealth: [
        { status: 'critical', devices: 1 },
        { status: 'warning', devices: 0 },
        { status: 'healthy', devices: 2 },
        { status: 'unknown', devices: 1 },
      ],
      byFinding: [{ code: 'disk.almost_full', devices: 1 }],
    });
  });

  it('lists devices by OS and version, finding, health and online state', async () => {
    const ubuntu = await devices('os=Ubuntu&osVersion=24.04.2%20LTS');
    expect(ubuntu.total).toBe(2);
    expect(ubuntu.devices.map((x) => x.hostname)).toEqual(['lt-alpha', 'lt-bravo']);
    expect((await devices('os=Ubuntu')).total).toBe(3);
    expect((await devices('finding=disk.almost_full')).devices.map((x) => x.id)).toEqual([a.id]);
    expect((await devices('platform=win32')).devices.map((x) => x.id)).toEqual([c.id]);
    expect((await devices('health=unknown')).devices.map((x) => x.id)).toEqual([d.id]);
    const page = await devices('limit=2&offset=1');
    expect(page.total).toBe(4);
    expect(page.devices.map((x) => x.hostname)).toEqual(['lt-bravo', 'lt-test']);

    s.clock.advance(120_000);
    const beat = await s.inject({
      method: 'POST',
      url: '/api/v1/devices/heartbeat',
      headers: c.headers,
      payload: { agentVersion: '0.1.0', health: { status: 'healthy', findings: [] } },
    });
    expect(beat.statusCode, beat.body).toBe(200);
    expect((await devices('online=true')).devices.map((x) => [x.id, x.online])).toEqual([[c.id, true]]);
    expect((await devices('online=false')).total).toBe(3);
    expect((await get<FleetSummary>('/api/v1/fleet/summary')).online).toBe(1);
  });

  it('pages package matches after comparing versions', async () => {
    const many = await Promise.all(Array.from({ length: 5 }, () => s.enroll()));
    for (const [i, device] of many.entries()) await upload(device, laptop(`lt-page-${i}`, 10, `100.0.${i}-1`));
    const first = await software('name=google-chrome-stable&versionBelow=100.0.4&limit=2');
    expect(first).toMatchObject({ total: 4, devices: 4 });
    expect(first.matches.map((m) => m.hostname)).toEqual(['lt-page-0', 'lt-page-1']);
    const rest = await software('name=google-chrome-stable&versionBelow=100.0.4&limit=2&offset=2');
    expect(rest.matches.map((m) => m.hostname)).toEqual(['lt-page-2', 'lt-page-3']);
    expect(first.versions).toEqual(
      ['135.0.1-1', '134.0.6998.35-1', '100.0.4-1', '100.0.3-1', '100.0.2-1', '100.0.1-1', '100.0.0-1'].map(
        (version) => ({ version, devices: 1 }),
      ),
    );
  });

  it('lists a package a snapshot reports twice once', async () => {
    const twice = await s.enroll();
    const snap = laptop('lt-twice', 10, '99.0.1-1');
    const packages = snap.sections.software?.packages ?? [];
    await upload(twice, withSection(snap, 'software', { packages: [...packages, ...packages.slice(-1)] }));
    const found = await software('name=google-chrome-stable&versionBelow=99.0.2');
    expect(found).toMatchObject({ total: 1, devices: 1 });
    expect(found.matches.map((m) => m.hostname)).toEqual(['lt-twice']);
    await s.db.kysely.deleteFrom('devices').where('id', '=', twice.id).execute();
    expect((await software('name=google-chrome-stable&versionBelow=99.0.2')).total).toBe(0);
  });

  it('leaves revoked devices out of the fleet', async () => {
    const before = (await get<FleetSummary>('/api/v1/fleet/summary')).devices;
    const res = await s.inject({ method: 'POST', url: `/api/v1/devices/${c.id}/revoke`, headers: s.admin.headers });
    expect(res.statusCode, res.body).toBe(204);
    expect((await get<FleetSummary>('/api/v1/fleet/summary')).devices).toBe(before - 1);
    expect((await software('name=google%20chrome')).total).toBe(0);
    expect((await devices('platform=win32')).total).toBe(0);
  });

  it('indexes devices that had snapshots before the index existed', async () => {
    await s.db.kysely.deleteFrom('device_software').execute();
    await s.db.kysely.deleteFrom('device_findings').execute();
    await s.db.kysely.deleteFrom('device_inventory').execute();
    expect((await software('name=google-chrome-stable')).total).toBe(0);
    const indexed = await catchUpFleetIndex(s.db);
    expect(indexed).toBe(8); // every device with a snapshot: a, b, c (revoked, still indexed) and the five pages
    expect((await software('name=google-chrome-stable&versionBelow=100.0.4')).total).toBe(4);
    expect((await devices('finding=disk.almost_full')).devices.map((x) => x.id)).toEqual([a.id]);
    expect(await catchUpFleetIndex(s.db)).toBe(0);
  });

  it('catches up by itself: the job indexes a new latest snapshot within a pass, without the uploader doing anything', async () => {
    const d = await s.enroll({ hostname: 'lt-delta' });
    const stop = startFleetIndexJob(s.ctx, 20);
    try {
      const res = await s.inject({
        method: 'POST',
        url: '/api/v1/snapshots',
        headers: d.headers,
        payload: laptop('lt-delta', 50, '121.0.6167.85-1'),
      });
      expect(res.statusCode).toBe(201);
      await expect
        .poll(async () => (await indexedSoftware(d)).find((r) => r.name === 'google-chrome-stable')?.version, {
          timeout: 5000,
        })
        .toBe('121.0.6167.85-1');
    } finally {
      await stop();
    }
  });

  it('refuses bad queries with 400 and devices with 401', async () => {
    await get('/api/v1/fleet/software', 400);
    await get('/api/v1/fleet/software?name=chrome&versionBelow=..', 400);
    await get('/api/v1/fleet/devices?finding=no.such', 400);
    await get('/api/v1/fleet/devices?limit=201', 400);
    const res = await s.inject({ method: 'GET', url: '/api/v1/fleet/summary', headers: a.headers });
    expect(res.statusCode).toBe(401);
  });
});
