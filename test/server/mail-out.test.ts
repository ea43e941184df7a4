import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { createServer, type AddressInfo } from 'node:net';
import { evaluateTicketSla } from '../../src/server/sla/sla-evaluate.service';
import { markMessages } from '../../src/server/tickets/messages.repo';
import { mailNotifyFeed, mailPass } from '../../src/server/mail/mail.job';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../../src/server/mail/outbox.service';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';
import { fileTicket } from './ticket-helpers';
import { startSmtpReceiver, type SmtpReceiver } from './mail-smtp-receiver';

const settingsBody = (port: number, extra: Record<string, unknown> = {}) => ({
  host: '127.0.0.1',
  port,
  tlsMode: 'none',
  username: '',
  fromName: 'Acme IT',
  fromAddress: 'help@acme.test',
  publicUrl: 'https://help.acme.test',
  replyDelayMinutes: 5,
  ...extra,
});

/** A port nothing listens on: bound, read, closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const header = (mail: ParsedMail, name: string) => {
  const value = mail.headers.get(name);
  return Array.isArray(value) ? value.join(' ') : String(value ?? '');
};

describeEachDatabase('email out', (dialect) => {
  let s: TestServer;
  let smtp: SmtpReceiver;
  let device: EnrolledDevice;
  let feed: ReturnType<typeof mailNotifyFeed>;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    smtp = await startSmtpReceiver();
    device = await s.enroll();
    feed = mailNotifyFeed(s.ctx, 0);
    await feed.pump(); // the consumer's cursor starts now
  });
  afterAll(async () => {
    await smtp.close();
    await s.close();
  });

  const admin = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
    s.inject({ method, url, headers: s.admin.headers, ...(payload ? { payload } : {}) });
  /** Feed, pending replies, outbox: what the job does in one round. */
  const round = async () => {
    while ((await feed.pump()) > 0);
    return mailPass(s.ctx);
  };
  const mailsTo = (to: string) => smtp.mails.filter((m) => m.to && 'text' in m.to && m.to.text.includes(to));

  it('stores the SMTP settings with a write-only password and refuses bad input', async () => {
    const put = await admin('PUT', '/api/v1/settings/mail', settingsBody(smtp.port, { password: 's3cret!' }));
    expect(put.statusCode).toBe(200);
    expect(put.body).not.toContain('s3cret');
    const got = await admin('GET', '/api/v1/settings/mail');
    expect(got.json()).toMatchObject({ host: '127.0.0.1', passwordSet: true, configured: true });
    expect(got.body).not.toContain('s3cret');
    // Omitting the password keeps it; a technician may not read or change the settings.
    await admin('PUT', '/api/v1/settings/mail', settingsBody(smtp.port));
    expect((await admin('GET', '/api/v1/settings/mail')).json().passwordSet).toBe(true);
    expect((await s.inject({ method: 'GET', url: '/api/v1/settings/mail', headers: s.tech.headers })).statusCode).toBe(
      403,
    );
    for (const bad of [
      { port: 0 },
      { tlsMode: 'ssl' },
      { fromAddress: 'not-an-address' },
      { host: 'a b' },
      { publicUrl: 'javascript:alert(1)' },
      { extra: 1 },
    ]) {
      const res = await admin('PUT', '/api/v1/settings/mail', settingsBody(smtp.port, bad));
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
    // Clear password again so the receiver (no AUTH) accepts.
    await admin('PUT', '/api/v1/settings/mail', settingsBody(smtp.port, { password: '' }));
  });

  it('sends a test message and says clearly why one fails', async () => {
    const ok = await admin('POST', '/api/v1/settings/mail/test', { to: 'it@acme.test' });
    expect(ok.json()).toMatchObject({ ok: true, code: null });
    expect(mailsTo('it@acme.test')).toHaveLength(1);
    expect(header(mailsTo('it@acme.test')[0]!, 'x-deskside-mail')).toBe('test');

    const port = await closedPort();
    await admin('PUT', '/api/v1/settings/mail', settingsBody(port));
    const refused = (await admin('POST', '/api/v1/settings/mail/test', { to: 'it@acme.test' })).json();
    expect(refused).toMatchObject({ ok: false, code: 'connection' });
    expect(refused.message).toMatch(/Connection refused by 127\.0\.0\.1:\d+/);

    // TLS from the start against a plain server, and STARTTLS required where it is not offered.
    for (const tlsMode of ['tls', 'starttls'] as const) {
      await admin('PUT', '/api/v1/settings/mail', settingsBody(smtp.port, { tlsMode }));
      const tls = (await admin('POST', '/api/v1/settings/mail/test', { to: 'it@acme.test' })).json();
      expect(tls, tlsMode).toMatchObject({ ok: false, code: 'tls' });
      expect(tls.message).toMatch(/^TLS failed with 127\.0\.0\.1:\d+/);
    }

    const authed = await startSmtpReceiver({ user: 'helpdesk', pass: 'right' });
    try {
      await admin(
        'PUT',
        '/api/v1/settings/mail',
        settingsBody(authed.port, { username: 'helpdesk', password: 'wrong' }),
      );
      const denied = (await admin('POST', '/api/v1/settings/mail/test', { to: 'it@acme.test' })).json();
      expect(denied).toMatchObject({ ok: false, code: 'auth' });
      expect(denied.message).toMatch(/refused the user name or password/);
      await admin(
        'PUT',
        '/api/v1/settings/mail',
        settingsBody(authed.port, { username: 'helpdesk', password: 'right' }),
      );
      expect((await admin('POST', '/api/v1/settings/mail/test', { to: 'it@acme.test' })).json().ok).toBe(true);
      expect(authed.mails).toHaveLength(1);
    } finally {
      await authed.close();
    }
    expect((await admin('POST', '/api/v1/settings/mail/test', { to: 'nope' })).statusCode).toBe(400);
    await admin('PUT', '/api/v1/settings/mail', settingsBody(smtp.port, { username: '', password: '' }));
  });

  it('edits templates: unknown placeholders refused by name, preview escapes values, reset', async () => {
    const bad = await admin('PUT', '/api/v1/settings/mail/templates/staff.assigned', {
      subject: 'Assigned {{ticket.subject}} {{ticket.secret}}',
      body: 'Hi {{recipient.name}} {{rateLink}}',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('{{ticket.secret}}, {{rateLink}}');
    expect(
      (await admin('PUT', '/api/v1/settings/mail/templates/no.such', { subject: 'x', body: 'y' })).statusCode,
    ).toBe(400);

    const preview = await admin('POST', '/api/v1/settings/mail/templates/employee.reply/preview', {
      subject: 'Re: {{ticket.subject}}',
      body: '# Hi {{requester.name}}\n\n{{message.body}}\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) ![pixel](https://t.example/p.png)',
    });
    expect(preview.statusCode).toBe(200);
    const p = preview.json();
    expect(p.text).toContain('Hi Dana Whitfield');
    expect(p.html).toContain('<h1>Hi Dana Whitfield</h1>');
    expect(p.html).toContain('<strong>VPN client</strong>');
    expect(p.html).not.toContain('<script>');
    expect(p.html).not.toContain('javascript:');
    expect(p.html).toContain('&lt;script&gt;');
    expect(p.html).not.toContain('<img');
    expect(p.html).toContain('[image: pixel]');

    const saved = await admin('PUT', '/api/v1/settings/mail/templates/staff.assigned', {
      subject: 'Yours now: {{ticket.subject}}',
      body: 'Hello {{recipient.name}}, see {{link}}',
    });
    expect(saved.json()).toMatchObject({ customized: true });
    const list = (await admin('GET', '/api/v1/settings/mail/templates')).json().templates as {
      kind: string;
      customized: boolean;
    }[];
    expect(list.find((t) => t.kind === 'staff.assigned')?.customized).toBe(true);
    expect(list).toHaveLength(7);
  });

  it('mails assignment, unread replies (not read ones), status and resolution, with threading headers', async () => {
    const other = await s.staff('technician', 'tier1');
    const otherEmail = other.email;
    const ticketId = await fileTicket(s, device, { requester: { name: 'Dana <b>W</b>', email: 'dana@acme.test' } });
    const patch = (payload: object, who = s.tech) =>
      s.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticketId}`, headers: who.headers, payload });
    const reply = (body: string, who = s.tech) =>
      s.inject({
        method: 'POST',
        url: `/api/v1/tickets/${ticketId}/messages`,
        headers: who.headers,
        payload: { body },
      });

    // Assignment: the assignee hears of it (with IT's edited template); the technician who assigned does not.
    expect((await patch({ assigneeId: other.id })).statusCode).toBe(200);
    await round();
    const assigned = mailsTo(otherEmail);
    expect(assigned).toHaveLength(1);
    expect(assigned[0]!.subject).toBe(`Yours now: Outlook keeps asking for my password [Ticket #${ticketId}]`);
    expect(mailsTo(s.tech.email)).toHaveLength(0);
    await admin('DELETE', '/api/v1/settings/mail/templates/staff.assigned');

    // A public reply waits 5 minutes; unread by then, it is mailed.
    expect((await reply('Restart the **VPN** client', other)).statusCode).toBe(201);
    await round();
    expect(mailsTo('dana@acme.test')).toHaveLength(0);
    s.clock.advance(4 * 60_000);
    await round();
    expect(mailsTo('dana@acme.test')).toHaveLength(0);
    s.clock.advance(61_000);
    await round();
    const replyMail = mailsTo('dana@acme.test');
    expect(replyMail).toHaveLength(1);
    const m = replyMail[0]!;
    expect(m.subject).toContain(`[Ticket #${ticketId}]`);
    expect(m.messageId).toMatch(new RegExp(`^<ticket-${ticketId}\\.[\\w.-]+@acme\\.test>$`));
    expect(m.inReplyTo).toBe(`<ticket-${ticketId}@acme.test>`);
    expect([m.references].flat()).toContain(`<ticket-${ticketId}@acme.test>`);
    expect(header(m, 'auto-submitted')).toBe('auto-generated');
    expect(header(m, 'x-deskside-mail')).toBe('employee.reply');
    expect(m.text).toContain('Restart the **VPN** client');
    expect(m.html).toContain('<strong>VPN</strong>');
    expect(m.html).toContain('Dana &lt;b&gt;W&lt;/b&gt;');
    expect(m.text).toMatch(/Manage these emails: https:\/\/help\.acme\.test\/mail\/emails\?token=/);

    // Read in the tray within the wait: no mail.
    const second = (await reply('Did that help?', other)).json().id as number;
    s.clock.advance(60_000);
    await markMessages(s.db.kysely, device.id, 'read', second, s.clock.now, ticketId);
    s.clock.advance(5 * 60_000);
    await round();
    expect(mailsTo('dana@acme.test')).toHaveLength(1);

    // The employee's reply reaches the assignee only.
    await s.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/messages`,
      headers: device.headers,
      payload: { body: 'Still broken' },
    });
    await round();
    expect(mailsTo(otherEmail).map((x) => x.subject)).toContain(
      `Re: Outlook keeps asking for my password [Ticket #${ticketId}]`,
    );

    // Status change, then resolution with a signed rating link that records the rating.
    await patch({ status: 'pending' });
    await round();
    expect(mailsTo('dana@acme.test').at(-1)!.subject).toMatch(/^Your request is now pending/);
    await patch({ status: 'resolved' });
    await round();
    const resolved = mailsTo('dana@acme.test').at(-1)!;
    expect(resolved.subject).toMatch(/^Resolved:/);
    const token = /mail\/rate\?token=([\w.-]+)/.exec(resolved.text ?? '')![1]!;
    const invite = await s.inject({ method: 'GET', url: `/api/v1/mail/rating?token=${token}` });
    expect(invite.json()).toMatchObject({ ticketId, satisfaction: null });
    const rated = await s.inject({
      method: 'POST',
      url: '/api/v1/mail/rating',
      payload: { token, satisfaction: 5, comment: 'Quick!' },
    });
    expect(rated.json()).toMatchObject({ ticketId, satisfaction: 5 });
    const tampered = `${token.slice(0, -2)}xx`;
    expect((await s.inject({ method: 'GET', url: `/api/v1/mail/rating?token=${tampered}` })).statusCode).toBe(403);
    expect(
      (await s.inject({ method: 'POST', url: '/api/v1/mail/rating', payload: { token, satisfaction: 9 } })).statusCode,
    ).toBe(400);
    const ticket = (
      await s.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, headers: s.tech.headers })
    ).json();
    expect(ticket.satisfaction).toBe(5);
  });

  it('honours preferences: the employee by the signed link, staff in the console', async () => {
    const ticketId = await fileTicket(s, device, { requester: { name: 'Lee', email: 'lee@acme.test' } });
    await s.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticketId}`,
      headers: s.tech.headers,
      payload: { status: 'pending' },
    });
    await round();
    const first = mailsTo('lee@acme.test');
    expect(first).toHaveLength(1);
    const token = /mail\/emails\?token=([\w.-]+)/.exec(first[0]!.text ?? '')![1]!;
    const sub = await s.inject({ method: 'GET', url: `/api/v1/mail/subscription?token=${token}` });
    expect(sub.json()).toMatchObject({ email: 'lee@acme.test' });
    const off = await s.inject({
      method: 'PUT',
      url: '/api/v1/mail/subscription',
      payload: { token, preferences: [{ kind: 'employee.status', enabled: false }] },
    });
    expect(off.json().preferences.find((p: { kind: string }) => p.kind === 'employee.status').enabled).toBe(false);
    expect(
      (await s.inject({ method: 'GET', url: '/api/v1/mail/subscription?token=eyJwIjoiZW1haWxzIn0.forged-signature' }))
        .statusCode,
    ).toBe(403);
    await s.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticketId}`,
      headers: s.tech.headers,
      payload: { status: 'open' },
    });
    await round();
    expect(mailsTo('lee@acme.test')).toHaveLength(1);

    // A technician who turned SLA warnings off hears nothing; the group's other member does.
    const a = await s.staff('technician', 'tier2');
    const b = await s.staff('technician', 'tier2');
    const put = await s.inject({
      method: 'PUT',
      url: '/api/v1/staff/me/mail-preferences',
      headers: a.headers,
      payload: { preferences: [{ kind: 'staff.sla_warning', enabled: false }] },
    });
    expect(put.statusCode).toBe(200);
    await s.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticketId}`,
      headers: s.tech.headers,
      payload: { group: 'tier2', priority: 'p1' },
    });
    // The SLA job itself moves the ticket to warning (no event inserted by hand): the clock goes forward a
    // little at a time until the ticket's state is warning, before any breach.
    const slaState = async () =>
      (await s.db.kysely.selectFrom('tickets').select('sla_state').where('id', '=', ticketId).executeTakeFirstOrThrow())
        .sla_state;
    for (let step = 0; step < 2_000 && (await slaState()) !== 'warning'; step++) {
      s.clock.advance(60_000);
      await evaluateTicketSla(s.ctx, ticketId);
      // Hours pass: the sessions stay alive as they would in a console that is open.
      if (step % 30 === 0)
        await Promise.all([
          s.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, headers: s.tech.headers }),
          admin('GET', '/api/v1/mail/outbox'),
        ]);
    }
    expect(await slaState()).toBe('warning');
    await round();
    expect(mailsTo(a.email)).toHaveLength(0);
    expect(mailsTo(b.email).map((x) => x.subject)).toEqual([expect.stringMatching(/^SLA warning:/)]);
  });

  it('retries with backoff after the receiver refuses, and fails after the last attempt', async () => {
    smtp.reject = 'Mailbox temporarily unavailable';
    await admin('POST', '/api/v1/settings/mail/test', { to: 'warm@acme.test' }); // not through the outbox
    const ticketId = await fileTicket(s, device, { requester: { name: 'Kim', email: 'kim@acme.test' } });
    await s.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticketId}`,
      headers: s.tech.headers,
      payload: { status: 'pending' },
    });
    expect(await round()).toEqual({ sent: 0, failed: 1 });
    const log = async () => {
      const res = await admin('GET', '/api/v1/mail/outbox');
      expect(res.statusCode, res.body).toBe(200);
      return res.json().mails as Array<Record<string, unknown>>;
    };
    const row = (await log()).find((x) => x.to === 'kim@acme.test')!;
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(String(row.lastError)).toContain('Mailbox temporarily unavailable');
    expect(await round()).toEqual({ sent: 0, failed: 0 }); // not due before a minute
    smtp.reject = null;
    s.clock.advance(RETRY_DELAYS_MS[0]!);
    expect(await round()).toEqual({ sent: 1, failed: 0 });
    expect(mailsTo('kim@acme.test')).toHaveLength(1);

    // Always refused: six attempts, then failed, visible in the log; "retry now" gives it one more.
    smtp.reject = 'Relay access denied';
    await s.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticketId}`,
      headers: s.tech.headers,
      payload: { status: 'open' },
    });
    await round();
    for (const delay of RETRY_DELAYS_MS) {
      s.clock.advance(delay);
      await round();
    }
    s.admin = await s.login(s.admin.email); // hours passed: a new session
    const failed = (await log()).find((x) => x.to === 'kim@acme.test' && x.status === 'failed')!;
    expect(failed).toMatchObject({ attempts: MAX_ATTEMPTS });
    expect(String(failed.lastError)).toContain('Relay access denied');
    smtp.reject = null;
    const retried = await admin('POST', `/api/v1/mail/outbox/${String(failed.id)}/retry`);
    expect(retried.json()).toMatchObject({ status: 'queued' });
    expect(await round()).toEqual({ sent: 1, failed: 0 });
    expect((await admin('POST', `/api/v1/mail/outbox/${String(failed.id)}/retry`)).statusCode).toBe(409);
    expect((await admin('POST', '/api/v1/mail/outbox/999999/retry')).statusCode).toBe(404);
  });
});
