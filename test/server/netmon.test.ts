import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestBatch } from '../../src/server/netmon/netmon-ingest.service';
import { runNetmonPass, runRetention } from '../../src/server/netmon/netmon-rollup.job';
import { insertSamples, sourceIdOf, targetIdsOf } from '../../src/server/netmon/netmon.repo';
import type { ServerEvent } from '../../src/server/events/event-bus';
import { toStaffEvent } from '../../src/server/channel/live.service';
import type { DeviceNetmonDto, NetmonAffectedDto, NetmonFleetDto } from '../../src/shared/api/netmon';
import type { NetLink, NetSample } from '../../src/shared/netmon/netmon';
import { DEFAULT_NETMON_CONFIG } from '../../src/shared/netmon/netmon';
import { NETMON_ACCEPT_PAST_MS } from '../../src/shared/netmon/netmon-limits';
import { openPeer, type TestPeer } from './channel-client';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';
import { fileTicket } from './ticket-helpers';

/*
 * Network monitoring on the server: batches over a real channel connection (ack, clamping, idempotent
 * re-send), the plan pushed to a connected agent, rollups with exact aggregates (and late samples rolled
 * again), retention, the device series, the fleet grid, who else is affected, and authorization.
 */

const MIN = 60_000;

function sample(at: number, fields: Partial<NetSample> = {}): NetSample {
  return {
    target: 'server',
    address: '127.0.0.1',
    method: 'tcp',
    at,
    sent: 4,
    received: 4,
    rttMs: 10,
    minMs: 8,
    maxMs: 12,
    jitterMs: 2,
    ...fields,
  };
}

function link(at: number, fields: Partial<NetLink> = {}): NetLink {
  return {
    at,
    interface: 'wlan0',
    subnet: '10.3.1.0/24',
    kind: 'wifi',
    wifi: { ssid: 'Corp', bssid: '00:11:22:33:44:55', signalDbm: -60, rateMbps: 300, channel: 36, band: '5' },
    errors: null,
    vpn: { up: false, name: null },
    ...fields,
  };
}

const batch = (samples: NetSample[], links: NetLink[] = []) => ({
  batchId: randomUUID(),
  samples,
  links,
  bandwidth: [],
});

describeEachDatabase('network monitoring', (dialect) => {
  let s: TestServer;
  let url: string;
  const peers: TestPeer[] = [];

  beforeAll(async () => {
    s = await createTestServer(dialect);
    url = await s.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    for (const p of peers) p.ws.terminate();
    await s?.close();
  });

  const connect = async (device: EnrolledDevice) => {
    const peer = await openPeer(url, device.token);
    peers.push(peer);
    peer.send({ type: 'hello', cursor: 0, agentVersion: '0.1.0', features: ['netmon'] });
    await peer.next('welcome');
    return peer;
  };
  const rawCount = async (deviceId: string) => {
    const row = await s.db.kysely
      .selectFrom('netmon_samples')
      .innerJoin('netmon_sources', 'netmon_sources.id', 'netmon_samples.source_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('netmon_sources.key', '=', deviceId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  // The tests move the clock by days: each request signs in afresh (a session would have expired).
  const fresh = async (role: 'admin' | 'tech') =>
    (await s.login(role === 'admin' ? s.admin.email : s.tech.email)).headers;
  const get = async <T>(path: string) => {
    const res = await s.inject({ method: 'GET', url: path, headers: await fresh('tech') });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };

  it('sends the plan after welcome, and the new plan to a connected agent when an admin changes it (audited; a technician may not)', async () => {
    const device = await s.enroll();
    const peer = await connect(device);
    expect((await peer.next('netmon.config')).config).toEqual(DEFAULT_NETMON_CONFIG);

    const plan = {
      ...DEFAULT_NETMON_CONFIG,
      intervalSeconds: 30,
      targets: [{ slug: 'mail', label: 'Mail', method: 'tcp', host: '127.0.0.1', port: 25 }],
    };
    const body = { plan, retention: { rawDays: 7, fiveMinuteDays: 90, hourlyDays: 730 } };
    const denied = await s.inject({
      method: 'PUT',
      url: '/api/v1/netmon/settings',
      headers: await fresh('tech'),
      payload: body,
    });
    expect(denied.statusCode).toBe(403);
    const res = await s.inject({
      method: 'PUT',
      url: '/api/v1/netmon/settings',
      headers: await fresh('admin'),
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(200);
    const pushed = await peer.next('netmon.config');
    expect(pushed.config.intervalSeconds).toBe(30);
    expect(pushed.config.targets.map((t) => t.slug)).toEqual(['mail']);
    expect((await get<{ plan: { intervalSeconds: number } }>('/api/v1/netmon/settings')).plan.intervalSeconds).toBe(30);
    const audited = await s.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('action', '=', 'netmon.settings.saved')
      .execute();
    expect(audited).toEqual([{ action: 'netmon.settings.saved', actor_id: String(s.admin.id) }]);
  });

  it('sends no plan to an agent from before network monitoring (its hello names no such feature)', async () => {
    const device = await s.enroll();
    const old = await openPeer(url, device.token);
    peers.push(old);
    old.send({ type: 'hello', cursor: 0, agentVersion: '0.0.9' });
    await old.next('welcome');
    const current = await connect(await s.enroll());
    await current.next('netmon.config');
    // The change reaches the current agent; the old one hears nothing of it and stays connected.
    const res = await s.inject({
      method: 'PUT',
      url: '/api/v1/netmon/settings',
      headers: await fresh('admin'),
      payload: { plan: DEFAULT_NETMON_CONFIG, retention: { rawDays: 7, fiveMinuteDays: 90, hourlyDays: 730 } },
    });
    expect(res.statusCode, res.body).toBe(200);
    // The hub sends to its connections in the order they arrived: the old agent's frame would have been
    // written before the current agent's.
    await current.next('netmon.config');
    expect(old.received.some((m) => m.type === 'netmon.config')).toBe(false);
    expect(old.received.map((m) => m.type)).toEqual(['welcome']);
  });

  it('stores a batch from the live channel, acknowledges it, drops samples outside the accepted window, and stores a re-sent batch once', async () => {
    const device = await s.enroll();
    const peer = await connect(device);
    const now = s.clock.now;
    const b = batch(
      [
        sample(now - 20_000),
        sample(now - NETMON_ACCEPT_PAST_MS + MIN, { target: 'it:mail' }),
        sample(now - NETMON_ACCEPT_PAST_MS - MIN),
        sample(now + 10 * MIN),
      ],
      [link(now - 20_000)],
    );
    peer.send({ type: 'netmon.batch', ...b });
    expect((await peer.next('netmon.ack')).batchId).toBe(b.batchId);
    expect(await rawCount(device.id)).toBe(2);
    peer.send({ type: 'netmon.batch', ...b });
    expect((await peer.next('netmon.ack')).batchId).toBe(b.batchId);
    expect(await rawCount(device.id)).toBe(2);
    const metrics = await s.ctx.metrics.registry.getSingleMetricAsString('deskside_netmon_samples_total');
    expect(metrics).toMatch(/result="out_of_range"} 4/);
    expect(metrics).toMatch(/result="duplicate"} 2/);

    const view = await get<DeviceNetmonDto>(`/api/v1/devices/${device.id}/netmon?window=1h`);
    expect(view.resolution).toBe('raw');
    expect(view.targets.map((t) => t.target)).toEqual(['server']);
    expect(view.targets[0]!.points[0]).toMatchObject({ t: now - 20_000, rttMs: 10, lossPct: 0, jitterMs: 2 });
    expect(view.wifi).toEqual([
      { t: now - 20_000, signalDbm: -60, minDbm: -60, maxDbm: -60, rateMbps: 300, errors: null },
    ]);
    expect(view.link?.wifi?.ssid).toBe('Corp');
    expect(view.site).toEqual({ key: 'subnet:10.3.1.0/24', kind: 'subnet', name: '10.3.1.0/24' });
  });

  it('rolls samples into exact 5-minute and hourly aggregates, and rolls a bucket again when late samples arrive', async () => {
    const device = await s.enroll();
    const t0 = Math.floor(s.clock.now / 3_600_000) * 3_600_000 + 3_600_000;
    s.clock.now = t0 + 3 * MIN;
    await ingestBatch(s.ctx, device.id, {
      ...batch(
        [
          sample(t0 + 10_000, { rttMs: 10, minMs: 8, maxMs: 12, jitterMs: 2 }),
          sample(t0 + 70_000, { received: 3, rttMs: 20, minMs: 15, maxMs: 30, jitterMs: 4 }),
          sample(t0 + 130_000, {
            received: 0,
            rttMs: null,
            minMs: null,
            maxMs: null,
            jitterMs: null,
            error: 'timeout',
          }),
        ],
        [
          link(t0 + 10_000, {
            wifi: { ssid: 'Corp', bssid: null, signalDbm: -50, rateMbps: 100, channel: 1, band: '2.4' },
          }),
          link(t0 + 70_000, {
            wifi: { ssid: 'Corp', bssid: null, signalDbm: -70, rateMbps: 200, channel: 1, band: '2.4' },
          }),
        ],
      ),
    });
    s.clock.now = t0 + 8 * MIN;
    await runNetmonPass(s.ctx);
    const bucketRow = () =>
      s.db.kysely
        .selectFrom('netmon_samples_5m')
        .innerJoin('netmon_sources', 'netmon_sources.id', 'netmon_samples_5m.source_id')
        .selectAll('netmon_samples_5m')
        .where('netmon_sources.key', '=', device.id)
        .where('bucket', '=', t0)
        .executeTakeFirstOrThrow();
    expect(await bucketRow()).toMatchObject({
      samples: 3,
      sent: 12,
      received: 7,
      errors: 1,
      rtt_n: 2,
      rtt_sum_us: 30_000,
      rtt_min_us: 8_000,
      rtt_max_us: 30_000,
      jitter_n: 2,
      jitter_sum_us: 6_000,
    });
    expect(Number((await bucketRow()).rtt_sq_ms)).toBeCloseTo(500, 6);

    const day = await get<DeviceNetmonDto>(`/api/v1/devices/${device.id}/netmon?window=24h`);
    expect(day.resolution).toBe('5m');
    expect(day.targets[0]!.points).toEqual([
      {
        t: t0,
        samples: 3,
        sent: 12,
        received: 7,
        lossPct: 41.667,
        rttMs: 15,
        minMs: 8,
        maxMs: 30,
        stddevMs: 7.071,
        jitterMs: 3,
        error: null,
      },
    ]);
    expect(day.wifi).toEqual([{ t: t0, signalDbm: -60, minDbm: -70, maxDbm: -50, rateMbps: 150, errors: 0 }]);

    // A sample queued while offline arrives after its bucket was rolled up: the bucket is rolled again.
    await ingestBatch(
      s.ctx,
      device.id,
      batch([sample(t0 + 200_000, { rttMs: 30, minMs: 30, maxMs: 30, jitterMs: 0 })]),
    );
    await runNetmonPass(s.ctx);
    expect(await bucketRow()).toMatchObject({ samples: 4, sent: 16, received: 11, rtt_n: 3, rtt_sum_us: 60_000 });
    // The bucket's link row was replaced with the same, not added to (the link rollups have no unique key).
    expect((await get<DeviceNetmonDto>(`/api/v1/devices/${device.id}/netmon?window=24h`)).wifi).toEqual(day.wifi);

    s.clock.now = t0 + 68 * MIN;
    await runNetmonPass(s.ctx);
    const week = await get<DeviceNetmonDto>(`/api/v1/devices/${device.id}/netmon?window=7d`);
    expect(week.resolution).toBe('1h');
    expect(week.targets[0]!.points).toEqual([
      {
        t: t0,
        samples: 4,
        sent: 16,
        received: 11,
        lossPct: 31.25,
        rttMs: 20,
        minMs: 8,
        maxMs: 30,
        stddevMs: 10,
        jitterMs: 2,
        error: null,
      },
    ]);
    // Late again, into an hour already rolled: both the 5-minute bucket and the hour follow.
    await ingestBatch(
      s.ctx,
      device.id,
      batch([sample(t0 + 4 * MIN, { rttMs: 20, minMs: 20, maxMs: 20, jitterMs: 0 })]),
    );
    await runNetmonPass(s.ctx);
    const again = await get<DeviceNetmonDto>(`/api/v1/devices/${device.id}/netmon?window=90d`);
    expect(again.targets[0]!.points[0]).toMatchObject({ samples: 5, sent: 20, received: 15, rttMs: 20 });
  });

  it('caps a count past what a rollup column holds instead of stopping the job (an agent flooding one bucket)', async () => {
    const device = await s.enroll();
    const bucket = Math.floor(s.clock.now / 300_000) * 300_000 + 300_000;
    const sourceId = await sourceIdOf(s.db.kysely, 'device', device.id);
    const targetId = (await targetIdsOf(s.db.kysely, ['server'])).get('server')!;
    const flood = Array.from({ length: 33_000 }, (_, i) => ({
      source_id: sourceId,
      target_id: targetId,
      at: bucket + i,
      sent: 1,
      received: 1,
      rtt_us: 1_000,
      min_us: 1_000,
      max_us: 1_000,
      jitter_us: 0,
      error: null,
      http: null,
    }));
    for (let i = 0; i < flood.length; i += 1_000) await insertSamples(s.db.kysely, dialect, flood.slice(i, i + 1_000));
    s.clock.now = bucket + 8 * MIN;
    await runNetmonPass(s.ctx);
    const row = await s.db.kysely
      .selectFrom('netmon_samples_5m')
      .selectAll()
      .where('source_id', '=', sourceId)
      .where('bucket', '=', bucket)
      .executeTakeFirstOrThrow();
    // Counts stop at 32,767; sums and sent / received are whole.
    expect(row).toMatchObject({ samples: 32_767, rtt_n: 32_767, jitter_n: 32_767, errors: 0, sent: 33_000 });
    expect(Number(row.rtt_sum_us)).toBe(33_000_000);
    // The job went on: the next samples of the device are rolled up as usual.
    await insertSamples(s.db.kysely, dialect, [{ ...flood[0]!, at: bucket + 10 * MIN }]);
    s.clock.now = bucket + 18 * MIN;
    await runNetmonPass(s.ctx);
    const next = await s.db.kysely
      .selectFrom('netmon_samples_5m')
      .select('samples')
      .where('source_id', '=', sourceId)
      .where('bucket', '=', bucket + 10 * MIN)
      .executeTakeFirst();
    expect(next?.samples).toBe(1);
  });

  it('answers 90 d in 6-hour points merged from the hourly rollups: counts add up, the round trip is weighted by samples', async () => {
    const device = await s.enroll();
    const SIX_H = 6 * 3_600_000;
    const t0 = Math.floor(s.clock.now / SIX_H) * SIX_H + SIX_H;
    s.clock.now = t0 + SIX_H + 10 * MIN;
    const at10 = { rttMs: 10, minMs: 9, maxMs: 11, jitterMs: 1 };
    await ingestBatch(
      s.ctx,
      device.id,
      batch([
        // Hour 0: three answered samples at 10 ms; hour 2: one at 50 ms that lost 2 of 4; the next 6 h: one at 7 ms.
        sample(t0 + MIN, at10),
        sample(t0 + 2 * MIN, at10),
        sample(t0 + 3 * MIN, at10),
        sample(t0 + 2 * 3_600_000 + MIN, { received: 2, rttMs: 50, minMs: 40, maxMs: 60, jitterMs: 5 }),
        sample(t0 + SIX_H + MIN, { rttMs: 7, minMs: 7, maxMs: 7, jitterMs: 0 }),
      ]),
    );
    s.clock.now = t0 + SIX_H + 2 * 3_600_000;
    await runNetmonPass(s.ctx);
    const quarter = await get<DeviceNetmonDto>(`/api/v1/devices/${device.id}/netmon?window=90d`);
    expect(quarter.resolution).toBe('6h');
    expect(quarter.targets.map((t) => t.target)).toEqual(['server']);
    expect(quarter.targets[0]!.points).toEqual([
      // Not the mean of the hours' means (30 ms): 3 samples at 10 ms and 1 at 50 ms.
      {
        t: t0,
        samples: 4,
        sent: 16,
        received: 14,
        lossPct: 12.5,
        rttMs: 20,
        minMs: 9,
        maxMs: 60,
        stddevMs: 20,
        jitterMs: 2,
        error: null,
      },
      {
        t: t0 + SIX_H,
        samples: 1,
        sent: 4,
        received: 4,
        lossPct: 0,
        rttMs: 7,
        minMs: 7,
        maxMs: 7,
        stddevMs: null,
        jitterMs: 0,
        error: null,
      },
    ]);
  });

  it('places devices by IT sites, colours the fleet grid by health, announces it, and lists who else is affected around a ticket', async () => {
    const sites = { sites: [{ slug: 'floor-3', name: 'Floor 3', subnets: ['10.3.0.0/16'], ssids: [] }] };
    const put = await s.inject({
      method: 'PUT',
      url: '/api/v1/netmon/sites',
      headers: await fresh('admin'),
      payload: sites,
    });
    expect(put.statusCode, put.body).toBe(200);
    const [a, b, c, d] = await Promise.all([
      s.enroll({ hostname: 'a' }),
      s.enroll({ hostname: 'b' }),
      s.enroll({ hostname: 'c' }),
      s.enroll({ hostname: 'd' }),
    ]);
    const now = s.clock.now;
    const at = now - MIN;
    const lossy = { received: 2 };
    await ingestBatch(
      s.ctx,
      a.id,
      batch(
        [sample(at, { target: 'it:mail', ...lossy }), sample(at, { target: 'gateway', ...lossy })],
        [link(at, { subnet: '10.3.1.0/24' })],
      ),
    );
    await ingestBatch(
      s.ctx,
      b.id,
      batch(
        [sample(at, { target: 'it:mail' }), sample(at, { target: 'gateway', ...lossy })],
        [link(at, { subnet: '10.3.2.0/24' })],
      ),
    );
    await ingestBatch(
      s.ctx,
      c.id,
      batch(
        [sample(at, { target: 'it:mail', ...lossy }), sample(at, { target: 'gateway' })],
        [
          link(at, {
            subnet: null,
            wifi: { ssid: 'Guest', bssid: null, signalDbm: -40, rateMbps: 54, channel: 6, band: '2.4' },
          }),
        ],
      ),
    );
    await ingestBatch(
      s.ctx,
      d.id,
      batch(
        [
          sample(at, { target: 'it:mail' }),
          sample(at, { target: 'gateway', received: 0, rttMs: null, minMs: null, maxMs: null, jitterMs: null }),
        ],
        [link(at, { subnet: '192.168.9.0/24' })],
      ),
    );

    const events: ServerEvent[] = [];
    const unsubscribe = s.ctx.bus.subscribe((e) => events.push(e));
    await runNetmonPass(s.ctx);
    await expect.poll(() => events.some((e) => e.kind === 'netmon' && e.what === 'fleet')).toBe(true);
    unsubscribe();
    expect(toStaffEvent({ kind: 'netmon', what: 'fleet' })).toEqual({ type: 'netmon', what: 'fleet' });

    const fleet = await get<NetmonFleetDto>('/api/v1/netmon/fleet');
    const cell = (target: string, site: string) => fleet.cells.find((x) => x.target === target && x.site === site);
    expect(cell('it:mail', 'site:floor-3')).toMatchObject({
      health: 'degraded',
      ok: 1,
      degraded: 1,
      down: 0,
      lossPct: 25,
    });
    expect(cell('gateway', 'site:floor-3')).toMatchObject({ health: 'degraded', degraded: 2 });
    expect(cell('it:mail', 'ssid:Guest')).toMatchObject({ health: 'degraded', degraded: 1 });
    expect(cell('gateway', 'ssid:Guest')).toMatchObject({ health: 'ok', ok: 1 });
    expect(cell('gateway', 'subnet:192.168.9.0/24')).toMatchObject({ health: 'down', down: 1 });
    expect(fleet.sites).toContainEqual({ key: 'site:floor-3', kind: 'site', name: 'Floor 3' });

    const ticketId = await fileTicket(s, a);
    const affected = await get<NetmonAffectedDto>(`/api/v1/tickets/${ticketId}/netmon/affected`);
    expect(affected.site?.name).toBe('Floor 3');
    expect(affected.degradedTargets).toEqual(['gateway', 'it:mail']);
    // b: same site (its gateway); c: same target (mail) elsewhere; d: only its own gateway, elsewhere — not listed.
    expect(affected.devices.map((x) => [x.hostname, x.reasons])).toEqual([
      ['b', ['site']],
      ['c', ['target']],
    ]);
    expect(affected.devices[0]!.targets).toEqual([{ target: 'gateway', health: 'degraded', lossPct: 50, rttMs: 10 }]);
    const missing = await s.inject({
      method: 'GET',
      url: '/api/v1/tickets/999999/netmon/affected',
      headers: await fresh('tech'),
    });
    expect(missing.statusCode).toBe(404);
  });

  it('deletes what is past retention, table by table', async () => {
    const device = await s.enroll();
    const t0 = s.clock.now;
    await ingestBatch(s.ctx, device.id, batch([sample(t0 - 10 * MIN)]));
    s.clock.now = t0 + 2 * 3_600_000;
    await runNetmonPass(s.ctx);
    const res = await s.inject({
      method: 'PUT',
      url: '/api/v1/netmon/settings',
      headers: await fresh('admin'),
      payload: { plan: DEFAULT_NETMON_CONFIG, retention: { rawDays: 1, fiveMinuteDays: 2, hourlyDays: 3 } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const count = async (table: 'netmon_samples_5m' | 'netmon_samples_1h') =>
      (await s.db.kysely.selectFrom(table).select('bucket').where('bucket', '<=', t0).execute()).length;
    expect(await rawCount(device.id)).toBe(1);
    s.clock.now = t0 + 2.5 * 24 * 3_600_000;
    const removed = await runRetention(s.ctx);
    expect(removed.samples).toBeGreaterThan(0);
    expect(await rawCount(device.id)).toBe(0);
    expect(await count('netmon_samples_5m')).toBe(0);
    expect(await count('netmon_samples_1h')).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown device and 400 for an unknown window', async () => {
    const res = await s.inject({
      method: 'GET',
      url: `/api/v1/devices/${randomUUID()}/netmon`,
      headers: await fresh('tech'),
    });
    expect(res.statusCode).toBe(404);
    const device = await s.enroll();
    const bad = await s.inject({
      method: 'GET',
      url: `/api/v1/devices/${device.id}/netmon?window=2d`,
      headers: await fresh('tech'),
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('network monitoring: site derivation', () => {
  it('prefers IT sites, then the subnet, then the SSID', async () => {
    const { siteKeyOf, cidrContains } = await import('../../src/server/netmon/sites');
    const sites = [{ slug: 'hq', name: 'HQ', subnets: ['10.0.0.0/8'], ssids: ['Corp'] }];
    expect(siteKeyOf({ subnet: '10.2.3.0/24', ssid: null }, sites)).toBe('site:hq');
    expect(siteKeyOf({ subnet: '192.168.1.0/24', ssid: 'Corp' }, sites)).toBe('site:hq');
    expect(siteKeyOf({ subnet: '192.168.1.0/24', ssid: 'Home' }, sites)).toBe('subnet:192.168.1.0/24');
    expect(siteKeyOf({ subnet: null, ssid: 'Home' }, sites)).toBe('ssid:Home');
    expect(siteKeyOf({ subnet: null, ssid: null }, sites)).toBeNull();
    expect(cidrContains('10.0.0.0/16', '10.0.0.0/8')).toBe(false);
  });
});
