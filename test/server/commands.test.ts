import { afterAll, beforeAll, expect, it } from 'vitest';
import { expireDueCommands, startCommandExpiryJob } from '../../src/server/actions/command-expiry.job';
import { COMMAND_REQUESTS_PER_MINUTE } from '../../src/shared/actions/command-status';
import type { CommandDto } from '../../src/shared/api/commands';
import { commandAudit, commandRow, queueCommand, requestCommand } from './command-helpers';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';
import { fileTicket, setStatus } from './ticket-helpers';

/*
 * Remote actions over HTTP (issue 12): a technician's request is validated against the catalog, checked
 * against the ticket's device, rate limited, signed and queued; lists; cancel; expiry. The live channel's
 * side (delivery, updates, results) is command-channel.test.ts.
 */
describeEachDatabase('remote commands: requests', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  let ticketId: number;

  beforeAll(async () => {
    s = await createTestServer(dialect);
    device = await s.enroll();
    ticketId = await fileTicket(s, device);
  });
  afterAll(() => s?.close());

  it('queues a signed command for the ticket’s device, with defaults applied, audited', async () => {
    const res = await requestCommand(s, ticketId, { params: { host: 'intranet.example.com' }, visibility: 'public' });
    expect(res.statusCode).toBe(201);
    const command = res.json<CommandDto>();
    expect(command).toMatchObject({
      deviceId: device.id,
      ticketId,
      action: 'net.ping',
      title: 'Ping',
      params: { host: 'intranet.example.com', count: 4 },
      reason: 'Checking the network stack',
      visibility: 'public',
      requestedBy: { id: s.tech.id, name: 'technician 2' },
      status: 'queued',
      consent: null,
      result: null,
    });
    expect(Date.parse(command.expiresAt) - Date.parse(command.issuedAt)).toBe(60 * 60_000);
    const row = await commandRow(s, command.id);
    const envelope = JSON.parse(row.envelope) as Record<string, unknown>;
    expect(envelope).toMatchObject({
      id: command.id,
      deviceId: device.id,
      params: { host: 'intranet.example.com', count: 4 },
    });
    expect(row.signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(await commandAudit(s, command.id)).toEqual(['command.requested']);
    const auditRow = await s.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', command.id)
      .executeTakeFirstOrThrow();
    expect(auditRow).toMatchObject({ actor_type: 'staff', actor_id: String(s.tech.id) });
    expect(JSON.parse(auditRow.details)).toMatchObject({ reason: 'Checking the network stack', action: 'net.ping' });
  });

  it('lists a ticket’s and a device’s commands newest first; admins may request too', async () => {
    const own = await s.enroll();
    const t = await fileTicket(s, own);
    const first = await queueCommand(s, t);
    s.clock.advance(1000);
    const second = await queueCommand(s, t, { action: 'dns.flush-cache', params: {} }, s.admin);
    for (const url of [`/api/v1/tickets/${t}/commands`, `/api/v1/devices/${own.id}/commands`]) {
      const res = await s.inject({ method: 'GET', url, headers: s.tech.headers });
      expect(res.statusCode).toBe(200);
      expect(res.json<{ commands: CommandDto[] }>().commands.map((c) => c.id)).toEqual([second.id, first.id]);
    }
    const missing = await s.inject({ method: 'GET', url: '/api/v1/tickets/999999/commands', headers: s.tech.headers });
    expect(missing.statusCode).toBe(404);
  });

  it.each([
    [
      'an unknown action',
      { action: 'shell.exec', params: { command: 'id' } },
      422,
      'unknown_action',
      /Unknown action "shell.exec"/,
    ],
    ['a shell separator in a host', { params: { host: ';rm -rf /' } }, 422, 'bad_params', /^host: /],
    ['a command substitution', { params: { host: '$(id)' } }, 422, 'bad_params', /^host: /],
    ['backticks', { params: { host: '`id`' } }, 422, 'bad_params', /^host: /],
    ['a newline', { params: { host: 'example.com\nid' } }, 422, 'bad_params', /^host: /],
    ['a leading "-" (option smuggling)', { params: { host: '-oProxyCommand=id' } }, 422, 'bad_params', /^host: /],
    [
      'a ".." path',
      { action: 'net.http-check', params: { host: 'example.com', path: '/../../etc/passwd' } },
      422,
      'bad_params',
      /^path: /,
    ],
    [
      'a process name with a slash',
      { action: 'process.end', params: { pid: 42, name: '../bin/sh' } },
      422,
      'bad_params',
      /^name: /,
    ],
    [
      'a parameter the action does not have',
      { params: { host: 'example.com', flags: '-f' } },
      422,
      'bad_params',
      /flags: is not a parameter/,
    ],
    ['a number out of range', { params: { host: 'example.com', count: 1000 } }, 422, 'bad_params', /^count: /],
    ['an expiry past 7 days', { expiresInMinutes: 7 * 24 * 60 + 1 }, 400, 'invalid_request', /expiresInMinutes/],
    ['no reason', { reason: '   ' }, 400, 'invalid_request', /reason/],
  ])('refuses %s with a clear message', async (_name, body, status, code, message) => {
    const res = await requestCommand(s, ticketId, body as Record<string, unknown>);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ error: { code } });
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(message);
  });

  it('refuses a ticket without a device, a device of another platform, a revoked device, a missing ticket', async () => {
    const orphan = await fileTicket(s, await s.enroll());
    await s.db.kysely.updateTable('tickets').set({ device_id: null }).where('id', '=', orphan).execute();
    const none = await requestCommand(s, orphan);
    expect(none.statusCode).toBe(409);
    expect(none.json()).toMatchObject({ error: { code: 'ticket_has_no_device' } });

    const odd = await s.enroll({ os: { platform: 'other', name: 'FreeBSD', version: '14' } });
    const oddTicket = await fileTicket(s, odd);
    const platform = await requestCommand(s, oddTicket);
    expect(platform.statusCode).toBe(422);
    expect(platform.json()).toMatchObject({
      error: { code: 'unsupported_platform', message: expect.stringMatching(/Ping is not available on other/) },
    });

    const revoked = await s.enroll();
    const revokedTicket = await fileTicket(s, revoked);
    const res = await s.inject({
      method: 'POST',
      url: `/api/v1/devices/${revoked.id}/revoke`,
      headers: s.admin.headers,
    });
    expect(res.statusCode).toBeLessThan(300);
    const gone = await requestCommand(s, revokedTicket);
    expect(gone.statusCode).toBe(409);
    expect(gone.json()).toMatchObject({ error: { code: 'device_revoked' } });

    const closed = await fileTicket(s, await s.enroll());
    await setStatus(s, closed, 'closed', s.clock.now);
    const late = await requestCommand(s, closed);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ error: { code: 'ticket_closed' } });

    expect((await requestCommand(s, 999_999)).statusCode).toBe(404);
  });

  it('refuses the signed-out, a device token, and a write without the CSRF token', async () => {
    const signedOut = await requestCommand(s, ticketId, {}, {});
    expect(signedOut.statusCode).toBe(401);
    const asDevice = await requestCommand(s, ticketId, {}, device.headers);
    expect(asDevice.statusCode).toBe(401);
    expect(asDevice.json<{ error: { message: string } }>().error.message).toBeTruthy();
    const noCsrf = await requestCommand(s, ticketId, {}, { cookie: s.tech.headers.cookie! });
    expect(noCsrf.statusCode).toBe(403);
    const list = await s.inject({
      method: 'GET',
      url: `/api/v1/tickets/${ticketId}/commands`,
      headers: device.headers,
    });
    expect(list.statusCode).toBe(401);
    const count = await s.db.kysely
      .selectFrom('device_commands')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ticket_id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it(`rate limits each technician to ${COMMAND_REQUESTS_PER_MINUTE} requests a minute, not the others`, async () => {
    const busy = await s.staff('technician');
    const t = await fileTicket(s, await s.enroll());
    for (let i = 0; i < COMMAND_REQUESTS_PER_MINUTE; i++) await queueCommand(s, t, {}, busy);
    const over = await requestCommand(s, t, {}, busy.headers);
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ error: { code: 'too_many_commands' } });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect((await requestCommand(s, t, {}, s.admin.headers)).statusCode).toBe(201);
    s.clock.advance(61_000);
    expect((await requestCommand(s, t, {}, busy.headers)).statusCode).toBe(201);
  });

  it('cancels a queued command once; a missing one is 404, a finished one 409', async () => {
    const command = await queueCommand(s, ticketId);
    const url = `/api/v1/commands/${command.id}/cancel`;
    const res = await s.inject({ method: 'POST', url, headers: s.tech.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json<CommandDto>().status).toBe('cancelled');
    const again = await s.inject({ method: 'POST', url, headers: s.tech.headers });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'command_not_queued' } });
    const missing = await s.inject({
      method: 'POST',
      url: '/api/v1/commands/00000000-0000-4000-8000-000000000000/cancel',
      headers: s.tech.headers,
    });
    expect(missing.statusCode).toBe(404);
    expect(await commandAudit(s, command.id)).toEqual(['command.requested', 'command.cancelled']);
  });

  it('expires queued commands past their expiry (audited); an expired one cannot be cancelled', async () => {
    const short = await queueCommand(s, ticketId, { expiresInMinutes: 1 });
    const long = await queueCommand(s, ticketId, { expiresInMinutes: 10 });
    s.clock.advance(2 * 60_000);
    expect(await expireDueCommands(s.ctx)).toBeGreaterThanOrEqual(1);
    expect((await commandRow(s, short.id)).status).toBe('expired');
    expect((await commandRow(s, long.id)).status).toBe('queued');
    expect(await commandAudit(s, short.id)).toEqual(['command.requested', 'command.expired']);
    const cancel = await s.inject({
      method: 'POST',
      url: `/api/v1/commands/${short.id}/cancel`,
      headers: s.tech.headers,
    });
    expect(cancel.statusCode).toBe(409);
    expect(await expireDueCommands(s.ctx)).toBe(0);
  });

  it('runs the expiry as a job that passes at once and then on its interval, until stopped', async () => {
    const command = await queueCommand(s, ticketId, { expiresInMinutes: 1 });
    s.clock.advance(2 * 60_000);
    const stop = startCommandExpiryJob(s.ctx, 20);
    try {
      await expect.poll(async () => (await commandRow(s, command.id)).status).toBe('expired');
      const later = await queueCommand(s, ticketId, { expiresInMinutes: 1 });
      s.clock.advance(2 * 60_000);
      await expect.poll(async () => (await commandRow(s, later.id)).status).toBe('expired');
    } finally {
      await stop();
    }
  });
});
