import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRule } from '../../src/server/netmon/alerts/alert-condition';
import { evaluateAlerts, type EvaluationReport } from '../../src/server/netmon/alerts/alert-evaluate.service';
import { signWebhook, type WebhookResult } from '../../src/server/netmon/alerts/alert-webhook';
import { ingestBatch } from '../../src/server/netmon/netmon-ingest.service';
import type { AlertRuleDto, IncidentDto, TicketIncidentDto } from '../../src/shared/api/netmon-alerts';
import { alertRuleSchema } from '../../src/shared/api/netmon-alerts';
import type { NetLink, NetSample } from '../../src/shared/netmon/netmon';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';
import { fileTicket } from './ticket-helpers';

/*
 * Network alerts end to end on the server: a site rule (loss on the gateway for ≥ 30% and ≥ 2 of the devices
 * at "Floor 3") goes pending, fires once (one incident ticket however often it is evaluated), pushes an
 * announcement that the site's agents see in their delta sync and others do not, links an employee's new
 * ticket from the site and tells them, survives a single good sample and flapping input without a second
 * incident, resolves after the condition has been clearly false for resolveMinutes, withdraws the
 * announcement, and signs and retries its webhook against a loopback receiver. Clock: the server's ctx.now.
 */

const MIN = 60_000;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

function sample(at: number, received: number): NetSample {
  return {
    target: 'gateway',
    address: '127.0.0.1',
    method: 'tcp',
    at,
    sent: 4,
    received,
    rttMs: received > 0 ? 10 : null,
    minMs: received > 0 ? 8 : null,
    maxMs: received > 0 ? 12 : null,
    jitterMs: received > 0 ? 2 : null,
  };
}

function link(at: number, subnet: string): NetLink {
  return {
    at,
    interface: 'eth0',
    subnet,
    kind: 'ethernet',
    wifi: null,
    errors: null,
    vpn: { up: false, name: null },
  };
}

describeEachDatabase('network alerts', (dialect) => {
  let s: TestServer;
  let receiver: Server;
  let hookUrl: string;
  const hooks: Received[] = [];
  let failNext = 1;

  beforeAll(async () => {
    s = await createTestServer(dialect);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hooks.push({ headers: req.headers, body });
        // The first delivery fails: the sender must try again.
        if (failNext > 0) {
          failNext--;
          res.writeHead(500).end();
        } else res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await new Promise((r) => receiver?.close(r));
    await s?.close();
  });

  const admin = () => s.admin.headers;
  const sync = async (device: EnrolledDevice, since = 0) => {
    const res = await s.inject({
      method: 'GET',
      url: '/api/v1/announcements/sync',
      query: { since: String(since), limit: '50' },
      headers: device.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ cursor: number; announcements: { id: number; title: string }[]; deleted: number[] }>();
  };

  it('lets admins write rules (audited, secret never shown), technicians only read, and refuses bad rules', async () => {
    const body = {
      name: 'Gateway loss',
      metric: 'latency',
      threshold: 300,
      scope: 'device',
      webhook: { url: hookUrl, secret: 'a-long-enough-secret' },
    };
    const denied = await s.inject({
      method: 'POST',
      url: '/api/v1/netmon/alert-rules',
      headers: s.tech.headers,
      payload: body,
    });
    expect(denied.statusCode).toBe(403);
    const created = await s.inject({
      method: 'POST',
      url: '/api/v1/netmon/alert-rules',
      headers: admin(),
      payload: body,
    });
    expect(created.statusCode, created.body).toBe(201);
    const rule = created.json<AlertRuleDto>();
    expect(rule).toMatchObject({
      name: 'Gateway loss',
      scope: 'device',
      forMinutes: 2,
      webhook: { url: hookUrl, secretSet: true },
    });
    expect(created.body).not.toContain('a-long-enough-secret');
    // A change without a secret keeps the stored one.
    const put = await s.inject({
      method: 'PUT',
      url: `/api/v1/netmon/alert-rules/${rule.id}`,
      headers: admin(),
      payload: { ...body, threshold: 500, webhook: { url: hookUrl } },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json<AlertRuleDto>()).toMatchObject({ threshold: 500, webhook: { secretSet: true } });
    const list = await s.inject({ method: 'GET', url: '/api/v1/netmon/alert-rules', headers: s.tech.headers });
    expect(list.json<{ rules: AlertRuleDto[] }>().rules.map((r) => r.id)).toEqual([rule.id]);
    for (const bad of [
      { ...body, metric: 'loss', threshold: 150 },
      { ...body, site: 'site:floor-3' },
      { ...body, metric: 'loss', threshold: 5, resolveThreshold: 8 },
      { ...body, webhook: { url: 'ftp://x/' } },
    ]) {
      const res = await s.inject({ method: 'POST', url: '/api/v1/netmon/alert-rules', headers: admin(), payload: bad });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
    const del = await s.inject({ method: 'DELETE', url: `/api/v1/netmon/alert-rules/${rule.id}`, headers: admin() });
    expect(del.statusCode).toBe(204);
    expect(
      (await s.inject({ method: 'DELETE', url: `/api/v1/netmon/alert-rules/${rule.id}`, headers: admin() })).statusCode,
    ).toBe(404);
    const audited = await s.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'netmon.alert_rule.%')
      .orderBy('id')
      .execute();
    expect(audited.map((a) => a.action)).toEqual([
      'netmon.alert_rule.saved',
      'netmon.alert_rule.saved',
      'netmon.alert_rule.deleted',
    ]);
  });

  it('fires once, announces to the site, links a new ticket, holds through flapping, resolves and withdraws, with a signed retried webhook', async () => {
    const sites = { sites: [{ slug: 'floor-3', name: 'Floor 3', subnets: ['10.3.0.0/16'], ssids: [] }] };
    expect(
      (await s.inject({ method: 'PUT', url: '/api/v1/netmon/sites', headers: admin(), payload: sites })).statusCode,
    ).toBe(200);
    const secret = 'incident-hook-secret-123';
    const created = await s.inject({
      method: 'POST',
      url: '/api/v1/netmon/alert-rules',
      headers: admin(),
      payload: {
        name: 'Floor loss',
        metric: 'loss',
        threshold: 5,
        resolveThreshold: 2,
        target: 'gateway',
        scope: 'site',
        minSharePct: 30,
        minDevices: 2,
        windowMinutes: 5,
        forMinutes: 2,
        resolveMinutes: 5,
        webhook: { url: hookUrl, secret },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map((hostname) => s.enroll({ hostname })));
    const t0 = s.clock.now;
    const subnets = new Map([
      [a!.id, '10.3.1.0/24'],
      [b!.id, '10.3.2.0/24'],
      [c!.id, '10.3.1.0/24'],
      [d!.id, '192.168.9.0/24'],
    ]);
    const reports: EvaluationReport[] = [];
    const webhooks: Promise<WebhookResult>[] = [];
    /** Minute m: each device sends its sample (lossy or not), then the rules are evaluated. */
    const minute = async (m: number, lossy: EnrolledDevice[]) => {
      s.clock.now = t0 + m * MIN;
      const at = s.clock.now - 10_000;
      for (const dev of [a!, b!, c!, d!])
        await ingestBatch(s.ctx, dev.id, {
          batchId: randomUUID(),
          samples: [sample(at, lossy.includes(dev) ? 2 : 4)],
          links: m === 0 ? [link(at, subnets.get(dev.id)!)] : [],
          bandwidth: [],
        });
      const report = await evaluateAlerts(s.ctx, { webhook: { backoffMs: 20 } });
      reports.push(report);
      webhooks.push(...report.webhooks);
      return report;
    };
    const incidentTickets = async () =>
      (await s.db.kysely.selectFrom('netmon_incidents').select('ticket_id').execute()).map((r) => r.ticket_id);

    // a and b lose half their gateway probes (2 of the 3 devices at Floor 3); d, elsewhere, too (alone: under minDevices).
    expect((await minute(0, [a!, b!, d!])).fired).toEqual([]);
    expect((await minute(1, [a!, b!, d!])).fired).toEqual([]);
    const rules = await s.inject({ method: 'GET', url: '/api/v1/netmon/alert-rules', headers: s.tech.headers });
    expect(rules.json<{ rules: AlertRuleDto[] }>().rules.at(-1)).toMatchObject({ pending: 1, firing: 0 });
    // The pending scope's row (written with the pass's other pending scopes) keeps when it went bad and
    // carries this pass's value and time.
    const pendingRows = await s.db.kysely
      .selectFrom('netmon_alert_states')
      .selectAll()
      .where('state', '=', 'pending')
      .execute();
    expect(pendingRows).toHaveLength(1);
    expect(pendingRows[0]).toMatchObject({ bad_since: t0, updated_at: t0 + MIN, good_since: null, incident_id: null });
    expect(pendingRows[0]!.value).not.toBeNull();
    const fired = await minute(2, [a!, b!, d!]);
    expect(fired.fired).toHaveLength(1);
    expect(fired.reads).toBe(1);
    // The receiver refuses the first try: the delivery is retried with backoff.
    expect((await Promise.all(fired.webhooks)).map((r) => [r.ok, r.attempts])).toEqual([[true, 2]]);
    expect((await minute(3, [a!, b!, d!])).fired).toEqual([]);
    expect(await incidentTickets()).toHaveLength(1);
    const [incidentTicketId] = await incidentTickets();

    const incidents = (
      await s.inject({ method: 'GET', url: '/api/v1/netmon/incidents?state=firing', headers: s.tech.headers })
    ).json<{ incidents: IncidentDto[] }>().incidents;
    expect(incidents).toHaveLength(1);
    const incident = incidents[0]!;
    expect(incident).toMatchObject({ state: 'firing', scopeName: 'Floor 3', ruleName: 'Floor loss', metric: 'loss' });
    expect(incident.affected.map((x) => x.hostname).sort()).toEqual(['a', 'b']);
    const ticket = await s.inject({
      method: 'GET',
      url: `/api/v1/tickets/${incidentTicketId}`,
      headers: s.tech.headers,
    });
    expect(ticket.json()).toMatchObject({
      subject: 'Network incident: Floor loss — Floor 3',
      priority: 'p1',
      device: null,
    });
    const own = await s.inject({
      method: 'GET',
      url: `/api/v1/tickets/${incidentTicketId}/incident`,
      headers: s.tech.headers,
    });
    expect(own.json<TicketIncidentDto>()).toMatchObject({ role: 'incident', incident: { id: incident.id } });

    // The announcement: every agent at Floor 3 (c too, not degraded itself), not d.
    const title = 'We know about the network problem at Floor 3';
    const seenByA = await sync(a!);
    expect(seenByA.announcements.map((x) => x.title)).toContain(title);
    expect((await sync(c!)).announcements.map((x) => x.title)).toContain(title);
    expect((await sync(d!)).announcements.map((x) => x.title)).not.toContain(title);
    const announcementId = seenByA.announcements.find((x) => x.title === title)!.id;

    // An employee at Floor 3 files a ticket: linked and told. One elsewhere: neither.
    const filed = await fileTicket(s, c!);
    const elsewhere = await fileTicket(s, d!);
    const link1 = (
      await s.inject({ method: 'GET', url: `/api/v1/tickets/${filed}/incident`, headers: s.tech.headers })
    ).json<TicketIncidentDto>();
    expect(link1).toMatchObject({ role: 'linked', incident: { id: incident.id } });
    expect(link1.incident!.linkedTickets).toContainEqual({ ticketId: filed, deviceId: c!.id, how: 'filed' });
    const told = await s.inject({ method: 'GET', url: `/api/v1/tickets/${filed}/messages`, headers: c!.headers });
    expect(
      told
        .json<{ messages: { body: string }[] }>()
        .messages.map((m) => m.body)
        .join('\n'),
    ).toContain(`This looks related to a known problem: **${title}**`);
    const none = await s.inject({
      method: 'GET',
      url: `/api/v1/tickets/${elsewhere}/incident`,
      headers: s.tech.headers,
    });
    expect(none.json()).toEqual({ role: null, incident: null });

    // Recovery with a single good sample, then flapping: still the one incident, firing.
    for (let m = 4; m <= 8; m++) expect((await minute(m, [])).resolved).toEqual([]);
    await minute(9, [a!, b!]);
    for (let m = 10; m <= 18; m++) {
      const r = await minute(m, []);
      expect(r.resolved, `minute ${m}`).toEqual([]);
      expect(r.fired, `minute ${m}`).toEqual([]);
    }
    expect(await incidentTickets()).toHaveLength(1);
    // Clearly good since minute 14 (the flap at 9 left the window): resolved at 19.
    const resolved = await minute(19, []);
    expect(resolved.resolved).toEqual([incident.id]);
    expect((await minute(20, [])).fired).toEqual([]);

    const after = (
      await s.inject({ method: 'GET', url: `/api/v1/tickets/${incidentTicketId}`, headers: s.tech.headers })
    ).json();
    expect(after.status).toBe('resolved');
    const notes = await s.inject({
      method: 'GET',
      url: `/api/v1/tickets/${incidentTicketId}/messages`,
      headers: s.tech.headers,
    });
    expect(notes.json<{ messages: { body: string }[] }>().messages.at(-1)!.body).toMatch(/^\*\*Resolved\*\*/);
    const fixed = await s.inject({ method: 'GET', url: `/api/v1/tickets/${filed}/messages`, headers: c!.headers });
    expect(fixed.json<{ messages: { body: string }[] }>().messages.at(-1)!.body).toContain('has been fixed');
    // The announcement is withdrawn: a delta sync from before reports it deleted; a fresh one does not list it.
    const delta = await sync(a!, seenByA.cursor);
    expect(delta.deleted).toContain(announcementId);
    expect((await sync(a!)).announcements.map((x) => x.id)).not.toContain(announcementId);

    // The webhook: firing (first attempt refused, then delivered) and resolved, each signed over timestamp.body.
    const results = await Promise.all(webhooks);
    expect(results.map((r) => [r.ok, r.attempts])).toEqual([
      [true, 2],
      [true, 1],
    ]);
    expect(hooks.map((h) => [JSON.parse(h.body).event, h.headers['x-deskside-attempt']])).toEqual([
      ['incident.firing', '1'],
      ['incident.firing', '2'],
      ['incident.resolved', '1'],
    ]);
    for (const h of hooks) {
      const ts = Number(h.headers['x-deskside-timestamp']);
      expect(h.headers['x-deskside-signature']).toBe(signWebhook(secret, ts, h.body));
      expect(h.headers['x-deskside-signature']).not.toBe(signWebhook('wrong-secret-wrong', ts, h.body));
    }
    expect(JSON.parse(hooks[2]!.body).incident).toMatchObject({ id: incident.id, scope: { name: 'Floor 3' } });
    const audited = await s.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'netmon.incident.%')
      .execute();
    expect(audited.map((x) => x.action)).toEqual(['netmon.incident.firing', 'netmon.incident.resolved']);
  });
});

describe('network alerts: the condition', () => {
  const rule = alertRuleSchema.parse({
    name: 'x',
    metric: 'loss',
    threshold: 5,
    resolveThreshold: 2,
    scope: 'site',
    minSharePct: 50,
    minDevices: 1,
  });
  const row = (device: string, lossPct: number) => ({
    device_id: device,
    target: 'gateway',
    site: 'site:hq',
    samples: 10,
    answered: 10,
    sent: 100,
    received: 100 - lossPct,
    rtt_n: 10,
    rtt_sum_us: 100_000,
  });
  it('is bad past the threshold for the share, and clearly good only past the resolve threshold', () => {
    expect(evaluateRule(rule, [row('a', 10), row('b', 0)])[0]).toMatchObject({ bad: true, clearlyGood: false });
    // Between the resolve threshold and the threshold: neither bad nor clearly good.
    expect(evaluateRule(rule, [row('a', 3), row('b', 0)])[0]).toMatchObject({ bad: false, clearlyGood: false });
    expect(evaluateRule(rule, [row('a', 1), row('b', 0)])[0]).toMatchObject({ bad: false, clearlyGood: true });
    // Under the share: 1 of 3.
    expect(evaluateRule(rule, [row('a', 10), row('b', 0), row('c', 0)])[0]).toMatchObject({ bad: false });
  });
});
