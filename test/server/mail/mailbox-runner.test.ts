import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import type { MailboxConfig } from '../../../src/server/mail/inbound/inbound';
import { startMailboxRunner, type MailboxRunner } from '../../../src/server/mail/inbound/mailbox-runner';
import { selfSignedCert } from '../../helpers/self-signed';
import { freePort } from '../../helpers/server-process';
import { fakeInboundSink, recordingLog, type FakeInboundSink } from '../../fakes/inbound-sink.fake';
import { dovecotMissing, rawMail, startDovecot, type Dovecot } from './dovecot';
import { eventually } from './eventually';

/*
 * The runner follows IT's settings as they change (read back every 100 ms here): off → SMTP listener →
 * IMAP reader → off, a changed port restarts the listener, a port in use is reported and retried.
 */

const missing = dovecotMissing();
if (missing) console.warn(`Skipping the mailbox runner tests: ${missing}`);

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

const send = (port: number, subject: string) =>
  nodemailer
    .createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 10_000 })
    .sendMail({ envelope: { from: 'alice@example.test', to: ['help@acme.test'] }, raw: rawMail(subject) });

describe.skipIf(missing !== null)('mailbox runner', () => {
  let dovecot: Dovecot;
  let runner: MailboxRunner | null = null;
  let config: MailboxConfig;
  let sink: FakeInboundSink;
  let loadFails = false;

  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(() => dovecot?.dispose());
  afterEach(async () => {
    await runner?.close();
    runner = null;
  });

  function start() {
    sink = fakeInboundSink();
    runner = startMailboxRunner({
      load: async () => {
        if (loadFails) throw new Error('database is down');
        return structuredClone(config);
      },
      sink,
      log: recordingLog(),
      checkEveryMs: 100,
      imap: { reconnectMs: 200, retryMs: 300 },
    });
    return runner;
  }

  const offConfig = (): MailboxConfig => ({
    mode: 'off',
    imap: {
      host: dovecot.host,
      port: dovecot.port,
      tls: 'none',
      user: dovecot.user,
      password: dovecot.password,
      folder: 'INBOX',
    },
    smtp: { host: '127.0.0.1', port: 0, addresses: ['help@acme.test'], tlsCertFile: '', tlsKeyFile: '' },
    unknownSenders: 'accept',
    maxMessageBytes: 1_000_000,
  });

  it('starts and stops the transport the settings name: off → smtp → imap → off', async () => {
    config = offConfig();
    const r = start();
    await r.check();
    expect(r.current()).toEqual({ mode: 'off', running: false });

    config.mode = 'smtp';
    await eventually(() => r.current().running, 'the SMTP listener');
    const smtpPort = r.current().port!;
    expect(r.current()).toMatchObject({ mode: 'smtp', running: true });
    await send(smtpPort, 'over smtp');
    expect(sink.matching('over smtp')).toHaveLength(1);

    await dovecot.deliver(rawMail('over imap'));
    config.mode = 'imap';
    await eventually(() => r.current().mode === 'imap' && r.current().running, 'the IMAP reader');
    expect(await listening(smtpPort)).toBe(false);
    expect(r.current().port).toBeUndefined();
    await sink.waitFor((m) => m.some((x) => x.raw.includes('over imap')), 15_000, 'the IMAP message');
    await eventually(async () => (await dovecot.unseenCount()) === 0, 'the message marked read');

    config.mode = 'off';
    await eventually(() => r.current().mode === 'off', 'off');
    expect(r.current()).toEqual({ mode: 'off', running: false });
    await dovecot.deliver(rawMail('while off'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(sink.matching('while off')).toHaveLength(0);
    expect(await dovecot.unseenCount()).toBe(1);
  });

  it('restarts the listener on a changed port, and not when nothing changed', async () => {
    config = {
      ...offConfig(),
      mode: 'smtp',
      smtp: {
        host: '127.0.0.1',
        port: await freePort(),
        addresses: ['help@acme.test'],
        tlsCertFile: '',
        tlsKeyFile: '',
      },
    };
    const r = start();
    await eventually(() => r.current().running, 'the SMTP listener');
    const first = r.current().port!;
    expect(first).toBe(config.smtp.port);
    // Same settings, new object, keys in another order: no restart.
    config = {
      ...config,
      smtp: { tlsKeyFile: '', addresses: ['help@acme.test'], port: first, host: '127.0.0.1', tlsCertFile: '' },
    };
    await r.check();
    expect(r.current().port).toBe(first);
    const second = await freePort();
    config.smtp.port = second;
    await eventually(() => r.current().port === second, 'the listener on the new port');
    expect(await listening(first)).toBe(false);
    await send(second, 'on the new port');
    expect(sink.matching('on the new port')).toHaveLength(1);
  });

  it('offers STARTTLS with the certificate IT names, and serves a renewed one without being told', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deskside-runner-tls-'));
    try {
      const first = await selfSignedCert(dir, 'first');
      const port = await freePort();
      config = {
        ...offConfig(),
        mode: 'smtp',
        smtp: {
          host: '127.0.0.1',
          port,
          addresses: ['help@acme.test'],
          tlsCertFile: first.certFile,
          tlsKeyFile: first.keyFile,
        },
      };
      const r = start();
      await eventually(() => r.current().running, 'the SMTP listener');
      // A client that insists on TLS and trusts only this certificate delivers.
      const sendTls = (ca: string, subject: string) =>
        nodemailer
          .createTransport({
            host: '127.0.0.1',
            port,
            secure: false,
            requireTLS: true,
            tls: { ca },
            connectionTimeout: 10_000,
          })
          .sendMail({ envelope: { from: 'alice@example.test', to: ['help@acme.test'] }, raw: rawMail(subject) });
      await sendTls(first.cert, 'over starttls');
      expect(sink.matching('over starttls')).toHaveLength(1);

      // The files are renewed in place (certbot's way): the listener restarts with the new pair.
      const renewed = await selfSignedCert(dir, 'renewed');
      await copyFile(renewed.keyFile, first.keyFile);
      await copyFile(renewed.certFile, first.certFile);
      await eventually(async () => {
        try {
          await sendTls(renewed.cert, 'after renewal');
          return true;
        } catch {
          return false;
        }
      }, 'the renewed certificate served');
      expect(sink.matching('after renewal')).toHaveLength(1);
      await expect(sendTls(first.cert, 'old trust')).rejects.toThrow(/certificate/i);

      // A key that does not go with the certificate: reported, nothing listens.
      await copyFile((await selfSignedCert(dir, 'other')).keyFile, first.keyFile);
      await eventually(() => /does not go with the certificate/.test(r.current().lastError ?? ''), 'the TLS error');
      expect(await listening(port)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a port in use, and starts once it is free', async () => {
    const port = await freePort();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    config = {
      ...offConfig(),
      mode: 'smtp',
      smtp: { host: '127.0.0.1', port, addresses: ['help@acme.test'], tlsCertFile: '', tlsKeyFile: '' },
    };
    const r = start();
    await eventually(() => /EADDRINUSE/.test(r.current().lastError ?? ''), 'the bind error');
    expect(r.current()).toMatchObject({ mode: 'smtp', running: false });
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
    await eventually(() => r.current().running, 'the listener once the port is free');
    expect(r.current().lastError).toBeUndefined();
  });

  it('reports a wrong IMAP password and incomplete settings', async () => {
    config = { ...offConfig(), mode: 'imap' };
    config.imap.password = 'wrong-password';
    const r = start();
    await eventually(() => r.current().lastError !== undefined, 'the login error');
    expect(r.current()).toMatchObject({ mode: 'imap', running: false, lastError: expect.stringMatching(/auth/i) });
    config.imap.host = '';
    await eventually(() => /not set/.test(r.current().lastError ?? ''), 'the settings error');
    config.imap.host = dovecot.host;
    config.imap.password = dovecot.password;
    await eventually(() => r.current().running, 'the reader with the right password');
  });

  it('keeps the transport running when the settings cannot be read', async () => {
    config = { ...offConfig(), mode: 'smtp' };
    const r = start();
    await eventually(() => r.current().running, 'the SMTP listener');
    const port = r.current().port!;
    loadFails = true;
    await eventually(() => r.current().lastError !== undefined, 'the load error');
    expect(r.current()).toMatchObject({ running: true, port, lastError: expect.stringContaining('database is down') });
    loadFails = false;
    await eventually(() => r.current().lastError === undefined, 'the error to clear');
    expect(r.current().port).toBe(port);
  });

  it('stops everything on close', async () => {
    config = { ...offConfig(), mode: 'smtp' };
    const r = start();
    await eventually(() => r.current().running, 'the SMTP listener');
    const port = r.current().port!;
    await r.close();
    runner = null;
    expect(await listening(port)).toBe(false);
  });
});
