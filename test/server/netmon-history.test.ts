import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toServerEvent } from '../../src/server/events/event-bus';
import { ingestBatch } from '../../src/server/netmon/netmon-ingest.service';
import { runDueChecks } from '../../src/server/netmon/server-checks.service';
import type { CheckHistoryDto, DeviceBandwidthDto, TicketNetSummary } from '../../src/shared/api/netmon-history';
import type { NetLink, NetSample } from '../../src/shared/netmon/netmon';
import { openPeer, type TestPeer } from './channel-client';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';
import { fileTicket } from './ticket-helpers';
import { ticketNetworkFeed } from '../../src/server/netmon/ticket-network.job';

/*
 * Network records (issue 14) on SQLite and PostgreSQL: a ticket keeps its device's 24 hours as they were when
 * it was filed (figures per target, hourly points, the Wi-Fi signal) even after the history is gone; a device's
 * bandwidth tests, and asking a connected agent for one over the live channel (refused while offline); a
 * server-side check's state changes, availability and round trips.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;

function sample(target: string, at: number, received: number, rttMs: number): NetSample {
  const answered = received > 0;
  return {
    target,
    address: '127.0.0.1',
    method: 'tcp',
    at,
    sent: 4,
    received,
    rttMs: answered ? rttMs : null,
    minMs: answered ? rttMs - 1 : null,
    maxMs: answered ? rttMs + 1 : null,
    jitterMs: answered ? 1 : null,
  };
}

function wifi(at: number, signalDbm: number): NetLink {
  return {
    at,
    interface: 'wlan0',
    subnet: '10.3.1.0/24',
    kind: 'wifi',
    wifi: { ssid: 'Corp-F3', bssid: '3c:84:6a:12:9e:40', signalDbm, rateMbps: 400, channel: 44, band: '5' },
    errors: null,
    vpn: { up: false, name: null },
  };
}

describeEachDatabase('network records', (dialect) => {
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

  const get = async <T>(path: string, status = 200) => {
    const res = await s.inject({ method: 'GET', url: path, headers: s.tech.headers });
    expect(res.statusCode, res.body).toBe(status);
    return res.json<T>();
  };
  const send = (device: EnrolledDevice, samples: NetSample[], links: NetLink[] = [], bandwidth = []) =>
    ingestBatch(s.ctx, device.id, { batchId: randomUUID(), samples, links, bandwidth });

  it('keeps the 24 hours before a ticket with the ticket, unchanged once the history has aged out', async () => {
    const device = await s.enroll({ hostname: 'lt-ana' });
    const now = s.clock.now;
    // A sample every 5 minutes for a day: the gateway lost everything for the hour 6 h before, mail is slow at 120 ms.
    const samples: NetSample[] = [];
    for (let at = now - 24 * HOUR + MIN; at < now; at += 5 * MIN) {
      const outage = at >= now - 6 * HOUR && at < now - 5 * HOUR;
      samples.push(sample('gateway', at, outage ? 0 : 4, 2 + ((at / MIN) % 3)));
      samples.push(sample('it:mail', at, 4, 120));
    }
    const links = [wifi(now - 3 * HOUR, -60), wifi(now - 2 * HOUR, -70), wifi(now - HOUR, -50)];
    for (let i = 0; i < samples.length; i += 200) await send(device, samples.slice(i, i + 200), i === 0 ? links : []);
    const feed = ticketNetworkFeed(s.ctx, 0);
    await feed.pump(); // the consumer starts after the history written so far
    const ticketId = await fileTicket(s, device);
    // Filing stores nothing itself: the feed consumer does, with the window ending at the filing.
    expect(await get(`/api/v1/tickets/${ticketId}/netmon/summary`)).toEqual({ summary: null });
    expect(await feed.pump()).toBeGreaterThan(0);

    const { summary } = await get<{ summary: TicketNetSummary }>(`/api/v1/tickets/${ticketId}/netmon/summary`);
    expect(summary).toMatchObject({ ticketId, deviceId: device.id, from: now - 24 * HOUR, to: now });
    const gateway = summary.targets.find((t) => t.target === 'gateway')!;
    expect(gateway.samples).toBe(288);
    // 12 of 288 samples answered nothing: 4.17 % loss and 95.83 % available.
    expect(gateway.lossPct).toBeCloseTo((12 / 288) * 100, 1);
    expect(gateway.availabilityPct).toBeCloseTo((276 / 288) * 100, 1);
    expect(gateway.p95Ms).toBe(4);
    expect(gateway.healthAtFiling).toBe('ok');
    expect(gateway.points.length).toBeGreaterThanOrEqual(24);
    // The outage is one hourly point where nothing answered.
    expect(gateway.points.find((p) => p.t === now - 6 * HOUR)).toMatchObject({
      samples: 12,
      received: 0,
      lossPct: 100,
    });
    const mail = summary.targets.find((t) => t.target === 'it:mail')!;
    expect(mail).toMatchObject({ rttMs: 120, p95Ms: 120, lossPct: 0, availabilityPct: 100 });
    expect(summary.wifi).toEqual({ ssid: 'Corp-F3', reports: 3, avgDbm: -60, minDbm: -70, maxDbm: -50, rateMbps: 400 });
    const stored = await s.db.kysely
      .selectFrom('netmon_ticket_summaries')
      .select('summary')
      .where('ticket_id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(stored.summary.length).toBeLessThan(6_000);

    // The history ages out: the ticket's copy stays as it was.
    for (const table of ['netmon_samples', 'netmon_samples_5m', 'netmon_samples_1h', 'netmon_links'] as const)
      await s.db.kysely.deleteFrom(table).execute();
    expect(await get(`/api/v1/tickets/${ticketId}/netmon/summary`)).toEqual({ summary });

    // A device that never sent results: nothing stored, the view falls back to the live history.
    const quiet = await s.enroll({ hostname: 'lt-quiet' });
    const quietTicket = await fileTicket(s, quiet);
    await feed.pump();
    expect(await get(`/api/v1/tickets/${quietTicket}/netmon/summary`)).toEqual({ summary: null });
    await get('/api/v1/tickets/999999/netmon/summary', 404);
  });

  it('lists a device’s bandwidth tests and asks its connected agent for one (409 while offline)', async () => {
    const device = await s.enroll({ hostname: 'lt-bw' });
    const at = s.clock.now - 2 * HOUR;
    await ingestBatch(s.ctx, device.id, {
      batchId: randomUUID(),
      samples: [],
      links: [],
      bandwidth: [
        { at, downMbps: 412.5, upMbps: 96.25, bytes: 20_000_000, trigger: 'schedule' },
        { at: at + HOUR, downMbps: 388, upMbps: null, bytes: 10_000_000, trigger: 'request' },
      ],
    });
    // Enrolling counts as seen: a while later, with no live channel, the device is offline.
    s.clock.advance(2 * MIN);
    const listed = await get<DeviceBandwidthDto>(`/api/v1/devices/${device.id}/netmon/bandwidth`);
    expect(listed.results).toEqual([
      { at: at + HOUR, downMbps: 388, upMbps: null, bytes: 10_000_000, trigger: 'request' },
      { at, downMbps: 412.5, upMbps: 96.25, bytes: 20_000_000, trigger: 'schedule' },
    ]);
    expect(listed).toMatchObject({ online: false, everyHours: 0 });

    const ask = () =>
      s.inject({ method: 'POST', url: `/api/v1/devices/${device.id}/netmon/bandwidth`, headers: s.tech.headers });
    const offline = await ask();
    expect(offline.statusCode).toBe(409);
    expect(offline.json()).toMatchObject({ error: { code: 'device_offline' } });

    const peer = await openPeer(url, device.token);
    peers.push(peer);
    peer.send({ type: 'hello', cursor: 0, agentVersion: '0.1.0' });
    await peer.next('welcome');
    await s.channel.flushPresence();
    expect((await get<DeviceBandwidthDto>(`/api/v1/devices/${device.id}/netmon/bandwidth`)).online).toBe(true);
    const asked = await ask();
    expect(asked.statusCode, asked.body).toBe(202);
    expect((await peer.next('netmon.measure')).requestedAt).toBe(s.clock.now);
    await get(`/api/v1/devices/${randomUUID()}/netmon/bandwidth`, 404);
    // Across processes (PostgreSQL NOTIFY) the request is read back as itself, and nothing else passes.
    const event = { kind: 'netmon-measure', deviceId: device.id };
    expect(toServerEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
    expect(toServerEvent({ kind: 'netmon-measure', deviceId: 42 })).toBeNull();
  });

  it('answers a server-side check’s state changes, availability, round trips and the latest runs', async () => {
    const listener: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const port = (listener.address() as AddressInfo).port;
    const put = await s.inject({
      method: 'PUT',
      url: '/api/v1/netmon/checks/intranet',
      headers: s.admin.headers,
      payload: { kind: 'tcp', label: 'Intranet', host: '127.0.0.1', port, intervalSeconds: 10, timeoutMs: 1000 },
    });
    expect(put.statusCode, put.body).toBe(201);
    const run = async () => {
      s.clock.advance(11_000);
      expect((await runDueChecks(s.ctx)).has('intranet')).toBe(true);
    };
    await run();
    await run();
    await new Promise<void>((r) => listener.close(() => r()));
    await run();
    await run();
    const history = await get<CheckHistoryDto>('/api/v1/netmon/checks/intranet/history');
    expect(history.runs).toBe(4);
    expect(history.availabilityPct).toBe(50);
    expect(history.changes.map((c) => c.health)).toEqual(['down', 'ok']);
    expect(history.changes[0]!.error).toBeTruthy();
    expect(history.recent.map((r) => r.health)).toEqual(['ok', 'ok', 'down', 'down']);
    expect(history.rttMs).not.toBeNull();
    expect(history.check).toMatchObject({ slug: 'intranet', health: 'down' });
    await get('/api/v1/netmon/checks/nothing/history', 404);
  });
});
