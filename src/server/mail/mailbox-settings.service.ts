import type { MailboxSettingsDto, PutMailboxRequest, TestMailboxRequest } from '../../shared/api/mailbox';
import { audit } from '../audit/audit.service';
import type { ServerContext } from '../context';
import type { MailboxConfig } from './inbound/inbound';
import { mailDb } from './mail-db';
import { mailSettingsRow } from './mail-settings.service';
import { insertMailbox, selectMailbox, updateMailbox, type MailboxRow } from './mailbox-settings.repo';

/*
 * Email in: IT's choice of how mail reaches the help desk, stored server-side in one row (made with the
 * migration's defaults at first read). The IMAP password is write-only: the API says whether one is set and
 * never returns it, nor does the audit log. The transports read the row as a MailboxConfig.
 */

/** The settings row, created with defaults on first read. */
export async function mailboxRow(ctx: ServerContext): Promise<MailboxRow> {
  const db = mailDb(ctx.db);
  const row = await selectMailbox(db);
  if (row) return row;
  await insertMailbox(db, ctx.now());
  return (await selectMailbox(db))!;
}

/** The stored addresses, as IT wrote them (a comma-separated column). */
const addressesOf = (row: MailboxRow): string[] => row.addresses.split(',').filter((a) => a !== '');

/** Trimmed, without repeats (compared without case), in IT's order. */
function tidyAddresses(addresses: readonly string[]): string[] {
  const seen = new Set<string>();
  return addresses
    .map((a) => a.trim())
    .filter((a) => {
      const key = a.toLowerCase();
      if (a === '' || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

export function toMailboxDto(row: MailboxRow, fromAddress: string): MailboxSettingsDto {
  return {
    mode: row.mode,
    imapHost: row.imap_host,
    imapPort: row.imap_port,
    imapTls: row.imap_tls,
    imapUser: row.imap_user,
    imapPasswordSet: row.imap_password !== '',
    imapFolder: row.imap_folder,
    smtpHost: row.smtp_host,
    smtpPort: row.smtp_port,
    smtpTlsCertFile: row.smtp_tls_cert_file,
    smtpTlsKeyFile: row.smtp_tls_key_file,
    addresses: addressesOf(row),
    fromAddress,
    unknownSenders: row.unknown_senders,
    maxMessageBytes: Number(row.max_message_bytes),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

/** GET: the settings as the console shows them. */
export async function getMailbox(ctx: ServerContext): Promise<MailboxSettingsDto> {
  const [row, mail] = await Promise.all([mailboxRow(ctx), mailSettingsRow(ctx)]);
  return toMailboxDto(row, mail.from_address);
}

/** What the person saving is, for the audit log. */
export interface Actor {
  staffId: number;
  ip: string;
}

/** PUT: saves the settings (an omitted password keeps the stored one) and records who changed what. */
export async function putMailbox(
  ctx: ServerContext,
  body: PutMailboxRequest,
  actor: Actor,
): Promise<MailboxSettingsDto> {
  const before = toMailboxDto(await mailboxRow(ctx), '');
  const { imapPassword, ...given } = body;
  const fields = { ...given, smtpTlsCertFile: given.smtpTlsCertFile ?? '', smtpTlsKeyFile: given.smtpTlsKeyFile ?? '' };
  const addresses = tidyAddresses(fields.addresses);
  await updateMailbox(mailDb(ctx.db), {
    mode: fields.mode,
    imap_host: fields.imapHost,
    imap_port: fields.imapPort,
    imap_tls: fields.imapTls,
    imap_user: fields.imapUser,
    ...(imapPassword !== undefined ? { imap_password: imapPassword } : {}),
    imap_folder: fields.imapFolder,
    smtp_host: fields.smtpHost,
    smtp_port: fields.smtpPort,
    smtp_tls_cert_file: fields.smtpTlsCertFile,
    smtp_tls_key_file: fields.smtpTlsKeyFile,
    addresses: addresses.join(','),
    unknown_senders: fields.unknownSenders,
    max_message_bytes: fields.maxMessageBytes,
    updated_at: ctx.now(),
  });
  const after = { ...fields, addresses };
  const changed = (Object.keys(after) as (keyof typeof after)[]).filter(
    (key) => JSON.stringify(after[key]) !== JSON.stringify(before[key]),
  );
  await audit(ctx, {
    actorType: 'staff',
    actorId: actor.staffId,
    action: 'settings.mailbox.update',
    targetType: 'settings',
    targetId: 'mailbox',
    // Never the password itself: only whether it was sent (replaced or cleared).
    details: { ...after, changed, passwordChanged: imapPassword !== undefined },
    ip: actor.ip,
  });
  return getMailbox(ctx);
}

/** The row as the transports need it; with no addresses of its own, the listener takes the From address. */
export function mailboxConfigOf(row: MailboxRow, fromAddress: string): MailboxConfig {
  const own = addressesOf(row);
  const addresses = (own.length > 0 ? own : [fromAddress]).filter((a) => a !== '').map((a) => a.toLowerCase());
  return {
    mode: row.mode,
    imap: {
      host: row.imap_host,
      port: row.imap_port,
      tls: row.imap_tls,
      user: row.imap_user,
      password: row.imap_password,
      folder: row.imap_folder,
    },
    smtp: {
      host: row.smtp_host,
      port: row.smtp_port,
      addresses: [...new Set(addresses)],
      tlsCertFile: row.smtp_tls_cert_file,
      tlsKeyFile: row.smtp_tls_key_file,
    },
    unknownSenders: row.unknown_senders,
    maxMessageBytes: Number(row.max_message_bytes),
  };
}

/** The saved settings as a MailboxConfig (what the IMAP reader and the SMTP listener run with). */
export async function loadMailboxConfig(ctx: ServerContext): Promise<MailboxConfig> {
  const [row, mail] = await Promise.all([mailboxRow(ctx), mailSettingsRow(ctx)]);
  return mailboxConfigOf(row, mail.from_address);
}

/**
 * The saved settings with the form's unsaved values laid over them, for "Test connection" before saving.
 * An omitted field (the password, typically) is the saved one.
 */
export async function mailboxConfigWith(ctx: ServerContext, form: TestMailboxRequest): Promise<MailboxConfig> {
  const [row, mail] = await Promise.all([mailboxRow(ctx), mailSettingsRow(ctx)]);
  const merged: MailboxRow = {
    ...row,
    ...(form.mode !== undefined ? { mode: form.mode } : {}),
    ...(form.imapHost !== undefined ? { imap_host: form.imapHost } : {}),
    ...(form.imapPort !== undefined ? { imap_port: form.imapPort } : {}),
    ...(form.imapTls !== undefined ? { imap_tls: form.imapTls } : {}),
    ...(form.imapUser !== undefined ? { imap_user: form.imapUser } : {}),
    ...(form.imapPassword !== undefined ? { imap_password: form.imapPassword } : {}),
    ...(form.imapFolder !== undefined ? { imap_folder: form.imapFolder } : {}),
    ...(form.smtpHost !== undefined ? { smtp_host: form.smtpHost } : {}),
    ...(form.smtpPort !== undefined ? { smtp_port: form.smtpPort } : {}),
    ...(form.smtpTlsCertFile !== undefined ? { smtp_tls_cert_file: form.smtpTlsCertFile } : {}),
    ...(form.smtpTlsKeyFile !== undefined ? { smtp_tls_key_file: form.smtpTlsKeyFile } : {}),
    ...(form.addresses !== undefined ? { addresses: tidyAddresses(form.addresses).join(',') } : {}),
    ...(form.unknownSenders !== undefined ? { unknown_senders: form.unknownSenders } : {}),
    ...(form.maxMessageBytes !== undefined ? { max_message_bytes: form.maxMessageBytes } : {}),
  };
  return mailboxConfigOf(merged, mail.from_address);
}
