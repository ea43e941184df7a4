import { createServer } from 'node:net';
import { ImapFlow } from 'imapflow';
import type { MailboxCheckResult, MailboxConfig } from './inbound';
import { errorText } from './inbound-log';
import { imapClientOptions, imapWhere, type ImapConnectExtras } from './imap-options';
import { loadListenerTls } from './listener-tls';

/*
 * The settings screen's "Test connection" for email in: for IMAP, connect, log in and open the folder,
 * and say what was found or what went wrong and where (connection, TLS, login, folder); for the SMTP
 * listener, whether its address and port can be bound and its STARTTLS files (if named) make a valid pair. Short timeouts: an administrator is waiting.
 */

export interface MailboxCheckOptions extends Pick<ImapConnectExtras, 'tls'> {
  /** The port Deskside's own SMTP listener is running on, if it is: that port counts as fine, not in use. */
  runningPort?: number;
  /** For the whole IMAP check (default and cap 10 s). */
  timeoutMs?: number;
}

type Failure = Extract<MailboxCheckResult, { ok: false }>;
const fail = (kind: Failure['kind'], message: string): Failure => ({ ok: false, kind, message });

const validPort = (port: number) => Number.isInteger(port) && port >= 1 && port <= 65_535;

/** Checks IT's mailbox settings against the real server (IMAP) or this machine (SMTP listener). */
export async function checkMailbox(config: MailboxConfig, opts: MailboxCheckOptions = {}): Promise<MailboxCheckResult> {
  switch (config.mode) {
    case 'off':
      return fail('config', 'Email in is off');
    case 'imap':
      return checkImap(config.imap, opts);
    case 'smtp':
      return checkSmtpBind(config.smtp, opts.runningPort);
    default: {
      const mode: never = config.mode;
      return fail('config', `Unknown mode ${String(mode)}`);
    }
  }
}

/** What is missing from the IMAP settings, or null. */
export function imapConfigProblem(config: MailboxConfig['imap']): string | null {
  if (!config.host.trim()) return 'The IMAP server is not set';
  if (!validPort(config.port)) return `${config.port} is not a port number (993 for TLS, 143 otherwise)`;
  if (!config.user.trim()) return 'The IMAP user name is not set';
  if (!config.password) return 'The IMAP password is not set';
  if (!config.folder.trim()) return 'The folder to read is not set (usually INBOX)';
  return null;
}

async function checkImap(config: MailboxConfig['imap'], opts: MailboxCheckOptions): Promise<MailboxCheckResult> {
  const problem = imapConfigProblem(config);
  if (problem) return fail('config', problem);
  const timeoutMs = Math.min(opts.timeoutMs ?? 10_000, 10_000);
  const client = new ImapFlow({
    ...imapClientOptions(config, { timeoutMs, ...(opts.tls ? { tls: opts.tls } : {}) }),
    socketTimeout: timeoutMs,
  });
  client.on('error', () => {}); // the failure is the result; a late socket error must not crash the server
  let stage: 'connect' | 'folder' = 'connect';
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`No answer in ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
  });
  try {
    const result = await Promise.race([
      (async () => {
        await client.connect();
        stage = 'folder';
        const status = await client.status(config.folder, { messages: true, unseen: true });
        if (!status) throw new Error(`The folder ${config.folder} could not be read`);
        await client.mailboxOpen(config.folder, { readOnly: true });
        return status;
      })(),
      deadline,
    ]);
    return {
      ok: true,
      detail: `Logged in to ${imapWhere(config)}, ${config.folder} has ${result.messages ?? 0} messages (${result.unseen ?? 0} unread)`,
    };
  } catch (error) {
    return describeImapError(error, config, stage);
  } finally {
    clearTimeout(timer);
    client.logout().catch(() => client.close());
  }
}

/** What went wrong, from an imapflow or socket error, in a sentence an administrator can act on. */
export function describeImapError(
  error: unknown,
  config: MailboxConfig['imap'],
  stage: 'connect' | 'folder',
): MailboxCheckResult {
  const e = error as {
    code?: string;
    message?: string;
    responseText?: string;
    authenticationFailed?: boolean;
    serverResponseCode?: string;
    responseStatus?: string;
  };
  const where = imapWhere(config);
  const code = e.code ?? '';
  const text = (e.responseText ?? e.message ?? String(error)).replace(/\s+/g, ' ').trim().slice(0, 200);
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED')
    return fail('auth', `${where} refused the user name or password: ${text}`);
  if (
    /^ERR_SSL|^ERR_TLS|CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ECONNRESET_TLS/.test(code) ||
    /STARTTLS|TLS|SSL/.test(text)
  ) {
    const hint =
      config.tls === 'tls'
        ? ' (TLS from the first byte is usually port 993; on 143 choose STARTTLS)'
        : config.tls === 'starttls'
          ? ' (does the server offer STARTTLS on this port?)'
          : '';
    return fail('tls', `TLS failed with ${where}: ${errorText(error)}${hint}`);
  }
  const refused = e.responseStatus === 'NO' || e.responseStatus === 'BAD' || code === 'NotFound' || !code;
  if (stage === 'folder' && refused)
    return fail('folder', `Logged in to ${where}, but the folder ${config.folder} could not be opened: ${text}`);
  if (code === 'ECONNREFUSED')
    return fail('connection', `Connection refused by ${where}: nothing accepts IMAP there (wrong host or port?)`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return fail('connection', `The host name ${config.host} could not be resolved`);
  if (/TIMEOUT|ETIMEDOUT/i.test(code)) return fail('connection', `No answer from ${where} in time: ${text}`);
  return fail('connection', `Could not talk to ${where}: ${errorText(error)}`);
}

/** What is missing from the SMTP listener's settings, or null. */
export function smtpConfigProblem(config: MailboxConfig['smtp']): string | null {
  if (!config.host.trim()) return 'The address to listen on is not set (127.0.0.1 for this machine)';
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65_535)
    return `${config.port} is not a port number (25 or 2525, say)`;
  if (config.addresses.length === 0) return 'No help desk address to accept mail for is set';
  return null;
}

/** Whether the SMTP listener's address can be bound (or is bound by our own listener already). */
async function checkSmtpBind(config: MailboxConfig['smtp'], runningPort?: number): Promise<MailboxCheckResult> {
  const problem = smtpConfigProblem(config);
  if (problem) return fail('config', problem);
  if (!validPort(config.port)) return fail('config', `${config.port} is not a port number (25 or 2525, say)`);
  const where = `${config.host}:${config.port}`;
  let starttls = '';
  try {
    const tls = await loadListenerTls(config);
    if (tls) {
      const until = tls.validTo.toISOString().slice(0, 10);
      if (tls.validTo.getTime() < Date.now())
        return fail('tls', `The certificate for ${tls.subject} expired on ${until}`);
      starttls = `, with STARTTLS (certificate for ${tls.subject}, valid until ${until})`;
    }
  } catch (error) {
    return fail('tls', errorText(error));
  }
  if (runningPort === config.port) return { ok: true, detail: `Deskside is listening for mail on ${where}${starttls}` };
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: config.host, port: config.port, exclusive: true }, () => resolve());
    });
    return { ok: true, detail: `${where} is free: Deskside can listen for mail there${starttls}` };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') return fail('bind', `${where} is in use by another program`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      return fail('bind', `${config.host} is not an address of this machine`);
    if (code === 'EACCES')
      return fail('bind', `Port ${config.port} needs privileges the server does not have (use a port above 1023)`);
    return fail('bind', `Cannot listen on ${where}: ${errorText(error)}`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
