import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { selfSignedCert } from '../../helpers/self-signed';
import { freePort } from '../../helpers/server-process';

/*
 * A real Dovecot (Debian's dovecot-imapd) for the email-in tests: one instance per call, in a temp dir of its
 * own (base_dir, state, log, the mail user's maildir), listening on free ports of 127.0.0.1 only, one user
 * with a plain password in a passwd-file. Run in the foreground (-F) so the test owns the process: stop()
 * kills it and start() brings it back on the same ports with the same mail. Needs root (the mail processes
 * run as Debian's `dovecot` user, the login processes as `dovenull`).
 */

export const DOVECOT_BINARY = '/usr/sbin/dovecot';

/** Why the Dovecot tests cannot run here, or null when they can. */
export function dovecotMissing(): string | null {
  if (!existsSync(DOVECOT_BINARY)) return `${DOVECOT_BINARY} not found (apt-get install -y dovecot-imapd)`;
  if (process.getuid?.() !== 0) return 'Dovecot tests need root (the mail user is Debian’s dovecot user)';
  try {
    execFileSync('id', ['-u', 'dovecot']);
    execFileSync('id', ['-u', 'dovenull']);
  } catch {
    return 'the dovecot and dovenull users are missing (apt-get install -y dovecot-imapd)';
  }
  return null;
}

export interface DovecotOptions {
  /** Also a TLS port (self-signed certificate for 127.0.0.1) and STARTTLS on the plain port. */
  tls?: boolean;
  /** False: the server does not offer IDLE (its capability list leaves it out). */
  idle?: boolean;
}

export interface Dovecot {
  host: '127.0.0.1';
  /** The plain IMAP port (STARTTLS offered when started with `tls`). */
  port: number;
  /** The IMAPS port (TLS from the first byte); 0 without `tls`. */
  tlsPort: number;
  /** The self-signed certificate (PEM) clients have to trust for the TLS paths; '' without `tls`. */
  cert: string;
  user: string;
  password: string;
  /** Puts a message into the mailbox (APPEND, unseen unless flags say otherwise); returns its UID. */
  deliver(raw: string | Buffer, folder?: string, flags?: string[]): Promise<number>;
  /** Puts a message into INBOX's maildir `new/` directly, as a delivery agent would (works while stopped). */
  deliverToMaildir(raw: string | Buffer): Promise<void>;
  /** The flags of every message of the folder, by UID. */
  flags(folder?: string): Promise<Map<number, string[]>>;
  /** The flags of one message. */
  flagsOf(uid: number, folder?: string): Promise<string[]>;
  unseenCount(folder?: string): Promise<number>;
  createFolder(name: string): Promise<void>;
  /** Starts it again after stop(), same ports and mail. */
  start(): Promise<void>;
  /** Kills it (and with it every IMAP session). */
  stop(): Promise<void>;
  log(): Promise<string>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

export async function startDovecot(options: DovecotOptions = {}): Promise<Dovecot> {
  const missing = dovecotMissing();
  if (missing) throw new Error(missing);
  const dir = await mkdtemp(join(tmpdir(), 'deskside-dovecot-'));
  await chmod(dir, 0o755);
  const home = join(dir, 'home');
  for (const sub of ['run', 'state', 'home']) await mkdir(join(dir, sub));
  const uid = Number(execFileSync('id', ['-u', 'dovecot']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'dovecot']).toString().trim());
  await chown(home, uid, gid);
  const user = 'helpdesk';
  const password = 'S3cret-mailbox-pw';
  await writeFile(join(dir, 'users'), `${user}:{PLAIN}${password}\n`, { mode: 0o644 });
  const port = await freePort();
  const tlsPort = options.tls ? await freePort() : 0;
  let cert = '';
  if (options.tls) cert = (await selfSignedCert(dir)).cert;
  const config = [
    'protocols = imap',
    'listen = 127.0.0.1',
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `instance_name = deskside-${port}`,
    `log_path = ${dir}/dovecot.log`,
    `info_log_path = ${dir}/dovecot.log`,
    options.tls ? 'ssl = yes' : 'ssl = no',
    ...(options.tls ? [`ssl_cert = <${dir}/cert.pem`, `ssl_key = <${dir}/cert-key.pem`] : []),
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    // A failed login is answered at once (the default waits 2 s, the check test tries a wrong password).
    'auth_failure_delay = 0',
    'default_login_user = dovenull',
    'default_internal_user = dovecot',
    'default_internal_group = dovecot',
    `first_valid_uid = ${uid}`,
    `mail_location = maildir:${home}/Maildir`,
    'mailbox_idle_check_interval = 1 secs',
    ...(options.idle === false
      ? ['imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS NAMESPACE UNSELECT']
      : []),
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN username_format=%u ${dir}/users`,
    '}',
    'userdb {',
    '  driver = static',
    `  args = uid=${uid} gid=${gid} home=${home}`,
    '}',
    // No growing delay after failed logins from 127.0.0.1 (the tests try wrong passwords on purpose).
    'service anvil {',
    '  unix_listener anvil-auth-penalty {',
    '    mode = 0',
    '  }',
    '}',
    'service imap-login {',
    '  inet_listener imap {',
    '    address = 127.0.0.1',
    `    port = ${port}`,
    '  }',
    '  inet_listener imaps {',
    '    address = 127.0.0.1',
    `    port = ${tlsPort}`,
    ...(options.tls ? ['    ssl = yes'] : []),
    '  }',
    '}',
    '',
  ].join('\n');
  const configPath = join(dir, 'dovecot.conf');
  await writeFile(configPath, config);

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let running = false;
  let output = '';
  const start = async () => {
    if (running) return;
    // A process group of its own, so stop() reaches the login and mail processes too.
    const proc = spawn(DOVECOT_BINARY, ['-F', '-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child = proc;
    running = true;
    exited = new Promise((resolve) =>
      proc.once('exit', () => {
        running = false;
        resolve();
      }),
    );
    proc.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    proc.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (!running) throw new Error(`dovecot exited (${proc.exitCode}):\n${output}${await log()}`);
      if (await listening(port)) break;
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`dovecot did not listen on 127.0.0.1:${port}:\n${output}${await log()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const stop = async () => {
    const proc = child;
    if (!proc || !running) return;
    const group = (signal: NodeJS.Signals) => {
      try {
        process.kill(-proc.pid!, signal);
      } catch {
        // already gone
      }
    };
    // The whole group at once: the master alone waits seconds for its children to go.
    group('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    group('SIGKILL');
    await exited;
    // The sessions die with the master; wait until the port is really closed.
    const deadline = Date.now() + 5000;
    while ((await listening(port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  };
  const log = () => readFile(join(dir, 'dovecot.log'), 'utf8').catch(() => '');

  /** One short session of our own for the helpers. */
  const session = async <T>(work: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      doSTARTTLS: false,
      auth: { user, pass: password },
      logger: false,
      disableAutoIdle: true,
      ...(options.tls ? { tls: { ca: cert } } : {}),
    });
    client.on('error', () => {});
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };
  const flags = (folder = 'INBOX') =>
    session(async (client) => {
      await client.mailboxOpen(folder, { readOnly: true });
      const result = new Map<number, string[]>();
      const status = client.mailbox;
      if (status && status.exists > 0) {
        for await (const message of client.fetch('1:*', { uid: true, flags: true })) {
          result.set(message.uid, [...(message.flags ?? [])].filter((f) => f !== '\\Recent').sort());
        }
      }
      return result;
    });

  await start();
  return {
    host: '127.0.0.1',
    port,
    tlsPort,
    cert,
    user,
    password,
    deliver: (raw, folder = 'INBOX', flags = []) =>
      session(async (client) => {
        const appended = await client.append(folder, raw, flags);
        if (!appended || !appended.uid) throw new Error('APPEND gave no UID');
        return appended.uid;
      }),
    async deliverToMaildir(raw) {
      const maildir = join(home, 'Maildir');
      for (const sub of ['', 'new', 'cur', 'tmp']) {
        await mkdir(join(maildir, sub), { recursive: true });
        await chown(join(maildir, sub), uid, gid);
      }
      const name = `${Date.now()}.M${Math.floor(Math.random() * 1e6)}P${process.pid}.deskside-test`;
      await writeFile(join(maildir, 'tmp', name), raw);
      await chown(join(maildir, 'tmp', name), uid, gid);
      await rename(join(maildir, 'tmp', name), join(maildir, 'new', name));
    },
    flags,
    flagsOf: async (uid, folder) => (await flags(folder)).get(uid) ?? [],
    unseenCount: (folder = 'INBOX') =>
      session(async (client) => {
        const status = await client.status(folder, { unseen: true });
        return status ? (status.unseen ?? 0) : 0;
      }),
    createFolder: (name) =>
      session(async (client) => {
        await client.mailboxCreate(name);
      }),
    start,
    stop,
    log,
    async dispose() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** A message in RFC 5322 form with CRLF line ends. */
export function rawMail(subject: string, body = 'Hello, the printer is jammed again.'): string {
  return [
    'From: Alice Example <alice@example.test>',
    'To: help@acme.test',
    `Subject: ${subject}`,
    `Message-ID: <${subject.replace(/\W+/g, '-')}.${Date.now()}.${Math.random().toString(36).slice(2)}@example.test>`,
    'Date: Fri, 05 Dec 2025 09:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}
