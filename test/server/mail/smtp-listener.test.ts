import { afterEach, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { startSmtpListener, type SmtpListener } from '../../../src/server/mail/inbound/smtp-listener';
import { fakeInboundSink, recordingLog, type FakeInboundSink } from '../../fakes/inbound-sink.fake';
import { rawMail } from './dovecot';
import { smtpDialogue } from './smtp-dialogue';

/*
 * Deskside's own SMTP listener on 127.0.0.1:0 with a fake importer: what a sending mail server sees (reply
 * codes, with their enhanced status codes) and what reaches the importer (the exact bytes, once).
 */

const MAX = 64 * 1024;
let listener: SmtpListener | null = null;

afterEach(async () => {
  await listener?.close();
  listener = null;
});

async function start(sink: FakeInboundSink, extra: { maxClients?: number } = {}) {
  listener = await startSmtpListener({
    host: '127.0.0.1',
    port: 0,
    addresses: ['help@acme.test', 'it@acme.test'],
    maxMessageBytes: MAX,
    sink,
    log: recordingLog(),
    ...extra,
  });
  return listener;
}

const transport = (port: number) =>
  nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 10_000 });

describe('SMTP listener', () => {
  it('greets as Deskside, advertises SIZE, offers neither AUTH nor STARTTLS', async () => {
    const { port } = await start(fakeInboundSink());
    const smtp = await smtpDialogue(port);
    expect(smtp.greeting).toMatch(/^220 .*Deskside/);
    const ehlo = await smtp.send('EHLO client.test');
    expect(ehlo).toContain(`SIZE ${MAX}`);
    expect(ehlo).toContain('ENHANCEDSTATUSCODES');
    expect(ehlo).not.toMatch(/AUTH|STARTTLS/);
    expect(await smtp.send('QUIT')).toMatch(/^221/);
    smtp.close();
  });

  it('hands an accepted message to the importer byte for byte, and answers 250', async () => {
    const sink = fakeInboundSink();
    const { port } = await start(sink);
    // A line starting with a dot (dot-stuffed on the wire), 8-bit text, a long line.
    const raw = rawMail(
      'byte-exact',
      `Hello\r\n.hidden dot line\r\n..two dots\r\nCafé ☕ naïve\r\n${'x'.repeat(900)}\r\n`,
    );
    const info = await transport(port).sendMail({
      envelope: { from: 'alice@example.test', to: ['Help@ACME.test'] },
      raw,
    });
    expect(info.accepted).toHaveLength(1);
    expect(info.response).toMatch(/^250 2\.6\.0 /);
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.source).toBe('smtp');
    expect(sink.received[0]!.raw.equals(Buffer.from(raw))).toBe(true);
  });

  it('refuses a recipient that is not a help desk address with 550 5.1.1, and imports nothing', async () => {
    const sink = fakeInboundSink();
    const { port } = await start(sink);
    await expect(
      transport(port).sendMail({ envelope: { from: 'alice@example.test', to: ['bob@acme.test'] }, raw: rawMail('x') }),
    ).rejects.toMatchObject({ responseCode: 550 });
    const smtp = await smtpDialogue(port);
    await smtp.send('EHLO client.test');
    await smtp.send('MAIL FROM:<alice@example.test>');
    expect(await smtp.send('RCPT TO:<nobody@acme.test>')).toMatch(/^550 5\.1\.1 /);
    expect(await smtp.send('DATA')).toMatch(/^503/);
    smtp.close();
    expect(sink.received).toHaveLength(0);
  });

  it('takes a message for several recipients once, refusing only the unknown ones', async () => {
    const sink = fakeInboundSink();
    const { port } = await start(sink);
    const smtp = await smtpDialogue(port);
    await smtp.send('EHLO client.test');
    expect(await smtp.send('MAIL FROM:<alice@example.test>')).toMatch(/^250/);
    expect(await smtp.send('RCPT TO:<help@acme.test>')).toMatch(/^250/);
    expect(await smtp.send('RCPT TO:<stranger@acme.test>')).toMatch(/^550 5\.1\.1/);
    expect(await smtp.send('RCPT TO:<IT@acme.test>')).toMatch(/^250/);
    expect(await smtp.send('DATA')).toMatch(/^354/);
    expect(await smtp.sendRaw(`${rawMail('two recipients')}.\r\n`)).toMatch(/^250 2\.6\.0/);
    smtp.close();
    expect(sink.received).toHaveLength(1);
    expect(sink.matching('Subject: two recipients')).toHaveLength(1);
  });

  it('refuses a message over the limit with 552 5.3.4, declared or counted, and imports nothing', async () => {
    const sink = fakeInboundSink();
    const { port } = await start(sink);
    const smtp = await smtpDialogue(port);
    await smtp.send('EHLO client.test');
    expect(await smtp.send(`MAIL FROM:<alice@example.test> SIZE=${MAX + 1}`)).toMatch(/^552 5\.3\.4 /);
    // Not declared: counted while it streams in.
    expect(await smtp.send('MAIL FROM:<alice@example.test>')).toMatch(/^250/);
    expect(await smtp.send('RCPT TO:<help@acme.test>')).toMatch(/^250/);
    expect(await smtp.send('DATA')).toMatch(/^354/);
    const big = rawMail('too big', `${'y'.repeat(998)}\r\n`.repeat(Math.ceil((MAX * 2) / 1000)));
    expect(await smtp.sendRaw(`${big}.\r\n`)).toMatch(/^552 5\.3\.4 /);
    // The connection goes on: a small message afterwards is taken.
    expect(await smtp.send('MAIL FROM:<alice@example.test>')).toMatch(/^250/);
    expect(await smtp.send('RCPT TO:<help@acme.test>')).toMatch(/^250/);
    expect(await smtp.send('DATA')).toMatch(/^354/);
    expect(await smtp.sendRaw(`${rawMail('small after big')}.\r\n`)).toMatch(/^250/);
    smtp.close();
    expect(sink.received).toHaveLength(1);
    expect(sink.matching('small after big')).toHaveLength(1);
  });

  it('answers 451 4.3.0 when the importer throws, and 250 when the sender tries again', async () => {
    const sink = fakeInboundSink('throw');
    const { port } = await start(sink);
    const raw = rawMail('database down');
    const send = () =>
      transport(port).sendMail({ envelope: { from: 'alice@example.test', to: ['help@acme.test'] }, raw });
    await expect(send()).rejects.toMatchObject({ responseCode: 451, response: expect.stringMatching(/^451 4\.3\.0 /) });
    sink.behaviour = 'done';
    await expect(send()).resolves.toMatchObject({ response: expect.stringMatching(/^250/) });
    expect(sink.received.map((m) => m.answered)).toEqual(['throw', 'done']);
  });

  it('answers 250 when the importer is not done with a message (it logged it)', async () => {
    const sink = fakeInboundSink('not-done');
    const { port } = await start(sink);
    const info = await transport(port).sendMail({
      envelope: { from: 'alice@example.test', to: ['help@acme.test'] },
      raw: rawMail('not done'),
    });
    expect(info.response).toMatch(/^250/);
    expect(sink.received).toHaveLength(1);
  });

  it('turns away connections over the limit', async () => {
    const { port } = await start(fakeInboundSink(), { maxClients: 1 });
    const first = await smtpDialogue(port);
    expect(first.greeting).toMatch(/^220/);
    const second = await smtpDialogue(port);
    expect(second.greeting).toMatch(/^421/);
    second.close();
    first.close();
  });

  it('fails to start when the port is taken', async () => {
    const { port } = await start(fakeInboundSink());
    await expect(
      startSmtpListener({
        host: '127.0.0.1',
        port,
        addresses: ['help@acme.test'],
        maxMessageBytes: MAX,
        sink: fakeInboundSink(),
        log: recordingLog(),
      }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
