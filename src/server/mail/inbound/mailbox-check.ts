import type { MailboxCheckResult, MailboxConfig } from './inbound';

/*
 * PLACEHOLDER (settings branch): the real check — log in to the IMAP mailbox and open its folder, or bind the
 * SMTP listener's address — is written with the transports and replaces this file at merge.
 */

/** Checks that the mailbox (or the listener's address) works with `config`; never throws. */
export async function checkMailbox(config: MailboxConfig): Promise<MailboxCheckResult> {
  void config;
  return { ok: false, kind: 'config', message: 'Mailbox check not available' };
}
