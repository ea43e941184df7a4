import { afterAll, beforeAll, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { startMailInJob } from '../../../src/server/mail/inbound/mail-in.job';
import { mailNotifyFeed, mailPass } from '../../../src/server/mail/mail.job';
import { freePort } from '../../helpers/server-process';
import { startSmtpReceiver, type SmtpReceiver } from '../mail-smtp-receiver';
import { createTestServer, describeEachDatabase, type TestServer } from '../harness';
import { dovecotMissing, startDovecot, type Dovecot } from './dovecot';
import { eventually } from './eventually';
import { compose } from './mail-messages';

/*
 * Email in and out end to end (issue 15), through the real servers: an employee's request is delivered into
 * a Dovecot mailbox the test starts; the server's mail-in job (IMAP reader + importer) opens a ticket; the
 * technician's reply goes out through the outbox to an SMTP receiver on 127.0.0.1; the employee answers
 * that mail, this time through Deskside's own SMTP listener (IT switched the mailbox mode), and the answer
 * lands on the same ticket, threaded by the Message-ID the reply carried.
 */

const missing = dovecotMissing();
if (missing) console.warn(`mail-roundtrip.test.ts skipped: ${missing}`);

describeEachDatabase('email in and out, end to end', (dialect) => {
  let s: TestServer;
  let dovecot: Dovecot;
  let smtp: SmtpReceiver;
  let stopMailIn: () => Promise<void>;
  let feed: ReturnType<typeof mailNotifyFeed>;

  beforeAll(async () => {
    if (missing) return;
    [s, dovecot, smtp] = await Promise.all([createTestServer(dialect), startDovecot(), startSmtpReceiver()]);
    feed = mailNotifyFeed(s.ctx, 0);
    await feed.pump();
    stopMailIn = startMailInJob(s.ctx, 200);
  }, 60_000);
  afterAll(async () => {
    await stopMailIn?.();
    await Promise.all([dovecot?.dispose(), smtp?.close()]);
    await s?.close();
  });

  const admin = async (method: 'PUT' | 'GET', url: string, payload?: object) => {
    const res = await s.inject({ method, url, headers: s.admin.headers, ...(payload ? { payload } : {}) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Record<string, unknown>>();
  };
  const ticketsOf = (email: string) =>
    s.db.kysely.selectFrom('tickets').selectAll().where('requester_email', '=', email).orderBy('id').execute();

  it.skipIf(missing !== null)(
    'a request by IMAP becomes a ticket, the reply is mailed, the answer by SMTP threads onto it',
    async () => {
      await admin('PUT', '/api/v1/settings/mail', {
        host: '127.0.0.1',
        port: smtp.port,
        tlsMode: 'none',
        username: '',
        fromName: 'Acme IT',
        fromAddress: 'help@acme.test',
        publicUrl: 'https://help.acme.test',
        replyDelayMinutes: 5,
      });
      const mailbox = {
        mode: 'imap',
        imapHost: '127.0.0.1',
        imapPort: dovecot.port,
        imapTls: 'none',
        imapUser: dovecot.user,
        imapPassword: dovecot.password,
        imapFolder: 'INBOX',
        smtpHost: '127.0.0.1',
        smtpPort: 2525,
        addresses: [],
        unknownSenders: 'accept',
        maxMessageBytes: 10 * 1024 * 1024,
      };
      const saved = await admin('PUT', '/api/v1/mail/mailbox', mailbox);
      expect(saved.mode).toBe('imap');

      // 1. The employee writes to the help desk; the message sits in the IMAP mailbox.
      const uid = await dovecot.deliver(
        await compose({
          from: 'Dana Weiss <dana@acme.test>',
          to: 'help@acme.test',
          subject: 'Outlook asks for my password all the time',
          messageId: '<request-1@mail.acme.test>',
          text: 'Since this morning Outlook keeps asking.\n\n-- \nDana',
        }),
      );
      await eventually(async () => (await ticketsOf('dana@acme.test')).length === 1, 'the ticket from the mailbox');
      const [ticket] = await ticketsOf('dana@acme.test');
      expect(ticket).toMatchObject({
        subject: 'Outlook asks for my password all the time',
        requester_name: 'Dana Weiss',
      });
      expect(ticket!.description).toBe('Since this morning Outlook keeps asking.');
      await eventually(async () => (await dovecot.flagsOf(uid)).includes('\\Seen'), 'the message marked \\Seen');
      const log = await admin('GET', '/api/v1/mail/imports');
      expect((log.imports as Array<Record<string, unknown>>)[0]).toMatchObject({
        outcome: 'ticket',
        ticketId: ticket!.id,
        source: 'imap',
        from: 'dana@acme.test',
      });

      // 2. A technician replies; unread in any tray (the ticket has no device) it is mailed after the delay.
      const reply = await s.inject({
        method: 'POST',
        url: `/api/v1/tickets/${ticket!.id}/messages`,
        headers: s.tech.headers,
        payload: { body: 'Please sign out of Outlook and back in.' },
      });
      expect(reply.statusCode, reply.body).toBe(201);
      while ((await feed.pump()) > 0);
      s.clock.advance(5 * 60_000 + 1_000);
      await mailPass(s.ctx);
      const out = smtp.mails.find((m) => m.to && 'text' in m.to && m.to.text.includes('dana@acme.test'));
      expect(out, 'the reply mailed to the employee').toBeDefined();
      expect(out!.subject).toContain(`[Ticket #${ticket!.id}]`);
      expect(out!.text).toContain('Please sign out of Outlook and back in.');
      const outId = out!.messageId!;
      expect(outId).toMatch(new RegExp(`^<ticket-${ticket!.id}\\..+@acme\\.test>$`));

      // 3. IT switches to Deskside's own listener; the employee answers the mail they got (their client keeps the thread).
      const listenPort = await freePort();
      const switched = await admin('PUT', '/api/v1/mail/mailbox', {
        ...mailbox,
        imapPassword: undefined, // kept
        mode: 'smtp',
        smtpPort: listenPort,
      });
      expect(switched.transport).toEqual({ running: true, error: null });
      const client = nodemailer.createTransport({
        host: '127.0.0.1',
        port: listenPort,
        secure: false,
        ignoreTLS: true,
      });
      await client.sendMail({
        from: 'Dana Weiss <dana@acme.test>',
        to: 'help@acme.test',
        subject: `Re: ${out!.subject}`,
        messageId: '<answer-1@mail.acme.test>',
        inReplyTo: outId,
        references: [outId],
        text: `That fixed it, thanks!\n\nOn Sat, 5 Dec 2026, Acme IT <help@acme.test> wrote:\n> Please sign out of Outlook and back in.\n`,
      });
      const messages = await s.db.kysely
        .selectFrom('messages')
        .select(['author_type', 'body'])
        .where('ticket_id', '=', ticket!.id)
        .orderBy('id')
        .execute();
      expect(messages).toEqual([
        { author_type: 'staff', body: 'Please sign out of Outlook and back in.' },
        { author_type: 'device', body: 'That fixed it, thanks!' },
      ]);
      // Mail to any other address is refused at RCPT TO, and nothing is imported.
      await expect(
        client.sendMail({ from: 'dana@acme.test', to: 'ceo@acme.test', subject: 'x', text: 'x' }),
      ).rejects.toThrow(/550/);
      client.close();
      expect(await ticketsOf('dana@acme.test')).toHaveLength(1);
    },
    90_000,
  );
});
