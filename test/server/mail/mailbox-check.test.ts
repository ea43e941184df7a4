import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxConfig } from '../../../src/server/mail/inbound/inbound';
import { checkMailbox } from '../../../src/server/mail/inbound/mailbox-check';
import { freePort } from '../../helpers/server-process';
import { selfSignedCert } from '../../helpers/self-signed';
import { dovecotMissing, rawMail, startDovecot, type Dovecot } from './dovecot';

/* "Test connection" for email in: against a real Dovecot for IMAP, and real sockets for the SMTP listener. */

const missing = dovecotMissing();
if (missing) console.warn(`Skipping the IMAP mailbox check tests: ${missing}`);

const base = (): MailboxConfig => ({
  mode: 'off',
  imap: { host: '127.0.0.1', port: 143, tls: 'none', user: 'u', password: 'p', folder: 'INBOX' },
  smtp: { host: '127.0.0.1', port: 2525, addresses: ['help@acme.test'], tlsCertFile: '', tlsKeyFile: '' },
  unknownSenders: 'accept',
  maxMessageBytes: 10_000_000,
});

describe.skipIf(missing !== null)('mailbox check (IMAP, Dovecot)', () => {
  let dovecot: Dovecot;
  const imap = (patch: Partial<MailboxConfig['imap']> = {}): MailboxConfig => ({
    ...base(),
    mode: 'imap',
    imap: {
      host: dovecot.host,
      port: dovecot.port,
      tls: 'none',
      user: dovecot.user,
      password: dovecot.password,
      folder: 'INBOX',
      ...patch,
    },
  });

  beforeAll(async () => {
    dovecot = await startDovecot({ tls: true });
    await dovecot.deliver(rawMail('one'));
    await dovecot.deliver(rawMail('two'));
    await dovecot.deliver(rawMail('three'), 'INBOX', ['\\Seen']);
  });
  afterAll(() => dovecot?.dispose());

  it('logs in and counts the messages', async () => {
    expect(await checkMailbox(imap())).toEqual({
      ok: true,
      detail: `Logged in to 127.0.0.1:${dovecot.port}, INBOX has 3 messages (2 unread)`,
    });
  });

  it.each(['tls', 'starttls'] as const)('logs in over %s', async (tls) => {
    const config = imap({ tls, port: tls === 'tls' ? dovecot.tlsPort : dovecot.port });
    expect(await checkMailbox(config, { tls: { ca: dovecot.cert } })).toMatchObject({ ok: true });
  });

  it('says the login was refused on a wrong password', async () => {
    const result = await checkMailbox(imap({ password: 'not-the-password' }));
    expect(result).toMatchObject({ ok: false, kind: 'auth' });
    expect(JSON.stringify(result)).not.toContain('not-the-password');
  });

  it('says the folder is missing', async () => {
    expect(await checkMailbox(imap({ folder: 'NoSuchFolder' }))).toMatchObject({
      ok: false,
      kind: 'folder',
      message: expect.stringContaining('NoSuchFolder'),
    });
  });

  it('says TLS failed on an untrusted certificate, or TLS spoken to a plain port', async () => {
    expect(await checkMailbox(imap({ tls: 'tls', port: dovecot.tlsPort }))).toMatchObject({ ok: false, kind: 'tls' });
    expect(await checkMailbox(imap({ tls: 'tls', port: dovecot.port }))).toMatchObject({ ok: false, kind: 'tls' });
  });

  it('says the connection was refused on a closed port', async () => {
    const port = await freePort();
    expect(await checkMailbox(imap({ port }))).toMatchObject({ ok: false, kind: 'connection' });
  });

  it('gives up within its timeout on a server that never greets', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    const result = await checkMailbox(imap({ port }), { timeoutMs: 1500 });
    expect(result).toMatchObject({ ok: false, kind: 'connection' });
    expect(Date.now() - started).toBeLessThan(5000);
    silent.close();
  });
});

describe('mailbox check (configuration, SMTP listener)', () => {
  it('refuses incomplete settings', async () => {
    expect(await checkMailbox(base())).toEqual({ ok: false, kind: 'config', message: 'Email in is off' });
    const imap = (patch: Partial<MailboxConfig['imap']>) => ({
      ...base(),
      mode: 'imap' as const,
      imap: { ...base().imap, ...patch },
    });
    expect(await checkMailbox(imap({ host: ' ' }))).toMatchObject({ ok: false, kind: 'config' });
    expect(await checkMailbox(imap({ port: 0 }))).toMatchObject({ ok: false, kind: 'config' });
    expect(await checkMailbox(imap({ folder: '' }))).toMatchObject({ ok: false, kind: 'config' });
    const smtp = { ...base(), mode: 'smtp' as const };
    expect(await checkMailbox({ ...smtp, smtp: { ...smtp.smtp, addresses: [] } })).toMatchObject({ kind: 'config' });
    expect(await checkMailbox({ ...smtp, smtp: { ...smtp.smtp, port: 70_000 } })).toMatchObject({ kind: 'config' });
  });

  it('says a free port can be listened on, a taken one cannot, and our own listener is fine', async () => {
    const port = await freePort();
    const config: MailboxConfig = { ...base(), mode: 'smtp', smtp: { ...base().smtp, port } };
    expect(await checkMailbox(config)).toMatchObject({ ok: true, detail: expect.stringContaining('is free') });
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      expect(await checkMailbox(config)).toMatchObject({
        ok: false,
        kind: 'bind',
        message: expect.stringContaining('in use'),
      });
      expect(await checkMailbox(config, { runningPort: port })).toMatchObject({ ok: true });
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('says an address that is not this machine’s cannot be listened on', async () => {
    const config: MailboxConfig = { ...base(), mode: 'smtp', smtp: { ...base().smtp, host: '192.0.2.1', port: 2525 } };
    expect(await checkMailbox(config)).toMatchObject({ ok: false, kind: 'bind' });
  });

  it('checks the STARTTLS files: a usable pair is named with its expiry; a missing file or a foreign key is a TLS problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deskside-listener-tls-'));
    try {
      const one = await selfSignedCert(dir, 'one');
      const two = await selfSignedCert(dir, 'two');
      const port = await freePort();
      const smtp = (files: { tlsCertFile: string; tlsKeyFile: string }): MailboxConfig => ({
        ...base(),
        mode: 'smtp',
        smtp: { ...base().smtp, port, ...files },
      });
      const ok = await checkMailbox(smtp({ tlsCertFile: one.certFile, tlsKeyFile: one.keyFile }));
      expect(ok).toMatchObject({
        ok: true,
        detail: expect.stringMatching(
          /is free.*with STARTTLS \(certificate for 127\.0\.0\.1, valid until \d{4}-\d\d-\d\d\)/,
        ),
      });
      expect(await checkMailbox(smtp({ tlsCertFile: one.certFile, tlsKeyFile: two.keyFile }))).toMatchObject({
        ok: false,
        kind: 'tls',
        message: expect.stringContaining('does not go with the certificate'),
      });
      expect(await checkMailbox(smtp({ tlsCertFile: join(dir, 'gone.pem'), tlsKeyFile: one.keyFile }))).toMatchObject({
        ok: false,
        kind: 'tls',
        message: expect.stringContaining(`Cannot read the TLS certificate file ${join(dir, 'gone.pem')}`),
      });
      expect(await checkMailbox(smtp({ tlsCertFile: one.keyFile, tlsKeyFile: one.keyFile }))).toMatchObject({
        ok: false,
        kind: 'tls',
        message: expect.stringContaining('is not a PEM certificate'),
      });
      expect(await checkMailbox(smtp({ tlsCertFile: one.certFile, tlsKeyFile: '' }))).toMatchObject({
        ok: false,
        kind: 'tls',
        message: 'STARTTLS needs both the certificate file and its key',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
