import { afterAll, beforeAll, expect, it } from 'vitest';
import { mailDb } from '../../src/server/mail/mail-db';
import { loadMailboxConfig } from '../../src/server/mail/mailbox-settings.service';
import { createTestServer, describeEachDatabase, type TestServer } from './harness';
import { fileTicket } from './ticket-helpers';
import { compose } from './mail/mail-messages';

const MAILBOX = '/api/v1/mail/mailbox';
const IMPORTS = '/api/v1/mail/imports';

const imapBody = (extra: Record<string, unknown> = {}) => ({
  mode: 'imap',
  imapHost: 'imap.acme.test',
  imapPort: 993,
  imapTls: 'tls',
  imapUser: 'helpdesk@acme.test',
  imapFolder: 'INBOX',
  smtpHost: '127.0.0.1',
  smtpPort: 2525,
  addresses: [],
  unknownSenders: 'accept',
  maxMessageBytes: 10 * 1024 * 1024,
  ...extra,
});

describeEachDatabase('email in: mailbox settings and the import log', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await createTestServer(dialect);
  });
  afterAll(() => s.close());

  const admin = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    s.inject({ method, url, headers: s.admin.headers, ...(payload ? { payload } : {}) });

  it('starts off, with the migration’s defaults and no password', async () => {
    const got = await admin('GET', MAILBOX);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({
      mode: 'off',
      imapHost: '',
      imapPort: 993,
      imapTls: 'tls',
      imapUser: '',
      imapPasswordSet: false,
      imapFolder: 'INBOX',
      smtpHost: '127.0.0.1',
      smtpPort: 2525,
      addresses: [],
      fromAddress: '',
      unknownSenders: 'accept',
      maxMessageBytes: 25 * 1024 * 1024,
    });
    expect(got.json()).not.toHaveProperty('imapPassword');
  });

  it('round-trips the settings with a write-only password, kept when absent and cleared by ""', async () => {
    const put = await admin('PUT', MAILBOX, imapBody({ imapPassword: 'hunter2!secret' }));
    expect(put.statusCode, put.body).toBe(200);
    expect(put.body).not.toContain('hunter2');
    const got = await admin('GET', MAILBOX);
    expect(got.json()).toMatchObject({ ...imapBody(), imapPasswordSet: true });
    expect(got.body).not.toContain('hunter2');

    // Absent: kept.
    await admin('PUT', MAILBOX, imapBody({ imapFolder: 'Support' }));
    expect((await admin('GET', MAILBOX)).json()).toMatchObject({ imapFolder: 'Support', imapPasswordSet: true });
    expect((await loadMailboxConfig(s.ctx)).imap.password).toBe('hunter2!secret');

    // The audit log says what changed, never the password.
    const audits = await s.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_id', '=', 'mailbox')
      .orderBy('id')
      .execute();
    expect(audits.map((a) => a.action)).toEqual(['settings.mailbox.update', 'settings.mailbox.update']);
    expect(audits.map((a) => a.details).join()).not.toContain('hunter2');
    expect(JSON.parse(String(audits[1]!.details))).toMatchObject({ changed: ['imapFolder'], passwordChanged: false });

    // "": cleared.
    await admin('PUT', MAILBOX, imapBody({ imapPassword: '' }));
    expect((await admin('GET', MAILBOX)).json().imapPasswordSet).toBe(false);
    expect((await loadMailboxConfig(s.ctx)).imap.password).toBe('');

    // The listener's STARTTLS files: kept as paths, handed to the listener; a PUT without them has none.
    const tls = { smtpTlsCertFile: '/etc/ssl/help.pem', smtpTlsKeyFile: '/etc/ssl/private/help-key.pem' };
    expect((await admin('PUT', MAILBOX, imapBody({ mode: 'smtp', ...tls }))).statusCode).toBe(200);
    expect((await admin('GET', MAILBOX)).json()).toMatchObject(tls);
    expect((await loadMailboxConfig(s.ctx)).smtp).toMatchObject({
      tlsCertFile: '/etc/ssl/help.pem',
      tlsKeyFile: '/etc/ssl/private/help-key.pem',
    });
    await admin('PUT', MAILBOX, imapBody());
    expect((await admin('GET', MAILBOX)).json()).toMatchObject({ smtpTlsCertFile: '', smtpTlsKeyFile: '' });
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ imapPort: 0 }, 'imapPort'],
      [{ imapPort: 70000 }, 'imapPort'],
      [{ smtpPort: 0 }, 'smtpPort'],
      [{ mode: 'pop3' }, 'mode'],
      [{ imapTls: 'ssl' }, 'imapTls'],
      [{ addresses: ['nope'] }, 'addresses'],
      [{ imapFolder: 'IN\u0000BOX' }, 'imapFolder'],
      [{ imapFolder: '' }, 'imapFolder'],
      [{ imapHost: 'a b' }, 'imapHost'],
      [{ smtpHost: 'a b' }, 'smtpHost'],
      [{ unknownSenders: 'maybe' }, 'unknownSenders'],
      [{ maxMessageBytes: 10 }, 'maxMessageBytes'],
      [{ maxMessageBytes: 1024 * 1024 * 1024 }, 'maxMessageBytes'],
      [{ imapHost: '' }, 'imapHost'],
      [{ imapUser: '' }, 'imapUser'],
      [{ smtpTlsCertFile: 'certs/help.pem', smtpTlsKeyFile: '/etc/ssl/help-key.pem' }, 'smtpTlsCertFile'],
      [{ smtpTlsCertFile: '/etc/ssl/help.pem' }, 'smtpTlsKeyFile'],
      [{ smtpTlsKeyFile: '/etc/ssl/help-key.pem' }, 'smtpTlsCertFile'],
      [{ smtpTlsCertFile: '/etc/ssl/\u0000.pem', smtpTlsKeyFile: '/etc/ssl/help-key.pem' }, 'smtpTlsCertFile'],
    ];
    for (const [bad, field] of cases) {
      const res = await admin('PUT', MAILBOX, imapBody(bad));
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.message, JSON.stringify(bad)).toMatch(new RegExp(`^body\\.${field}\\b`));
    }
    const extra = await admin('PUT', MAILBOX, imapBody({ imapPassword: 'x', smuggled: 1 }));
    expect(extra.statusCode).toBe(400);
    // The listener needs no IMAP host.
    expect((await admin('PUT', MAILBOX, imapBody({ mode: 'smtp', imapHost: '', imapUser: '' }))).statusCode).toBe(200);
    expect((await admin('PUT', MAILBOX, imapBody({ smtpHost: '::' }))).statusCode).toBe(200);
    expect((await admin('PUT', MAILBOX, imapBody({ smtpHost: '0.0.0.0' }))).statusCode).toBe(200);
  });

  it('is for administrators only', async () => {
    for (const [method, url] of [
      ['GET', MAILBOX],
      ['PUT', MAILBOX],
      ['POST', `${MAILBOX}/test`],
      ['GET', IMPORTS],
    ] as const) {
      const res = await s.inject({
        method,
        url,
        headers: s.tech.headers,
        ...(method === 'GET' ? {} : { payload: imapBody() }),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
  });

  it('gives the transports a MailboxConfig: addresses lower-cased, the From address when there are none', async () => {
    await admin('PUT', '/api/v1/settings/mail', {
      host: 'smtp.acme.test',
      port: 587,
      tlsMode: 'starttls',
      username: '',
      fromName: 'Acme IT',
      fromAddress: 'Help@Acme.test',
      publicUrl: '',
      replyDelayMinutes: 5,
    });
    await admin('PUT', MAILBOX, imapBody({ mode: 'smtp', smtpPort: 2626, unknownSenders: 'refuse' }));
    expect(await loadMailboxConfig(s.ctx)).toEqual({
      mode: 'smtp',
      imap: {
        host: 'imap.acme.test',
        port: 993,
        tls: 'tls',
        user: 'helpdesk@acme.test',
        password: '',
        folder: 'INBOX',
      },
      smtp: { host: '127.0.0.1', port: 2626, addresses: ['help@acme.test'], tlsCertFile: '', tlsKeyFile: '' },
      unknownSenders: 'refuse',
      maxMessageBytes: 10 * 1024 * 1024,
    });
    expect((await admin('GET', MAILBOX)).json().fromAddress).toBe('Help@Acme.test');

    const put = await admin(
      'PUT',
      MAILBOX,
      imapBody({ mode: 'smtp', addresses: ['Support@Acme.test', 'it@acme.test', 'support@acme.test'] }),
    );
    expect(put.json().addresses).toEqual(['Support@Acme.test', 'it@acme.test']);
    expect((await loadMailboxConfig(s.ctx)).smtp.addresses).toEqual(['support@acme.test', 'it@acme.test']);
  });

  it('tests the connection with the saved settings overlaid by the form, answering the check’s result', async () => {
    await admin('PUT', MAILBOX, imapBody({ imapPassword: 'saved-secret' }));
    const res = await admin('POST', `${MAILBOX}/test`, { imapHost: 'other.acme.test', imapPort: 143 });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json();
    expect(typeof result.ok).toBe('boolean');
    if (result.ok) expect(typeof result.detail).toBe('string');
    else {
      expect(['config', 'connection', 'tls', 'auth', 'folder', 'bind']).toContain(result.kind);
      expect(typeof result.message).toBe('string');
    }
    expect(res.body).not.toContain('saved-secret');
    // An empty form checks the saved settings; bad form values are refused like the PUT's.
    expect((await admin('POST', `${MAILBOX}/test`, {})).statusCode).toBe(200);
    const bad = await admin('POST', `${MAILBOX}/test`, { imapPort: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^body\.imapPort\b/);
  });

  it('merges the unsaved form over the saved settings for the check (the password: the saved one when absent)', async () => {
    const { mailboxConfigWith } = await import('../../src/server/mail/mailbox-settings.service');
    await admin('PUT', MAILBOX, imapBody({ imapPassword: 'saved-secret' }));
    const merged = await mailboxConfigWith(s.ctx, { imapHost: 'other.acme.test', imapTls: 'starttls', imapPort: 143 });
    expect(merged.imap).toEqual({
      host: 'other.acme.test',
      port: 143,
      tls: 'starttls',
      user: 'helpdesk@acme.test',
      password: 'saved-secret',
      folder: 'INBOX',
    });
    expect((await mailboxConfigWith(s.ctx, { imapPassword: 'typed' })).imap.password).toBe('typed');
    expect((await mailboxConfigWith(s.ctx, { mode: 'smtp', addresses: ['A@Acme.test'] })).smtp.addresses).toEqual([
      'a@acme.test',
    ]);
  });

  it('lists the import log newest first, by outcome, by page', async () => {
    const device = await s.enroll();
    const ticketId = await fileTicket(s, device, { subject: 'VPN drops' });
    const db = mailDb(s.db);
    const base = s.clock.now;
    const outcomes = ['ticket', 'reply', 'auto-reply', 'bounce', 'loop', 'not-served', 'failed', 'ticket'] as const;
    for (const [i, outcome] of outcomes.entries()) {
      await db
        .insertInto('mail_imports')
        .values({
          message_id: `<m${i}@acme.test>`,
          source: i % 2 ? 'smtp' : 'imap',
          from_address: `user${i}@acme.test`,
          subject: `Message ${i}`,
          outcome,
          ticket_id: outcome === 'ticket' || outcome === 'reply' ? ticketId : null,
          reason: outcome === 'failed' ? 'no sender' : null,
          attempts: outcome === 'failed' ? 5 : 1,
          raw: outcome === 'failed' ? Buffer.from('Subject: x\r\n\r\nbody') : null,
          created_at: base + i * 1000,
          updated_at: base + i * 1000,
        })
        .execute();
    }

    const all = (await admin('GET', IMPORTS)).json();
    expect(all.imports.map((m: { subject: string }) => m.subject)).toEqual(
      [7, 6, 5, 4, 3, 2, 1, 0].map((i) => `Message ${i}`),
    );
    expect(all.nextCursor).toBeNull();
    expect(all.counts).toEqual({
      ticket: 2,
      reply: 1,
      'auto-reply': 1,
      bounce: 1,
      loop: 1,
      'not-served': 1,
      failed: 1,
    });
    const failed = all.imports.find((m: { outcome: string }) => m.outcome === 'failed');
    expect(failed).toMatchObject({
      messageId: '<m6@acme.test>',
      source: 'imap',
      from: 'user6@acme.test',
      ticketId: null,
      reason: 'no sender',
      attempts: 5,
      rawKept: true,
      createdAt: new Date(base + 6000).toISOString(),
      updatedAt: new Date(base + 6000).toISOString(),
    });
    expect(all.imports[0]).toMatchObject({ outcome: 'ticket', ticketId, rawKept: false, source: 'smtp' });
    expect(all.imports[0]).not.toHaveProperty('raw');

    const tickets = (await admin('GET', `${IMPORTS}?outcome=ticket`)).json();
    expect(tickets.imports.map((m: { subject: string }) => m.subject)).toEqual(['Message 7', 'Message 0']);

    const seen: string[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const page: { imports: { subject: string }[]; nextCursor: number | null } = (
        await admin('GET', `${IMPORTS}?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      expect(page.imports.length).toBeLessThanOrEqual(3);
      seen.push(...page.imports.map((m) => m.subject));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual(all.imports.map((m: { subject: string }) => m.subject));

    for (const bad of ['outcome=spam', 'limit=0', 'limit=1000', 'cursor=-1', 'cursor=abc']) {
      const res = await admin('GET', `${IMPORTS}?${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.message, bad).toMatch(/^querystring\.(outcome|limit|cursor)\b/);
    }
  });

  it('imports a failed message again on "retry now": a ticket on the same row; refuses what cannot be retried', async () => {
    const db = mailDb(s.db);
    const row = async (messageId: string, outcome: 'failed' | 'ticket', raw: Buffer | null) =>
      Number(
        (
          await db
            .insertInto('mail_imports')
            .values({
              message_id: messageId,
              source: 'smtp',
              from_address: 'noor@acme.test',
              subject: 'Scanner',
              outcome,
              ticket_id: null,
              reason: outcome === 'failed' ? 'the database was unreachable' : null,
              attempts: outcome === 'failed' ? 5 : 1,
              raw,
              created_at: s.clock.now,
              updated_at: s.clock.now,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    // A whole message whose import failed for a reason gone since (the database was down): its bytes were kept.
    const raw = await compose({
      from: 'Noor <noor@acme.test>',
      to: 'help@acme.test',
      subject: 'Scanner on floor 4 jams',
      messageId: '<retry-1@client.example>',
      text: 'Every second page jams.',
    });
    const failedId = await row('<retry-1@client.example>', 'failed', raw);
    const res = await admin('POST', `${IMPORTS}/${failedId}/retry`);
    expect(res.statusCode, res.body).toBe(200);
    const dto = res.json();
    expect(dto).toMatchObject({ id: failedId, outcome: 'ticket', reason: null, attempts: 6, rawKept: false });
    const ticket = await s.db.kysely
      .selectFrom('tickets')
      .select(['subject', 'requester_email', 'description'])
      .where('id', '=', dto.ticketId)
      .executeTakeFirstOrThrow();
    expect(ticket).toEqual({
      subject: 'Scanner on floor 4 jams',
      requester_email: 'noor@acme.test',
      description: 'Every second page jams.',
    });

    const again = await admin('POST', `${IMPORTS}/${failedId}/retry`);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'not_retryable']);
    const tooBig = await row('<retry-2@client.example>', 'failed', null);
    const noBytes = await admin('POST', `${IMPORTS}/${tooBig}/retry`);
    expect(noBytes.statusCode).toBe(409);
    expect(noBytes.json().error.message).toMatch(/did not keep this message/);
    expect((await admin('POST', `${IMPORTS}/999999/retry`)).statusCode).toBe(404);
    expect((await admin('POST', `${IMPORTS}/abc/retry`)).statusCode).toBe(400);
    const tech = await s.inject({ method: 'POST', url: `${IMPORTS}/${tooBig}/retry`, headers: s.tech.headers });
    expect(tech.statusCode).toBe(403);
  });
});
