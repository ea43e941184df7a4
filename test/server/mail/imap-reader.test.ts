import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxConfig } from '../../../src/server/mail/inbound/inbound';
import { startImapReader, type ImapReader, type ImapReaderOptions } from '../../../src/server/mail/inbound/imap-reader';
import { fakeInboundSink, recordingLog, type FakeInboundSink } from '../../fakes/inbound-sink.fake';
import { dovecotMissing, rawMail, startDovecot, type Dovecot } from './dovecot';
import { eventually } from './eventually';

/*
 * The IMAP reader against a real Dovecot started for the suite: messages are imported and marked \Seen only
 * when the (fake) importer is done with them; new mail arrives through IDLE, or by polling where the server
 * has no IDLE; a dropped server is reconnected to. Each test reads a folder of its own.
 */

const missing = dovecotMissing();
if (missing) console.warn(`Skipping the IMAP reader tests: ${missing}`);

describe.skipIf(missing !== null)('IMAP reader against Dovecot', () => {
  let dovecot: Dovecot;
  let noIdle: Dovecot;
  let reader: ImapReader | null = null;
  let folderCount = 0;

  beforeAll(async () => {
    [dovecot, noIdle] = await Promise.all([startDovecot({ tls: true }), startDovecot({ idle: false })]);
  });
  afterAll(async () => {
    await Promise.all([dovecot?.dispose(), noIdle?.dispose()]);
  });
  afterEach(async () => {
    await reader?.close();
    reader = null;
  });

  /** A folder of the test's own in `server`, and the reader's settings for it. */
  async function mailbox(server: Dovecot, tls: MailboxConfig['imap']['tls'] = 'none') {
    const folder = `Test${++folderCount}`;
    await server.createFolder(folder);
    const config: MailboxConfig['imap'] = {
      host: server.host,
      port: tls === 'tls' ? server.tlsPort : server.port,
      tls,
      user: server.user,
      password: server.password,
      folder,
    };
    return { folder, config };
  }

  function start(config: MailboxConfig['imap'], sink: FakeInboundSink, extra: Partial<ImapReaderOptions> = {}) {
    const log = recordingLog();
    reader = startImapReader({
      config,
      sink,
      log,
      reconnectMs: 200,
      retryMs: 300,
      tls: { ca: dovecot.cert },
      ...extra,
    });
    return { reader, log };
  }

  it('imports the unseen messages already there, marks them \\Seen, and leaves seen ones alone', async () => {
    const { folder, config } = await mailbox(dovecot);
    const a = await dovecot.deliver(rawMail('existing one'), folder);
    const b = await dovecot.deliver(rawMail('existing two'), folder);
    await dovecot.deliver(rawMail('already read'), folder, ['\\Seen']);
    const sink = fakeInboundSink();
    const { reader, log } = start(config, sink);
    await reader.idle();
    expect(sink.received.map((m) => m.source)).toEqual(['imap', 'imap']);
    expect(sink.matching('existing one')).toHaveLength(1);
    expect(sink.matching('existing two')).toHaveLength(1);
    expect(sink.matching('already read')).toHaveLength(0);
    expect(await dovecot.flagsOf(a, folder)).toContain('\\Seen');
    expect(await dovecot.flagsOf(b, folder)).toContain('\\Seen');
    expect(await dovecot.unseenCount(folder)).toBe(0);
    expect(reader.status()).toMatchObject({ connected: true, waitingWith: 'idle' });
    expect(log.text()).not.toContain(dovecot.password);
  });

  it('hands over the exact bytes of the message', async () => {
    const { folder, config } = await mailbox(dovecot);
    const raw = rawMail('exact bytes', 'Café ☕\r\n.dot line\r\n');
    await dovecot.deliver(raw, folder);
    const sink = fakeInboundSink();
    start(config, sink);
    await sink.waitFor((r) => r.length === 1);
    expect(sink.received[0]!.raw.equals(Buffer.from(raw))).toBe(true);
  });

  it('imports a message that arrives while it waits, through IDLE, within seconds', async () => {
    const { folder, config } = await mailbox(dovecot);
    const sink = fakeInboundSink();
    const { reader } = start(config, sink);
    await reader.idle();
    expect(reader.status().waitingWith).toBe('idle');
    const uid = await dovecot.deliver(rawMail('arrives later'), folder);
    const sent = Date.now();
    await sink.waitFor((r) => r.length === 1, 10_000, 'the new message');
    expect(Date.now() - sent).toBeLessThan(10_000);
    await eventually(async () => (await dovecot.flagsOf(uid, folder)).includes('\\Seen'), '\\Seen on the new message');
  });

  it('leaves a message the importer is not done with unseen, and tries it again later', async () => {
    const { folder, config } = await mailbox(dovecot);
    const sink = fakeInboundSink();
    sink.rules.push({ test: (raw) => raw.includes('flaky'), behaviour: 'not-done' });
    const flaky = await dovecot.deliver(rawMail('flaky'), folder);
    const fine = await dovecot.deliver(rawMail('fine'), folder);
    const { reader } = start(config, sink);
    await reader.idle();
    expect(await dovecot.flagsOf(flaky, folder)).not.toContain('\\Seen');
    expect(await dovecot.flagsOf(fine, folder)).toContain('\\Seen');
    // Tried again on a timer (300 ms, then 600, 1200…), not in a tight loop.
    await sink.waitFor((r) => r.filter((m) => m.raw.includes('flaky')).length >= 3, 15_000, 'three attempts');
    const attempts = sink.matching('flaky').length;
    expect(attempts).toBeLessThan(8);
    expect(await dovecot.flagsOf(flaky, folder)).not.toContain('\\Seen');
    sink.rules.length = 0;
    await sink.waitFor((r) => r.some((m) => m.raw.includes('flaky') && m.answered === 'done'), 15_000, 'success');
    await eventually(async () => (await dovecot.flagsOf(flaky, folder)).includes('\\Seen'), '\\Seen after success');
    expect(sink.matching('fine')).toHaveLength(1);
  });

  it('leaves a message unseen when the importer throws (database down), and imports it once it is back', async () => {
    const { folder, config } = await mailbox(dovecot);
    const sink = fakeInboundSink('throw');
    const uid = await dovecot.deliver(rawMail('db down'), folder);
    const { reader } = start(config, sink);
    await sink.waitFor((r) => r.length >= 1);
    await reader.idle();
    expect(await dovecot.flagsOf(uid, folder)).not.toContain('\\Seen');
    expect(reader.status().connected).toBe(true);
    sink.behaviour = 'done';
    await eventually(async () => (await dovecot.flagsOf(uid, folder)).includes('\\Seen'), '\\Seen once imported');
    expect(sink.received.map((m) => m.answered)).toContain('throw');
    expect(sink.received.at(-1)!.answered).toBe('done');
  });

  it('reconnects after the server went away and imports what was delivered meanwhile', async () => {
    const server = await startDovecot();
    try {
      const config: MailboxConfig['imap'] = {
        host: server.host,
        port: server.port,
        tls: 'none',
        user: server.user,
        password: server.password,
        folder: 'INBOX',
      };
      const sink = fakeInboundSink();
      const { reader, log } = start(config, sink);
      await reader.idle();
      await server.stop();
      await eventually(() => !reader.status().connected, 'the reader to notice the drop');
      await server.deliverToMaildir(rawMail('while down'));
      await server.start();
      await sink.waitFor((r) => r.length === 1, 20_000, 'the message delivered while down');
      await reader.idle();
      expect(await server.unseenCount()).toBe(0);
      expect(log.text()).toMatch(/connection lost/);
      // And it is listening again.
      await server.deliver(rawMail('after reconnect'));
      await sink.waitFor((r) => r.length === 2, 10_000, 'the message after reconnecting');
    } finally {
      await reader?.close();
      reader = null;
      await server.dispose();
    }
  });

  it('polls where the server offers no IDLE', async () => {
    const { folder, config } = await mailbox(noIdle);
    const sink = fakeInboundSink();
    const { reader } = start(config, sink, { pollMs: 500 });
    await reader.idle();
    expect(reader.status().waitingWith).toBe('poll');
    const uid = await noIdle.deliver(rawMail('polled'), folder);
    await sink.waitFor((r) => r.length === 1, 10_000, 'the polled message');
    await eventually(
      async () => (await noIdle.flagsOf(uid, folder)).includes('\\Seen'),
      '\\Seen on the polled message',
    );
  });

  it('polls when told not to use IDLE', async () => {
    const { folder, config } = await mailbox(dovecot);
    const sink = fakeInboundSink();
    const { reader } = start(config, sink, { pollMs: 500, useIdle: false });
    await reader.idle();
    expect(reader.status().waitingWith).toBe('poll');
    await dovecot.deliver(rawMail('polled without idle'), folder);
    await sink.waitFor((r) => r.length === 1, 10_000, 'the polled message');
  });

  it.each(['tls', 'starttls'] as const)('reads over %s', async (tls) => {
    const { folder, config } = await mailbox(dovecot, tls);
    await dovecot.deliver(rawMail(`over ${tls}`), folder);
    const sink = fakeInboundSink();
    const { reader } = start(config, sink);
    await reader.idle();
    expect(sink.matching(`over ${tls}`)).toHaveLength(1);
  });

  it('hands over a message over the size limit cut short, so the importer can refuse it', async () => {
    const { folder, config } = await mailbox(dovecot);
    await dovecot.deliver(rawMail('big one', `${'z'.repeat(78)}\r\n`.repeat(200)), folder);
    const sink = fakeInboundSink();
    const { reader } = start(config, sink, { maxMessageBytes: 4000 });
    await reader.idle();
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.raw.length).toBe(4001);
  });

  it('keeps retrying a wrong password with backoff, and never logs the password', async () => {
    const { folder, config } = await mailbox(dovecot);
    const sink = fakeInboundSink();
    const { reader, log } = start({ ...config, folder, password: 'wrong-password-xyz' }, sink);
    await eventually(() => reader.status().lastError !== undefined, 'a login error');
    expect(reader.status().connected).toBe(false);
    expect(reader.status().lastError).toMatch(/auth/i);
    expect(log.text()).not.toContain('wrong-password-xyz');
  });
});
