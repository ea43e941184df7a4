import { randomBytes } from 'node:crypto';
import { get, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expireDueCommands } from '../../src/server/actions/command-expiry.job';
import { toStaffEvent } from '../../src/server/channel/live.service';
import type { ServerEvent } from '../../src/server/events/event-bus';
import { ed25519Verifier } from '../../src/main/services/command-verifier';
import { actionByName } from '../../src/shared/actions/catalog';
import { COMMAND_CLOCK_SKEW_MS, verifyCommand } from '../../src/shared/actions/command-signing';
import { COMMAND_RESULT_GRACE_MS } from '../../src/shared/actions/command-status';
import type { CommandDto } from '../../src/shared/api/commands';
import { CLOSE } from '../../src/shared/channel/channel-limits';
import { parseStaffEvent, type StaffEvent } from '../../src/shared/channel/staff-events';
import { openPeer, type TestPeer } from './channel-client';
import { commandAudit, commandRow, queueCommand } from './command-helpers';
import { createTestServer, describeEachDatabase, type TestServer } from './harness';
import { fileTicket, latestMessageId } from './ticket-helpers';

/*
 * Remote commands over the live channel (issue 12): the server sends the signed command to the device's
 * socket (now, or on its next hello), and applies what the device says back only to its own commands and
 * only forward; a result lands on the ticket as an internal note or a message the employee sees.
 */
describeEachDatabase('remote commands: live channel', (dialect) => {
  let s: TestServer;
  let url: string;
  const peers: TestPeer[] = [];
  const events: ServerEvent[] = [];
  const streams: ClientRequest[] = [];

  beforeAll(async () => {
    s = await createTestServer(dialect);
    url = await s.app.listen({ host: '127.0.0.1', port: 0 });
    s.ctx.bus.subscribe((e) => events.push(e));
  });
  afterAll(async () => {
    for (const p of peers) p.ws.terminate();
    for (const r of streams) r.destroy();
    await s?.close();
  });

  /** An enrolled device with the command key its enrollment answered. */
  const enroll = async () => {
    const res = await s.inject({
      method: 'POST',
      url: '/api/v1/enroll',
      payload: {
        enrollSecret: s.enrollSecret,
        machineId: `machine-${randomBytes(6).toString('hex')}`,
        hostname: 'lt-commands',
        os: { platform: 'linux', name: 'Ubuntu', version: '24.04' },
        agentVersion: '0.1.0',
      },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ deviceId: string; deviceToken: string; commandKey: string }>();
    return {
      id: body.deviceId,
      token: body.deviceToken,
      commandKey: body.commandKey,
      headers: { authorization: `Bearer ${body.deviceToken}` },
    };
  };
  const connect = async (device: { token: string }, cursor = 0) => {
    const peer = await openPeer(url, device.token);
    peers.push(peer);
    peer.send({ type: 'hello', cursor, agentVersion: '0.1.0' });
    await peer.next('welcome');
    return peer;
  };
  const statusOf = async (id: string) => (await commandRow(s, id)).status;
  const verify = (signed: unknown, device: { id: string; commandKey: string }) =>
    verifyCommand(signed, {
      publicKeyPem: device.commandKey,
      deviceId: device.id,
      now: s.clock.now,
      seenNonce: () => false,
      verifier: ed25519Verifier,
    });
  const auditDetails = async (id: string, action: string) =>
    JSON.parse(
      (
        await s.db.kysely
          .selectFrom('audit_log')
          .select('details')
          .where('target_id', '=', id)
          .where('action', '=', action)
          .executeTakeFirstOrThrow()
      ).details,
    ) as Record<string, unknown>;
  const messagesOf = (ticketId: number) =>
    s.db.kysely
      .selectFrom('messages')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .where('author_type', '=', 'system')
      .orderBy('id')
      .execute();

  it('sends a command to the connected agent at once; it verifies with the key pinned at enrollment', async () => {
    const device = await enroll();
    const ticketId = await fileTicket(s, device);
    const peer = await connect(device, await latestMessageId(s));
    const command = await queueCommand(s, ticketId);
    const sent = await peer.next('command');
    expect(sent.command.envelope).toMatchObject({ id: command.id, deviceId: device.id, action: 'net.ping' });
    const verified = verify(sent.command, device);
    expect(verified).toMatchObject({
      ok: true,
      value: { action: { name: 'net.ping', params: { host: '127.0.0.1' } } },
    });
    // Another device's key check: the same frame is not for it.
    const stranger = await enroll();
    expect(verify(sent.command, stranger)).toMatchObject({ ok: false, error: { code: 'wrong-device' } });
    await expect.poll(() => statusOf(command.id)).toBe('delivered');
    await expect.poll(() => commandAudit(s, command.id)).toEqual(['command.requested', 'command.delivered']);
    // Consoles hear every change of it (requested, delivered).
    const staffEvents = () =>
      events
        .filter((e) => e.kind === 'command' && e.commandId === command.id)
        .map((e) => parseStaffEvent(JSON.stringify(toStaffEvent(e))));
    await expect.poll(() => staffEvents().length).toBe(2);
    expect(staffEvents()[0]).toEqual({ type: 'command', ticketId, deviceId: device.id, commandId: command.id });
  });

  it('keeps a command for an offline device and delivers it on its next hello; an expired or cancelled one never', async () => {
    const device = await enroll();
    const ticketId = await fileTicket(s, device);
    const expiring = await queueCommand(s, ticketId, { expiresInMinutes: 1 });
    const cancelled = await queueCommand(s, ticketId);
    const cancel = await s.inject({
      method: 'POST',
      url: `/api/v1/commands/${cancelled.id}/cancel`,
      headers: s.tech.headers,
    });
    expect(cancel.statusCode).toBe(200);
    s.clock.advance(2 * 60_000);
    const waiting = await queueCommand(s, ticketId, { action: 'dns.flush-cache', params: {} });
    expect(await statusOf(waiting.id)).toBe('queued');
    const peer = await connect(device);
    const sent = await peer.next('command');
    expect(sent.command.envelope.id).toBe(waiting.id);
    expect(verify(sent.command, device).ok).toBe(true);
    await expect.poll(() => statusOf(waiting.id)).toBe('delivered');
    // A later command arrives too, and nothing else ever came.
    const later = await queueCommand(s, ticketId);
    expect((await peer.next('command')).command.envelope.id).toBe(later.id);
    const ids = peer.received.flatMap((m) => (m.type === 'command' ? [m.command.envelope.id] : []));
    expect(ids).toEqual([waiting.id, later.id]);
    expect(await statusOf(expiring.id)).toBe('queued');
    await expireDueCommands(s.ctx);
    expect(await statusOf(expiring.id)).toBe('expired');
    expect(await statusOf(cancelled.id)).toBe('cancelled');
  });

  it('records consent, progress and the result, and posts it on the ticket as an internal note', async () => {
    const device = await enroll();
    const ticketId = await fileTicket(s, device);
    const peer = await connect(device, await latestMessageId(s));
    const command = await queueCommand(s, ticketId, { visibility: 'internal' });
    await peer.next('command');
    await expect.poll(() => statusOf(command.id)).toBe('delivered');
    peer.send({ type: 'command.update', commandId: command.id, status: 'awaiting-consent' });
    peer.send({
      type: 'command.update',
      commandId: command.id,
      status: 'running',
      consent: { by: 'employee', name: 'Ada Lovelace' },
    });
    peer.send({ type: 'command.output', commandId: command.id, chunk: 'PING 127.0.0.1\n' });
    await expect.poll(async () => (await commandRow(s, command.id)).output).toBe('PING 127.0.0.1\n');
    const output = 'PING 127.0.0.1\n2 packets transmitted, 2 received, 0% packet loss\n```\nrtt 0.04 ms';
    peer.send({
      type: 'command.result',
      commandId: command.id,
      ok: true,
      exitCode: 0,
      durationMs: 1234,
      fields: { sent: 2, received: 2, lossPercent: 0 },
      output,
      error: null,
    });
    await expect.poll(() => statusOf(command.id)).toBe('succeeded');
    const [note] = await messagesOf(ticketId);
    expect(note).toMatchObject({ internal: 1, author_name: 'Deskside' });
    expect(note!.body).toContain('**Ping** succeeded (requested by technician 2)');
    expect(note!.body).toContain('- Exit code: 0');
    expect(note!.body).toContain('- Duration: 1.2 s');
    // The output holds a ``` run: its fence is longer, so it cannot break out of the code block.
    expect(note!.body).toContain(`\`\`\`\`\n${output}\n\`\`\`\``);

    const listed = await s.inject({
      method: 'GET',
      url: `/api/v1/tickets/${ticketId}/commands`,
      headers: s.tech.headers,
    });
    const [dto] = listed.json<{ commands: CommandDto[] }>().commands;
    expect(dto).toMatchObject({
      status: 'succeeded',
      consent: { by: 'employee', name: 'Ada Lovelace' },
      result: { exitCode: 0, durationMs: 1234, output, fields: { sent: 2, received: 2, lossPercent: 0 }, error: null },
    });
    expect(await commandAudit(s, command.id)).toEqual([
      'command.requested',
      'command.delivered',
      'command.awaiting_consent',
      'command.consent_given',
      'command.succeeded',
    ]);
    // The employee's agent never hears an internal note.
    expect(peer.received.filter((m) => m.type === 'messages')).toEqual([]);
  });

  it('posts a public result as a message the employee sees, pushed to the agent; policy runs are audited as unattended', async () => {
    const device = await enroll();
    const ticketId = await fileTicket(s, device);
    const peer = await connect(device, await latestMessageId(s));
    const command = await queueCommand(s, ticketId, { visibility: 'public', action: 'dns.flush-cache', params: {} });
    await peer.next('command');
    await expect.poll(() => statusOf(command.id)).toBe('delivered');
    peer.send({ type: 'command.update', commandId: command.id, status: 'running', consent: { by: 'policy' } });
    peer.send({
      type: 'command.result',
      commandId: command.id,
      ok: false,
      exitCode: 1,
      durationMs: 80,
      fields: {},
      output: 'resolvectl: permission denied',
      error: 'The DNS cache could not be flushed',
    });
    const pushed = await peer.next('messages');
    expect(pushed.messages).toHaveLength(1);
    expect(pushed.messages[0]!.body).toContain('**Flush the DNS cache** failed');
    expect(pushed.messages[0]!.body).toContain('- Error: The DNS cache could not be flushed');
    const [message] = await messagesOf(ticketId);
    expect(message!.internal).toBe(0);
    expect(await statusOf(command.id)).toBe('failed');
    expect(await commandAudit(s, command.id)).toEqual([
      'command.requested',
      'command.delivered',
      'command.unattended',
      'command.failed',
    ]);
  });

  it('records a denial and a refusal with its reason', async () => {
    const device = await enroll();
    const ticketId = await fileTicket(s, device);
    const peer = await connect(device);
    const denied = await queueCommand(s, ticketId);
    await peer.next('command');
    const refused = await queueCommand(s, ticketId);
    await peer.next('command');
    await expect.poll(() => statusOf(refused.id)).toBe('delivered');
    peer.send({ type: 'command.update', commandId: denied.id, status: 'awaiting-consent' });
    peer.send({ type: 'command.update', commandId: denied.id, status: 'denied', consent: { by: 'employee' } });
    peer.send({
      type: 'command.update',
      commandId: refused.id,
      status: 'refused',
      reason: 'replayed: already received',
    });
    await expect.poll(() => statusOf(refused.id)).toBe('refused');
    await expect.poll(() => statusOf(denied.id)).toBe('denied');
    expect(await commandAudit(s, denied.id)).toEqual([
      'command.requested',
      'command.delivered',
      'command.awaiting_consent',
      'command.consent_denied',
    ]);
    expect(await commandAudit(s, refused.id)).toEqual(['command.requested', 'command.delivered', 'command.refused']);
    const res = await s.inject({
      method: 'GET',
      url: `/api/v1/devices/${device.id}/commands`,
      headers: s.tech.headers,
    });
    const byId = new Map(res.json<{ commands: CommandDto[] }>().commands.map((c) => [c.id, c]));
    expect(byId.get(refused.id)).toMatchObject({ status: 'refused', refusal: 'replayed: already received' });
    expect(byId.get(denied.id)).toMatchObject({ status: 'denied', consent: { by: 'employee', name: null } });
  });

  it("refuses another device's result, transitions that go back, and results for cancelled or expired commands", async () => {
    const device = await enroll();
    const other = await enroll();
    const ticketId = await fileTicket(s, device);
    const peer = await connect(device);
    const intruder = await connect(other);
    const result = (commandId: string) =>
      ({
        type: 'command.result',
        commandId,
        ok: true,
        exitCode: 0,
        durationMs: 5,
        fields: {},
        output: 'forged',
        error: null,
      }) as const;

    const command = await queueCommand(s, ticketId);
    await peer.next('command');
    await expect.poll(() => statusOf(command.id)).toBe('delivered');
    intruder.send(result(command.id));
    intruder.send({ type: 'command.update', commandId: command.id, status: 'running', consent: { by: 'policy' } });
    await expect
      .poll(async () => (await commandAudit(s, command.id)).filter((a) => a === 'command.update_refused').length)
      .toBe(2);
    expect(await statusOf(command.id)).toBe('delivered');
    expect(await messagesOf(ticketId)).toEqual([]);
    const refusal = await s.db.kysely
      .selectFrom('audit_log')
      .select('details')
      .where('target_id', '=', command.id)
      .where('action', '=', 'command.update_refused')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(refusal.details)).toMatchObject({ deviceId: other.id, reason: "another device's command" });

    // Forward only: once it succeeded, no running, no second result.
    peer.send(result(command.id));
    await expect.poll(() => statusOf(command.id)).toBe('succeeded');
    peer.send({ type: 'command.update', commandId: command.id, status: 'running', consent: { by: 'policy' } });
    peer.send({ ...result(command.id), ok: false, output: 'second' });
    await expect
      .poll(async () => (await commandAudit(s, command.id)).filter((a) => a === 'command.update_refused').length)
      .toBe(4);
    expect(await statusOf(command.id)).toBe('succeeded');
    expect(await messagesOf(ticketId)).toHaveLength(1);

    // A cancelled command (never delivered) and an expired one take no result.
    const offline = await enroll();
    const offlineTicket = await fileTicket(s, offline);
    const cancelled = await queueCommand(s, offlineTicket);
    await s.inject({ method: 'POST', url: `/api/v1/commands/${cancelled.id}/cancel`, headers: s.tech.headers });
    const expiring = await queueCommand(s, offlineTicket, { expiresInMinutes: 1 });
    s.clock.advance(2 * 60_000);
    await expireDueCommands(s.ctx);
    const late = await connect(offline);
    late.send(result(cancelled.id));
    late.send(result(expiring.id));
    await expect
      .poll(async () => [...(await commandAudit(s, cancelled.id)), ...(await commandAudit(s, expiring.id))])
      .toEqual([
        'command.requested',
        'command.cancelled',
        'command.update_refused',
        'command.requested',
        'command.expired',
        'command.update_refused',
      ]);
    expect(await statusOf(cancelled.id)).toBe('cancelled');
    expect(await statusOf(expiring.id)).toBe('expired');
    expect(late.received.filter((m) => m.type === 'command')).toEqual([]);
  });

  it("tells the consoles' event stream of each change of a command", async () => {
    const device = await enroll();
    const ticketId = await fileTicket(s, device);
    // node:http without keep-alive: the stream's socket ends with the request (undici's pool would keep one open).
    const heard: StaffEvent[] = [];
    const request = get(`${url}/api/v1/staff/events`, { headers: s.tech.headers, agent: false });
    streams.push(request);
    let buffer = '';
    let connected!: () => void;
    const subscribed = new Promise<void>((resolve) => (connected = resolve));
    request.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        // The server writes ": connected" in the same tick as it subscribes to the bus.
        if (chunk.includes(': connected')) connected();
        buffer += chunk;
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines.filter((l) => l.startsWith('data: '))) {
          const event = parseStaffEvent(line.slice(6));
          if (event) heard.push(event);
        }
      });
    });
    request.on('error', () => {});
    await subscribed;
    try {
      const command = await queueCommand(s, ticketId);
      const cancel = await s.inject({
        method: 'POST',
        url: `/api/v1/commands/${command.id}/cancel`,
        headers: s.tech.headers,
      });
      expect(cancel.statusCode).toBe(200);
      await expect.poll(() => heard.filter((e) => e.type === 'command' && e.commandId === command.id).length).toBe(2);
      expect(heard.find((e) => e.type === 'command')).toEqual({
        type: 'command',
        ticketId,
        deviceId: device.id,
        commandId: command.id,
      });
    } finally {
      request.destroy();
    }
  });

  it('sends a delivered command again on the next hello until the device answers it (the socket died with the frame)', async () => {
    const device = await enroll();
    const ticketId = await fileTicket(s, device);
    const peer = await connect(device, await latestMessageId(s));
    const command = await queueCommand(s, ticketId, { reason: 'Checking loss on loopback' });
    const first = await peer.next('command');
    await expect.poll(() => statusOf(command.id)).toBe('delivered');
    // The connection dies right after the frame left: as far as the server knows, it was delivered.
    peer.ws.terminate();
    await peer.closed;
    const again = await connect(device, await latestMessageId(s));
    const second = await again.next('command');
    // Byte for byte the same signed command (the agent's nonce store makes the repeat harmless), reason signed.
    expect(second.command).toEqual(first.command);
    expect(second).not.toHaveProperty('reason');
    expect(verify(second.command, device)).toMatchObject({
      ok: true,
      value: { envelope: { reason: 'Checking loss on loopback', requestedBy: { name: 'technician 2' } } },
    });
    expect(await statusOf(command.id)).toBe('delivered');
    // The device answers: from now on it is not sent again.
    again.send({ type: 'command.update', commandId: command.id, status: 'running', consent: { by: 'policy' } });
    await expect.poll(() => statusOf(command.id)).toBe('running');
    again.ws.terminate();
    const third = await connect(device, await latestMessageId(s));
    const result = {
      type: 'command.result',
      commandId: command.id,
      ok: true,
      exitCode: 0,
      durationMs: 9,
      fields: {},
      output: 'ok',
      error: null,
    } as const;
    third.send(result);
    await expect.poll(() => statusOf(command.id)).toBe('succeeded');
    // The agent may say its final answer twice (flushed, and again for a copy): heard once, not refused.
    third.send(result);
    const probe = await queueCommand(s, ticketId);
    expect((await third.next('command')).command.envelope.id).toBe(probe.id);
    expect(third.received.filter((m) => m.type === 'command')).toHaveLength(1);
    await expect
      .poll(() => commandAudit(s, command.id))
      .toEqual([
        'command.requested',
        'command.delivered',
        'command.redelivered',
        'command.unattended',
        'command.succeeded',
      ]);
    expect(await messagesOf(ticketId)).toHaveLength(1);
  });

  it('records a consent prompt that expired unanswered as expired, naming no one, with a note on the ticket', async () => {
    const device = await enroll();
    const ticketId = await fileTicket(s, device);
    const peer = await connect(device);
    const command = await queueCommand(s, ticketId, { visibility: 'internal' });
    await peer.next('command');
    peer.send({ type: 'command.update', commandId: command.id, status: 'awaiting-consent' });
    await expect.poll(() => statusOf(command.id)).toBe('awaiting-consent');
    peer.send({
      type: 'command.update',
      commandId: command.id,
      status: 'expired',
      reason: 'No answer before the request expired',
    });
    await expect.poll(() => statusOf(command.id)).toBe('expired');
    const row = await commandRow(s, command.id);
    expect(row).toMatchObject({ consent: null, error: 'No answer before the request expired' });
    const listed = await s.inject({
      method: 'GET',
      url: `/api/v1/tickets/${ticketId}/commands`,
      headers: s.tech.headers,
    });
    expect(listed.json<{ commands: CommandDto[] }>().commands[0]).toMatchObject({
      status: 'expired',
      consent: null,
      expiry: 'No answer before the request expired',
    });
    expect(await commandAudit(s, command.id)).toEqual([
      'command.requested',
      'command.delivered',
      'command.awaiting_consent',
      'command.expired',
    ]);
    const details = await auditDetails(command.id, 'command.expired');
    expect(details).toMatchObject({ reason: 'No answer before the request expired', reportedBy: 'device' });
    expect(details).not.toHaveProperty('consent');
    const [note] = await messagesOf(ticketId);
    expect(note).toMatchObject({ internal: 1 });
    expect(note!.body).toBe(
      '**Ping** was not run (requested by technician 2): no answer before the request expired. Nobody allowed or denied it.',
    );
    // An expiry with consent attached is not a valid frame (it names no one).
    peer.send({
      type: 'command.update',
      commandId: command.id,
      status: 'expired',
      reason: 'No answer before the request expired',
      consent: { by: 'employee' },
    } as never);
    expect((await peer.closed).code).toBe(CLOSE.protocolError);
  });

  it('expires a prompt nobody answered and fails a command that never reported, on the server clock', async () => {
    const device = await enroll();
    const ticketId = await fileTicket(s, device);
    const peer = await connect(device);
    const asking = await queueCommand(s, ticketId, { expiresInMinutes: 5 });
    await peer.next('command');
    const running = await queueCommand(s, ticketId, { expiresInMinutes: 5, visibility: 'public' });
    await peer.next('command');
    peer.send({ type: 'command.update', commandId: asking.id, status: 'awaiting-consent' });
    peer.send({ type: 'command.update', commandId: running.id, status: 'running', consent: { by: 'policy' } });
    await expect.poll(() => statusOf(running.id)).toBe('running');
    expect(await statusOf(asking.id)).toBe('awaiting-consent');

    // At the expiry the agent's prompt may still be open by its clock (within the tolerated skew).
    s.clock.advance(5 * 60_000);
    await expireDueCommands(s.ctx);
    expect(await statusOf(asking.id)).toBe('awaiting-consent');
    s.clock.advance(COMMAND_CLOCK_SKEW_MS);
    await expireDueCommands(s.ctx);
    expect(await commandRow(s, asking.id)).toMatchObject({
      status: 'expired',
      consent: null,
      error: 'No answer before the request expired',
    });
    expect(await auditDetails(asking.id, 'command.expired')).toMatchObject({
      reason: 'No answer before the request expired',
    });

    // A ping's result may come until its expiry, its timeout and the grace have passed.
    const deadline = Date.parse(running.expiresAt) + actionByName('net.ping')!.timeoutMs + COMMAND_RESULT_GRACE_MS;
    s.clock.advance(deadline - 1 - s.clock.now);
    await expireDueCommands(s.ctx);
    expect(await statusOf(running.id)).toBe('running');
    s.clock.advance(1);
    await expireDueCommands(s.ctx);
    expect(await commandRow(s, running.id)).toMatchObject({
      status: 'failed',
      error: 'The device did not report a result',
    });
    expect(await auditDetails(running.id, 'command.failed')).toMatchObject({
      reason: 'The device did not report a result',
    });
    const notes = (await messagesOf(ticketId)).map((m) => [m.internal, m.body]);
    expect(notes).toEqual([
      [1, expect.stringContaining('**Ping** was not run')],
      [
        0,
        '**Ping** failed (requested by technician 2): the device did not report a result. It may or may not have finished on the device.',
      ],
    ]);
    // A late answer for either is refused and audited; nothing moves back.
    peer.send({
      type: 'command.result',
      commandId: running.id,
      ok: true,
      exitCode: 0,
      durationMs: 5,
      fields: {},
      output: 'late',
      error: null,
    });
    peer.send({ type: 'command.update', commandId: asking.id, status: 'running', consent: { by: 'employee' } });
    await expect
      .poll(async () => [...(await commandAudit(s, asking.id)), ...(await commandAudit(s, running.id))])
      .toEqual([
        'command.requested',
        'command.delivered',
        'command.awaiting_consent',
        'command.expired',
        'command.update_refused',
        'command.requested',
        'command.delivered',
        'command.unattended',
        'command.failed',
        'command.update_refused',
      ]);
    expect(await statusOf(running.id)).toBe('failed');
  });

  it('closes a connection whose update breaks the frame schema (running without consent, a huge chunk)', async () => {
    const device = await enroll();
    const peer = await connect(device);
    peer.send({
      type: 'command.update',
      commandId: '00000000-0000-4000-8000-000000000000',
      status: 'running',
    } as never);
    expect((await peer.closed).code).toBe(CLOSE.protocolError);
    const again = await connect(device);
    again.send({
      type: 'command.output',
      commandId: '00000000-0000-4000-8000-000000000000',
      chunk: 'x'.repeat(9 * 1024),
    });
    expect((await again.closed).code).toBe(CLOSE.protocolError);
  });
});
