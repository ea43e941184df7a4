import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { ticketRootMessageId } from '../../../src/shared/mail/mail-reference';
import { MAX_IMPORT_ATTEMPTS } from '../../../src/server/mail/inbound/inbound';
import { MailImporter, type InboundPolicy } from '../../../src/server/mail/inbound/mail-import.service';
import { mailDb } from '../../../src/server/mail/mail-db';
import { RecordingMailQueue } from '../../fakes/mail-queue.fake';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from '../harness';
import { fileTicket } from '../ticket-helpers';
import { bounce, compose, gmailReply, outlookReply, outOfOffice, unclosedMultipart } from './mail-messages';

/*
 * Email in (issue 15): the importer on a real database (SQLite and PostgreSQL), fed messages built as mail
 * clients build them. What each kind of message becomes, what is trimmed and kept, and bad input.
 */

const HELP = 'help@acme.test';
const DOMAIN = 'acme.test';
let n = 0;
const id = () => `<m${++n}.${Date.now()}@client.example>`;

describeEachDatabase('email in: the importer', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  let queue: RecordingMailQueue;
  let policy: InboundPolicy;
  let importer: MailImporter;

  beforeAll(async () => {
    s = await createTestServer(dialect);
    device = await s.enroll({ hostname: 'lt-dana' });
  });
  afterAll(async () => s?.close());
  beforeEach(() => {
    queue = new RecordingMailQueue();
    policy = { unknownSenders: 'accept', maxMessageBytes: 25 * 1024 * 1024 };
    importer = new MailImporter(s.ctx, {
      queue,
      identity: { address: async () => HELP, domain: async () => DOMAIN },
      policy: async () => policy,
    });
  });

  const ticket = (ticketId: number) =>
    s.db.kysely.selectFrom('tickets').selectAll().where('id', '=', ticketId).executeTakeFirstOrThrow();
  const messages = (ticketId: number) =>
    s.db.kysely.selectFrom('messages').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
  const attachments = (ticketId: number) =>
    s.db.kysely.selectFrom('attachments').select(['filename', 'size']).where('ticket_id', '=', ticketId).execute();
  const importRow = (importId: number) =>
    mailDb(s.db).selectFrom('mail_imports').selectAll().where('id', '=', importId).executeTakeFirstOrThrow();
  const ticketCount = async () =>
    Number(
      (
        await s.db.kysely
          .selectFrom('tickets')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('opens a ticket for a new request: signature trimmed, the PDF kept, logged once even when read twice', async () => {
    const raw = await compose({
      from: 'Robin Park <Robin.Park@acme.test>',
      to: HELP,
      subject: 'Cannot print to the 2nd floor printer',
      messageId: id(),
      text: 'Hello,\n\nthe printer on floor 2 says offline since this morning.\n\nThanks\n-- \nRobin Park\nPayroll',
      attachments: [{ filename: 'error.pdf', content: Buffer.from('%PDF-1.4 test'), contentType: 'application/pdf' }],
    });
    const first = await importer.importRaw(raw, 'imap');
    expect(first).toMatchObject({ outcome: 'ticket', done: true, duplicate: false });
    const t = await ticket(first.ticketId!);
    expect(t).toMatchObject({
      subject: 'Cannot print to the 2nd floor printer',
      requester_name: 'Robin Park',
      requester_email: 'robin.park@acme.test',
      device_id: null,
      status: 'new',
      urgency: 'medium',
    });
    expect(t.description).toBe('Hello,\n\nthe printer on floor 2 says offline since this morning.\n\nThanks');
    expect(await attachments(first.ticketId!)).toEqual([{ filename: 'error.pdf', size: 13 }]);
    const created = await s.db.kysely
      .selectFrom('ticket_events')
      .select(['type', 'data'])
      .where('ticket_id', '=', first.ticketId!)
      .executeTakeFirstOrThrow();
    expect(created.type).toBe('created');
    expect(JSON.parse(created.data)).toMatchObject({ source: 'email' });
    expect(await importRow(first.importId)).toMatchObject({ outcome: 'ticket', raw: null, attempts: 1 });

    const before = await ticketCount();
    const again = await importer.importRaw(raw, 'imap');
    expect(again).toMatchObject({ outcome: 'ticket', ticketId: first.ticketId, duplicate: true, done: true });
    expect(await ticketCount()).toBe(before);
  });

  it('matches a known employee to their device, and a message without Message-ID is deduplicated by its bytes', async () => {
    await fileTicket(s, device, { requester: { name: 'Dana Weiss', email: 'dana@acme.test' } });
    const raw = await compose({ from: 'dana@acme.test', to: HELP, subject: 'Teams crashes', text: 'Again today.' });
    const stripped = Buffer.from(raw.toString('latin1').replace(/^Message-ID:.*\r\n/im, ''), 'latin1');
    expect(stripped.toString('latin1')).not.toMatch(/^Message-ID:/im);
    const r = await importer.importRaw(stripped, 'smtp');
    expect(r.outcome).toBe('ticket');
    expect(await ticket(r.ticketId!)).toMatchObject({ device_id: device.id, requester_name: 'Dana Weiss' });
    expect((await importRow(r.importId)).message_id).toMatch(/^<[0-9a-f]{64}@deskside\.invalid>$/);
    expect(await importer.importRaw(stripped, 'smtp')).toMatchObject({ duplicate: true, ticketId: r.ticketId });
  });

  it('looks senders and answered notifications up by index (no scan of every ticket or every mail sent)', async () => {
    const planOf = async (query: RawBuilder<unknown>) => {
      if (dialect === 'postgres')
        // One connection: the setting and the plan in one transaction.
        return s.db.kysely.transaction().execute(async (trx) => {
          await sql`set local enable_seqscan = off`.execute(trx);
          const rows = await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(trx);
          return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
        });
      const rows = await sql<{ detail: string }>`explain query plan ${query}`.execute(s.db.kysely);
      return rows.rows.map((r) => r.detail).join('\n');
    };
    expect(
      await planOf(
        sql`select device_id from tickets where lower(requester_email) = ${'dana@acme.test'} order by id desc limit 50`,
      ),
    ).toContain('tickets_requester_email_lower');
    expect(
      await planOf(
        sql`select id from mail_outbox where message_id in (${'<ticket-1.2.ab@acme.test>'}) and ticket_id = 1`,
      ),
    ).toContain('mail_outbox_message_id');
  });

  it('threads a Gmail reply by In-Reply-To (quote and signature trimmed) and reopens a resolved ticket', async () => {
    const ticketId = await fileTicket(s, device, { requester: { name: 'Dana Weiss', email: 'dana@acme.test' } });
    await s.db.kysely
      .updateTable('tickets')
      .set({ status: 'resolved', resolved_at: s.clock.now })
      .where('id', '=', ticketId)
      .execute();
    const raw = await gmailReply({
      from: 'Dana Weiss <dana@acme.test>',
      to: HELP,
      subject: 'Re: VPN drops', // no tag: the header alone must find the ticket
      inReplyTo: ticketRootMessageId(ticketId, DOMAIN),
      text: 'It still drops every hour.',
      id: id(),
    });
    const r = await importer.importRaw(raw, 'imap');
    expect(r).toMatchObject({ outcome: 'reply', ticketId, done: true });
    const [m] = await messages(ticketId);
    expect(m).toMatchObject({
      author_type: 'device',
      author_id: device.id,
      author_name: 'Dana Weiss <dana@acme.test>',
      body: 'It still drops every hour.',
      internal: 0,
    });
    expect(await ticket(ticketId)).toMatchObject({ status: 'open', resolved_at: null });
    const events = await s.db.kysely
      .selectFrom('ticket_events')
      .select(['type', 'data'])
      .where('ticket_id', '=', ticketId)
      .execute();
    expect(events.map((e) => e.type)).toEqual(['created', 'message_posted', 'status_changed']);
    expect(JSON.parse(events[1]!.data)).toMatchObject({ source: 'email' });
  });

  it('a technician answering the mail Deskside sent them replies as staff; their address in From alone does not', async () => {
    const ticketId = await fileTicket(s, device, { requester: { name: 'Dana Weiss', email: 'dana@acme.test' } });
    const tech = await s.db.kysely
      .selectFrom('staff_users')
      .select(['id', 'name', 'email'])
      .where('id', '=', s.tech.id)
      .executeTakeFirstOrThrow();
    // The notification the technician got about the employee's reply (what the outbox records once sent).
    const sentId = `<ticket-${ticketId}.41.9f3ac0de@${DOMAIN}>`;
    await mailDb(s.db)
      .insertInto('mail_outbox')
      .values({
        key: `test:staff-reply:${ticketId}`,
        kind: 'staff.reply',
        to_address: tech.email,
        subject: `Dana Weiss replied [Ticket #${ticketId}]`,
        text: 'It still drops.',
        ticket_id: ticketId,
        message_id: sentId,
        auto_submitted: 'auto-generated',
        status: 'sent',
        attempts: 1,
        next_attempt_at: s.clock.now,
        created_at: s.clock.now,
        updated_at: s.clock.now,
      })
      .execute();
    // Only the ticket's root id and its tag, which anyone can write, with the technician's address: the employee's side.
    const spoof = await importer.importRaw(
      await gmailReply({
        from: `IT <${tech.email.toUpperCase()}>`,
        to: HELP,
        subject: `Re: VPN [Ticket #${ticketId}]`,
        inReplyTo: ticketRootMessageId(ticketId, DOMAIN),
        text: 'Please run the attached tool.',
        id: id(),
      }),
      'imap',
    );
    expect(spoof).toMatchObject({ outcome: 'reply', ticketId });
    const real = await importer.importRaw(
      await gmailReply({
        from: `${tech.name} <${tech.email}>`,
        to: HELP,
        subject: `Re: Dana Weiss replied [Ticket #${ticketId}]`,
        inReplyTo: sentId,
        text: 'Please restart the VPN client.',
        id: id(),
      }),
      'imap',
    );
    expect(real).toMatchObject({ outcome: 'reply', ticketId });
    const [first, second] = await messages(ticketId);
    expect(first).toMatchObject({ author_type: 'device', body: 'Please run the attached tool.' });
    expect(second).toMatchObject({
      author_type: 'staff',
      author_id: String(tech.id),
      author_name: tech.name,
      body: 'Please restart the VPN client.',
      internal: 0,
    });
    // A staff reply as from the console: the first response, and a new ticket is open.
    expect(await ticket(ticketId)).toMatchObject({
      status: 'open',
      first_response_at: s.clock.now,
      last_staff_message_id: second!.id,
    });
  });

  it('threads an HTML-only Outlook reply by the subject tag, keeping only the new words', async () => {
    const ticketId = await fileTicket(s, device, { requester: { name: 'Sam', email: 'sam@acme.test' } });
    const raw = await outlookReply({
      from: 'Sam <sam@acme.test>',
      to: HELP,
      subject: `RE: Printer on floor 2 [Ticket #${ticketId}]`,
      html: 'Done, it prints again &amp; thanks!',
      id: id(),
    });
    const r = await importer.importRaw(raw, 'imap');
    expect(r).toMatchObject({ outcome: 'reply', ticketId });
    expect((await messages(ticketId)).map((m) => m.body)).toEqual(['Done, it prints again & thanks!']);
  });

  it('opens a new ticket, saying so, for an answer to a closed ticket; a foreign domain’s ticket id is not ours', async () => {
    const closed = await fileTicket(s, device, { requester: { name: 'Sam', email: 'sam@acme.test' } });
    await s.db.kysely
      .updateTable('tickets')
      .set({ status: 'closed', closed_at: s.clock.now })
      .where('id', '=', closed)
      .execute();
    const r = await importer.importRaw(
      await compose({
        from: 'sam@acme.test',
        to: HELP,
        subject: `Re: Old [Ticket #${closed}]`,
        messageId: id(),
        text: 'Back again',
      }),
      'imap',
    );
    expect(r).toMatchObject({ outcome: 'ticket', reason: `Ticket #${closed} is closed or gone: opened a new one` });
    expect(r.ticketId).not.toBe(closed);
    expect((await ticket(r.ticketId!)).description).toBe(
      `Follow-up to ticket #${closed}, which is closed.\n\nBack again`,
    );

    const foreign = await importer.importRaw(
      await compose({
        from: 'sam@acme.test',
        to: HELP,
        subject: 'Lunch',
        messageId: id(),
        inReplyTo: ticketRootMessageId(closed, 'other.example'),
        text: 'Hi',
      }),
      'imap',
    );
    expect(foreign.outcome).toBe('ticket');
    expect((await ticket(foreign.ticketId!)).description).toBe('Hi');
  });

  it('logs auto-replies, bounces and its own mail without a ticket or an answer', async () => {
    const before = await ticketCount();
    policy.unknownSenders = 'refuse'; // even then, nothing is answered
    const ooo = await importer.importRaw(await outOfOffice({ from: 'lee@acme.test', to: HELP, id: id() }), 'imap');
    expect(ooo).toMatchObject({
      outcome: 'auto-reply',
      ticketId: null,
      done: true,
      reason: 'Auto-Submitted: auto-replied',
    });
    const dsn = await importer.importRaw(bounce({ to: HELP, id: id() }), 'smtp');
    expect(dsn).toMatchObject({ outcome: 'bounce', done: true });
    const own = await importer.importRaw(
      await compose({ from: HELP, to: HELP, subject: 'x', messageId: id(), text: 'x' }),
      'imap',
    );
    expect(own).toMatchObject({ outcome: 'loop', reason: 'It is from the help desk’s own address' });
    const marked = await importer.importRaw(
      await compose({
        from: 'someone@acme.test',
        to: HELP,
        subject: 'Fwd',
        messageId: id(),
        headers: { 'X-Deskside-Mail': 'notify.reply' },
        text: 'x',
      }),
      'imap',
    );
    expect(marked.outcome).toBe('loop');
    expect(await ticketCount()).toBe(before);
    expect(queue.mails).toEqual([]);
  });

  it('drops an attachment over the limit and names it; keeps the rest', async () => {
    const big = Buffer.alloc(9 * 1024 * 1024, 7);
    const raw = await compose({
      from: 'lee@acme.test',
      to: HELP,
      subject: 'Logs',
      messageId: id(),
      text: 'Logs attached.',
      attachments: [
        { filename: 'huge.zip', content: big, contentType: 'application/zip' },
        { filename: 'small.txt', content: 'hello', contentType: 'text/plain' },
        { filename: 'run.exe', content: 'MZ', contentType: 'application/x-msdownload' },
      ],
    });
    const r = await importer.importRaw(raw, 'smtp');
    expect(r.outcome).toBe('ticket');
    expect((await attachments(r.ticketId!)).map((a) => a.filename)).toEqual(['small.txt']);
    expect((await ticket(r.ticketId!)).description).toBe(
      'Logs attached.\n\nAttachments not kept: huge.zip (9.0 MiB: over the 8.0 MiB limit); run.exe (application/x-msdownload files are not accepted).',
    );
  });

  it('keeps a malformed message with its bytes, counts the tries and gives up after the last; a too-big one at once', async () => {
    const raw = unclosedMultipart({ from: 'lee@acme.test', id: id() });
    for (let attempt = 1; attempt <= MAX_IMPORT_ATTEMPTS; attempt++) {
      const r = await importer.importRaw(raw, 'imap');
      expect(r).toMatchObject({ outcome: 'failed', done: attempt === MAX_IMPORT_ATTEMPTS });
      expect(r.reason).toBe('Malformed MIME: the multipart boundary "cut-here" is never closed');
      const row = await importRow(r.importId);
      expect(row.attempts).toBe(attempt);
      expect(Buffer.from(row.raw!).equals(raw)).toBe(true);
    }
    const noFrom = await importer.importRaw(Buffer.from('garbage without any header\r\n\r\n'), 'smtp');
    expect(noFrom).toMatchObject({ outcome: 'failed', reason: 'No sender address (From)', done: false });

    policy.maxMessageBytes = 1000;
    const tooBig = await importer.importRaw(
      await compose({ from: 'lee@acme.test', to: HELP, subject: 'x', messageId: id(), text: 'y'.repeat(5000) }),
      'smtp',
    );
    expect(tooBig).toMatchObject({ outcome: 'failed', done: true });
    expect(tooBig.reason).toMatch(/^Too big: \d+ KiB, over the 1 KiB limit$/);
    expect((await importRow(tooBig.importId)).raw).toBeNull();
  });

  it('a failed message that later imports becomes a ticket on its same row', async () => {
    const mid = id();
    const broken = unclosedMultipart({ from: 'kim@acme.test', id: mid });
    const failed = await importer.importRaw(broken, 'imap');
    expect(failed.outcome).toBe('failed');
    const fixed = await compose({
      from: 'kim@acme.test',
      to: HELP,
      subject: 'Broken',
      messageId: mid,
      text: 'Complete now',
    });
    const ok = await importer.importRaw(fixed, 'imap');
    expect(ok).toMatchObject({ outcome: 'ticket', importId: failed.importId });
    expect(await importRow(ok.importId)).toMatchObject({ outcome: 'ticket', attempts: 2, raw: null });
  });

  it('under "refuse", answers an unknown sender once (even read twice) and serves a known one', async () => {
    policy.unknownSenders = 'refuse';
    const before = await ticketCount();
    const raw = await compose({
      from: 'stranger@elsewhere.example',
      to: HELP,
      subject: 'Buy now',
      messageId: id(),
      text: 'Offer',
    });
    const r = await importer.importRaw(raw, 'smtp');
    expect(r).toMatchObject({ outcome: 'not-served', ticketId: null, done: true });
    expect(await importer.importRaw(raw, 'smtp')).toMatchObject({ outcome: 'not-served', duplicate: true });
    expect(queue.mails).toHaveLength(1);
    expect(queue.mails[0]).toMatchObject({
      to: 'stranger@elsewhere.example',
      kind: 'inbound.not-served',
      subject: 'Re: Buy now',
      autoSubmitted: 'auto-replied',
    });
    expect(await ticketCount()).toBe(before);

    const known = await importer.importRaw(
      await compose({ from: 'dana@acme.test', to: HELP, subject: 'Mouse', messageId: id(), text: 'Broken mouse' }),
      'smtp',
    );
    expect(known.outcome).toBe('ticket');
  });
});
