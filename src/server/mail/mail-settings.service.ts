import { randomBytes } from 'node:crypto';
import type { MailSettingsDto, PutMailSettingsRequest } from '../../shared/api/mail';
import type { ServerContext } from '../context';
import type { MailIdentity } from './outgoing-mail';
import { mailDb } from './mail-db';
import { insertMailSettings, selectMailSettings, updateMailSettings, type MailSettingsRow } from './mail-settings.repo';

/*
 * IT's SMTP settings, stored server-side in one row. The password is write-only: the API says whether one
 * is set and never returns it (nor does the audit log). The row also keeps the secret that signs the links
 * in mail to employees, made at first use.
 */

/** The settings row, created with defaults (and a fresh link secret) on first read. */
export async function mailSettingsRow(ctx: ServerContext): Promise<MailSettingsRow> {
  const db = mailDb(ctx.db);
  const row = await selectMailSettings(db);
  if (row) return row;
  await insertMailSettings(db, randomBytes(32).toString('base64url'), ctx.now());
  return (await selectMailSettings(db))!;
}

/** Whether mail can be sent at all. */
export function isConfigured(row: MailSettingsRow): boolean {
  return row.host !== '' && row.from_address !== '';
}

export function toMailSettingsDto(row: MailSettingsRow): MailSettingsDto {
  return {
    host: row.host,
    port: row.port,
    tlsMode: row.tls_mode,
    username: row.username,
    passwordSet: row.password !== '',
    fromName: row.from_name,
    fromAddress: row.from_address,
    publicUrl: row.public_url,
    replyDelayMinutes: row.reply_delay_minutes,
    configured: isConfigured(row),
  };
}

/** Saves the settings; an omitted password keeps the stored one. */
export async function putMailSettings(ctx: ServerContext, body: PutMailSettingsRequest): Promise<MailSettingsDto> {
  await mailSettingsRow(ctx);
  await updateMailSettings(mailDb(ctx.db), {
    host: body.host,
    port: body.port,
    tls_mode: body.tlsMode,
    username: body.username,
    ...(body.password !== undefined ? { password: body.password } : {}),
    from_name: body.fromName,
    from_address: body.fromAddress,
    public_url: body.publicUrl.replace(/\/+$/, ''),
    reply_delay_minutes: body.replyDelayMinutes,
    updated_at: ctx.now(),
  });
  return toMailSettingsDto(await mailSettingsRow(ctx));
}

/** Where links in mail point: IT's public URL, else the address the server listens on. */
export function publicBase(ctx: ServerContext, row: MailSettingsRow): string {
  if (row.public_url) return row.public_url;
  const scheme = ctx.config.tlsCert ? 'https' : 'http';
  return `${scheme}://${ctx.config.host}:${ctx.config.port}`;
}

/** The help desk's mail identity from the settings (the seam the inbound side reads too). */
export function mailIdentity(ctx: ServerContext): MailIdentity {
  return {
    async address() {
      const row = await mailSettingsRow(ctx);
      return row.from_address || null;
    },
    async domain() {
      const row = await mailSettingsRow(ctx);
      const fromDomain = row.from_address.split('@')[1];
      if (fromDomain) return fromDomain.toLowerCase();
      try {
        return new URL(publicBase(ctx, row)).hostname;
      } catch {
        return 'deskside.invalid';
      }
    },
  };
}
