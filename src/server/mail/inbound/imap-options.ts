import type { ConnectionOptions } from 'node:tls';
import type { ImapFlowOptions } from 'imapflow';
import type { MailboxConfig } from './inbound';

/** Extra knobs for an IMAP connection that are not IT's settings (tests trust their own CA with `tls`). */
export interface ImapConnectExtras {
  /** Added to the TLS options (e.g. `{ ca }` for a server with a private certificate). */
  tls?: ConnectionOptions;
  /** Connect and greeting timeout (default 30 s). */
  timeoutMs?: number;
}

/**
 * imapflow's options for IT's mailbox settings: `tls` is TLS from the first byte, `starttls` must upgrade
 * (a server that does not offer STARTTLS is refused rather than sent the password in clear), `none` never
 * upgrades. imapflow's own logger is off: the transports log what matters themselves, without credentials.
 */
export function imapClientOptions(config: MailboxConfig['imap'], extras: ImapConnectExtras = {}): ImapFlowOptions {
  const timeoutMs = extras.timeoutMs ?? 30_000;
  return {
    host: config.host,
    port: config.port,
    secure: config.tls === 'tls',
    doSTARTTLS: config.tls === 'starttls' ? true : config.tls === 'none' ? false : undefined,
    auth: { user: config.user, pass: config.password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: timeoutMs,
    greetingTimeout: Math.min(timeoutMs, 16_000),
    clientInfo: { name: 'Deskside' },
    ...(extras.tls ? { tls: extras.tls } : {}),
  };
}

/** Where the settings point, for logs and messages (never the password). */
export function imapWhere(config: MailboxConfig['imap']): string {
  return `${config.host}:${config.port}`;
}
