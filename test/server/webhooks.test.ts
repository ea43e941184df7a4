import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTicketEventFeed } from '../../src/server/events/ticket-event-feed';
import { runDueDeliveries } from '../../src/server/webhooks/webhook-delivery.service';
import { enqueueTicketEvents } from '../../src/server/webhooks/webhook-ticket-events';
import { startWebhookJob } from '../../src/server/webhooks/webhooks.job';
import { enqueueAlertEvent } from '../../src/server/webhooks/webhook-other-events';
import type { WebhookDeliveryDto, WebhookDto, WebhookWithSecretDto } from '../../src/shared/api/webhooks';
import { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_DELAYS_MS } from '../../src/shared/integrations';
import { createTestServer, describeEachDatabase, type TestServer } from './harness';
import { fileTicket, postMessage } from './ticket-helpers';

/*
 * Webhooks end to end against a real HTTP receiver on 127.0.0.1: the signature a receiver verifies, the
 * Slack and Teams bodies, retries with backoff after 500s (on the server's fake clock), giving up after the
 * last attempt, the delivery log, test and redeliver, device and ticket events, and bad input.
 */

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** performance.now() when the request had arrived whole, and when it was answered. */
  arrivedAt: number;
  answeredAt?: number;
}

/** What a receiver does (README "Webhooks"): recompute the HMAC over "<t>.<body>", compare in constant time. */
function verify(secret: string, header: string | undefined, body: string): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=') as [string, string]));
  if (!parts.t || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describeEachDatabase('webhooks', (dialect) => {
  let s: TestServer;
  let receiver: Server;
  let base: string;
  const received: Received[] = [];
  /** Status codes to answer, in order, per path; 204 once a path's list is used up. */
  const plan = new Map<string, number[]>();
  /** How long the receiver takes to answer, per path (ms). */
  const slow = new Map<string, number>();
  let admin: Record<string, string>;
  /** Signs the admin in again: the retry test moves the clock past the session's idle time. */
  const relogin = async () => (admin = (await s.login(s.admin.email)).headers);

  beforeAll(async () => {
    s = await createTestServer(dialect, { publicUrl: 'https://help.example.com' });
    admin = s.admin.headers;
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const path = req.url ?? '/';
        const got: Received = { path, headers: req.headers, body, arrivedAt: performance.now() };
        received.push(got);
        const status = plan.get(path)?.shift() ?? 204;
        setTimeout(
          () => {
            got.answeredAt = performance.now();
            res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 400 ? 'receiver says no' : '');
          },
          slow.get(path) ?? 0,
        );
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  beforeEach(() => relogin());
  afterAll(async () => {
    await new Promise((r) => receiver?.close(r));
    await s?.close();
  });

  const create = async (body: Record<string, unknown>) => {
    const res = await s.inject({ method: 'POST', url: '/api/v1/webhooks', headers: admin, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<WebhookWithSecretDto>();
  };
  const at = (path: string) => received.filter((r) => r.path === path);
  const feed = () =>
    createTicketEventFeed(s.ctx, {
      consumer: `webhooks-test-${Math.random()}`,
      startAt: 'beginning',
      settleMs: 0,
      handle: async (events) => void (await enqueueTicketEvents(s.ctx, events)),
    });
  const deliveries = async (id: number) => {
    const res = await s.inject({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries`, headers: admin });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ deliveries: WebhookDeliveryDto[] }>().deliveries;
  };

  it('signs generic deliveries so a receiver can verify them, once per event however often the feed reads it', async () => {
    const hook = await create({
      name: 'SIEM',
      url: `${base}/generic`,
      format: 'generic',
      events: ['ticket.created', 'ticket.replied'],
    });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const list = await s.inject({ method: 'GET', url: '/api/v1/webhooks', headers: admin });
    expect(list.body).not.toContain(hook.secret);

    const device = await s.enroll({ hostname: 'lt-jdoe-0042' });
    const ticketId = await fileTicket(s, device, { subject: 'VPN down', urgency: 'high', impact: 'high' });
    await postMessage(s, s.tech, ticketId, { body: 'internal only', internal: true });
    await postMessage(s, s.tech, ticketId, { body: 'Try reconnecting now.' });
    // Two consumers reading the same events enqueue them once (unique per webhook and source event).
    await feed().pump();
    await feed().pump();
    slow.set('/generic', 100);
    expect(await runDueDeliveries(s.ctx)).toBe(2);
    slow.delete('/generic');

    // One webhook's deliveries go one after the other, in order: the reply only once the creation was answered.
    const got = at('/generic');
    expect(got.map((r) => r.headers['x-deskside-event'])).toEqual(['ticket.created', 'ticket.replied']);
    expect(got[1]!.arrivedAt).toBeGreaterThanOrEqual(got[0]!.answeredAt!);
    for (const r of got) {
      expect(verify(hook.secret, r.headers['x-deskside-signature'] as string, r.body)).toBe(true);
      expect(verify('whsec_wrong', r.headers['x-deskside-signature'] as string, r.body)).toBe(false);
      expect(r.headers['x-deskside-delivery']).toMatch(/^\d+$/);
      expect(r.headers['x-deskside-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    }
    const created = JSON.parse(got[0]!.body);
    expect(created).toMatchObject({
      type: 'ticket.created',
      summary: 'P1 ticket from lt-jdoe-0042: VPN down',
      url: `https://help.example.com/tickets/${ticketId}`,
      data: { ticket: { id: ticketId, priority: 'p1', device: { hostname: 'lt-jdoe-0042' } } },
    });
    const replied = JSON.parse(got[1]!.body);
    expect(replied.data.message.author).toMatchObject({ type: 'staff', name: 'technician 2' });
    expect(replied.data.excerpt).toBe('Try reconnecting now.');
    // A tampered body fails verification.
    expect(verify(hook.secret, got[0]!.headers['x-deskside-signature'] as string, got[0]!.body + ' ')).toBe(false);
    expect((await deliveries(hook.id)).map((d) => [d.status, d.responseStatus, d.attempts])).toEqual([
      ['succeeded', 204, 1],
      ['succeeded', 204, 1],
    ]);
  });

  it('a receiver that fails gets nothing more in that pass; its other deliveries go in the next one', async () => {
    plan.set('/busy', [503]);
    const busy = await create({ name: 'Busy', url: `${base}/busy`, format: 'generic', events: ['device.enrolled'] });
    await s.enroll({ hostname: 'lt-busy-1' });
    await s.enroll({ hostname: 'lt-busy-2' });
    expect(await runDueDeliveries(s.ctx)).toBe(1);
    expect(at('/busy')).toHaveLength(1);
    // The second was due all along: the next pass sends it (the first waits for its retry).
    expect(await runDueDeliveries(s.ctx)).toBe(1);
    expect(at('/busy').map((r) => JSON.parse(r.body).data.device.hostname)).toEqual(['lt-busy-1', 'lt-busy-2']);
    expect((await deliveries(busy.id)).map((d) => d.status).sort()).toEqual(['pending', 'succeeded']);
    const removed = await s.inject({ method: 'DELETE', url: `/api/v1/webhooks/${busy.id}`, headers: admin });
    expect(removed.statusCode).toBe(204);
  });

  it('sends Slack { text, blocks } and Teams Adaptive Card bodies', async () => {
    await create({ name: 'Slack', url: `${base}/slack`, format: 'slack', events: ['ticket.created'] });
    await create({ name: 'Teams', url: `${base}/teams`, format: 'teams', events: ['ticket.created'] });
    const device = await s.enroll({ hostname: 'lt-ann-7' });
    const ticketId = await fileTicket(s, device, {
      subject: 'Printer <jammed> & smoking',
      urgency: 'low',
      impact: 'low',
    });
    await feed().pump();
    await runDueDeliveries(s.ctx);
    const mine = (path: string) => at(path).find((r) => r.body.includes('lt-ann-7'))!.body;
    const slack = JSON.parse(mine('/slack'));
    expect(slack.text).toBe(
      `P4 ticket from lt-ann-7: Printer <jammed> & smoking https://help.example.com/tickets/${ticketId}`,
    );
    expect(slack.blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*<https://help.example.com/tickets/${ticketId}|P4 ticket from lt-ann-7: Printer &lt;jammed&gt; &amp; smoking>*`,
      },
    });
    expect(slack.blocks[1].fields).toContainEqual({ type: 'mrkdwn', text: '*Device*\nlt-ann-7' });
    const teams = JSON.parse(mine('/teams'));
    expect(teams.type).toBe('message');
    expect(teams.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = teams.attachments[0].content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.body[0]).toMatchObject({
      type: 'TextBlock',
      text: 'P4 ticket from lt-ann-7: Printer <jammed> & smoking',
    });
    expect(card.body[1].facts).toContainEqual({ title: 'Priority', value: 'P4' });
    expect(card.actions[0]).toEqual({
      type: 'Action.OpenUrl',
      title: 'Open in Deskside',
      url: `https://help.example.com/tickets/${ticketId}`,
    });
  });

  it('retries after 500s with backoff, then succeeds; gives up after the last attempt; redeliver sends again', async () => {
    plan.set('/flaky', [500, 500]);
    plan.set('/down', Array(WEBHOOK_MAX_ATTEMPTS).fill(503));
    const flaky = await create({ name: 'Flaky', url: `${base}/flaky`, format: 'generic', events: ['device.enrolled'] });
    const down = await create({ name: 'Down', url: `${base}/down`, format: 'generic', events: ['device.enrolled'] });
    await s.enroll({ hostname: 'lt-new-1' });
    expect(await runDueDeliveries(s.ctx)).toBe(2);
    let [d] = await deliveries(flaky.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 500, error: 'HTTP 500' });
    expect(d!.responseExcerpt).toBe('receiver says no');
    expect(Date.parse(d!.nextAttemptAt!) - Date.parse(d!.lastAttemptAt!)).toBe(WEBHOOK_RETRY_DELAYS_MS[0]);
    // Not due before its time.
    s.clock.advance(WEBHOOK_RETRY_DELAYS_MS[0] - 1);
    expect(await runDueDeliveries(s.ctx)).toBe(0);
    for (const delay of WEBHOOK_RETRY_DELAYS_MS) {
      s.clock.advance(delay);
      await runDueDeliveries(s.ctx);
    }
    await relogin();
    [d] = await deliveries(flaky.id);
    expect(d).toMatchObject({ status: 'succeeded', attempts: 3, responseStatus: 204, error: null });
    expect(at('/flaky')).toHaveLength(3);
    // The same event id on every attempt; a fresh signature timestamp each time.
    expect(new Set(at('/flaky').map((r) => JSON.parse(r.body).id)).size).toBe(1);

    const [gaveUp] = await deliveries(down.id);
    expect(gaveUp).toMatchObject({
      status: 'failed',
      attempts: WEBHOOK_MAX_ATTEMPTS,
      nextAttemptAt: null,
      responseStatus: 503,
    });
    expect(at('/down')).toHaveLength(WEBHOOK_MAX_ATTEMPTS);
    s.clock.advance(WEBHOOK_RETRY_DELAYS_MS.at(-1)! * 2);
    expect(await runDueDeliveries(s.ctx)).toBe(0);
    await relogin();

    const again = await s.inject({
      method: 'POST',
      url: `/api/v1/webhook-deliveries/${gaveUp!.id}/redeliver`,
      headers: admin,
    });
    expect(again.statusCode, again.body).toBe(201);
    // A delivery that gave up gets one more attempt, itself.
    expect(again.json<WebhookDeliveryDto>()).toMatchObject({
      id: gaveUp!.id,
      status: 'succeeded',
      attempts: WEBHOOK_MAX_ATTEMPTS + 1,
      responseStatus: 204,
    });
    // One that succeeded is sent again as a new delivery of the same event.
    const copy = await s.inject({
      method: 'POST',
      url: `/api/v1/webhook-deliveries/${gaveUp!.id}/redeliver`,
      headers: admin,
    });
    expect(copy.json<WebhookDeliveryDto>()).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(copy.json<WebhookDeliveryDto>().id).not.toBe(gaveUp!.id);
    expect(JSON.parse(at('/down').at(-1)!.body).id).toBe(JSON.parse(at('/down')[0]!.body).id);
    expect(await deliveries(down.id)).toHaveLength(2);
    const list = await s.inject({ method: 'GET', url: '/api/v1/webhooks', headers: admin });
    expect(list.json<{ webhooks: WebhookDto[] }>().webhooks.find((w) => w.id === down.id)?.lastDelivery).toMatchObject({
      status: 'succeeded',
    });
  });

  it('sends a test event, records an unreachable receiver, rotates the secret, and deletes', async () => {
    const hook = await create({ name: 'Test', url: `${base}/test`, format: 'generic', events: ['sla.breached'] });
    const test = await s.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test`, headers: admin });
    expect(test.json<WebhookDeliveryDto>()).toMatchObject({ event: 'webhook.test', status: 'succeeded' });
    expect(verify(hook.secret, at('/test')[0]!.headers['x-deskside-signature'] as string, at('/test')[0]!.body)).toBe(
      true,
    );

    const rotated = await s.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${hook.id}/rotate-secret`,
      headers: admin,
    });
    const secret = rotated.json<WebhookWithSecretDto>().secret;
    expect(secret).not.toBe(hook.secret);
    await s.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test`, headers: admin });
    const last = at('/test').at(-1)!;
    expect(verify(secret, last.headers['x-deskside-signature'] as string, last.body)).toBe(true);
    expect(verify(hook.secret, last.headers['x-deskside-signature'] as string, last.body)).toBe(false);

    // Nothing listens on port 9 of loopback: the attempt fails with the reason, and is scheduled again.
    await s.inject({
      method: 'PATCH',
      url: `/api/v1/webhooks/${hook.id}`,
      headers: admin,
      payload: { url: 'http://127.0.0.1:9/x' },
    });
    const refused = await s.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${hook.id}/test`,
      headers: admin,
    });
    expect(refused.json<WebhookDeliveryDto>()).toMatchObject({ status: 'pending', attempts: 1, responseStatus: null });
    expect(refused.json<WebhookDeliveryDto>().error).toMatch(/fetch failed|ECONNREFUSED/);

    const audit = await s.inject({ method: 'GET', url: '/api/v1/audit?action=webhook.', headers: admin });
    expect(audit.body).toContain('webhook.rotate_secret');
    expect(audit.body).not.toContain(secret);
    const del = await s.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, headers: admin });
    expect(del.statusCode).toBe(204);
    expect(
      (await s.inject({ method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries`, headers: admin })).statusCode,
    ).toBe(404);
  });

  it('delivers alert incidents once per incident and state to webhooks that chose them', async () => {
    const hook = await create({ name: 'NOC', url: `${base}/noc`, format: 'teams', events: ['alert.firing'] });
    const incident = {
      id: 7,
      ruleName: 'Gateway loss',
      scopeName: 'Floor 3',
      metric: 'loss',
      threshold: 30,
      value: 62.5,
      ticketId: 12,
      affectedDevices: 4,
      payload: { id: 7 },
    };
    await enqueueAlertEvent(s.ctx, s.db.kysely, 'firing', incident);
    await enqueueAlertEvent(s.ctx, s.db.kysely, 'firing', incident);
    await enqueueAlertEvent(s.ctx, s.db.kysely, 'resolved', incident);
    await runDueDeliveries(s.ctx);
    expect(at('/noc')).toHaveLength(1);
    const card = JSON.parse(at('/noc')[0]!.body).attachments[0].content;
    expect(card.body[0].text).toBe('Alert firing: Gateway loss at Floor 3 (loss 62.5, threshold 30; 4 devices)');
    expect(card.actions[0].url).toBe('https://help.example.com/tickets/12');
    expect(await deliveries(hook.id)).toHaveLength(1);
  });

  it('refuses bad input with clear 4xx, and technicians entirely', async () => {
    const bad = async (payload: unknown) => {
      const res = await s.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: admin,
        payload: payload as object,
      });
      return [res.statusCode, res.json<{ error: { code: string } }>().error.code];
    };
    const ok = { name: 'x', url: `${base}/x`, format: 'generic', events: ['ticket.created'] };
    expect(await bad({ ...ok, url: 'ftp://example.com/hook' })).toEqual([400, 'invalid_request']);
    expect(await bad({ ...ok, url: 'javascript:alert(1)' })).toEqual([400, 'invalid_request']);
    expect(await bad({ ...ok, url: 'https://user:pass@example.com/' })).toEqual([400, 'invalid_request']);
    expect(await bad({ ...ok, url: 'not a url' })).toEqual([400, 'invalid_request']);
    expect(await bad({ ...ok, events: [] })).toEqual([400, 'invalid_request']);
    expect(await bad({ ...ok, events: ['ticket.exploded'] })).toEqual([400, 'invalid_request']);
    expect(await bad({ ...ok, format: 'discord' })).toEqual([400, 'invalid_request']);
    expect(await bad({ ...ok, name: '   ' })).toEqual([400, 'invalid_request']);
    expect(await bad({ ...ok, secret: 'mine' })).toEqual([400, 'invalid_request']);
    const tech = await s.inject({
      method: 'GET',
      url: '/api/v1/webhooks',
      headers: (await s.login(s.tech.email)).headers,
    });
    expect(tech.statusCode).toBe(403);
    const missing = await s.inject({ method: 'POST', url: '/api/v1/webhooks/999999/test', headers: admin });
    expect(missing.statusCode).toBe(404);
    const missingDelivery = await s.inject({
      method: 'POST',
      url: '/api/v1/webhook-deliveries/999999/redeliver',
      headers: admin,
    });
    expect(missingDelivery.statusCode).toBe(404);
  });

  it('runs as a job: a new ticket reaches a subscribed receiver without anyone calling in', async () => {
    const hook = await create({ name: 'Job', url: `${base}/job`, format: 'generic', events: ['ticket.created'] });
    const stop = startWebhookJob(s.ctx, { intervalMs: 25 });
    try {
      // The feed's consumer starts at "now": wait for its cursor before filing.
      await expect
        .poll(async () =>
          s.db.kysely
            .selectFrom('event_feed_cursors')
            .select('consumer')
            .where('consumer', '=', 'webhooks')
            .executeTakeFirst(),
        )
        .toBeTruthy();
      const device = await s.enroll({ hostname: 'lt-job' });
      // PostgreSQL's feed reads events once they are 2 s old on the server's clock.
      s.clock.advance(5_000);
      const ticketId = await fileTicket(s, device, { subject: 'Job test' });
      s.clock.advance(5_000);
      await expect.poll(() => at('/job').length, { timeout: 10_000 }).toBe(1);
      expect(JSON.parse(at('/job')[0]!.body).data.ticket.id).toBe(ticketId);
      // The receiver has the request; the job records the delivery once the answer is back.
      await expect.poll(async () => (await deliveries(hook.id))[0]?.status, { timeout: 10_000 }).toBe('succeeded');
    } finally {
      await stop();
    }
  });
});
