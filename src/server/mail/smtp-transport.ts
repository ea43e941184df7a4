import nodemailer from 'nodemailer';
import type { MailSettingsRow } from './mail-settings.repo';

/*
 * nodemailer over IT's settings, and SMTP failures as a short code and a sentence an administrator can act
 * on (the settings screen's test message shows them; the outbox keeps them as its last error).
 */

export interface SmtpFailure {
  code: 'auth' | 'connection' | 'tls' | 'timeout' | 'rejected' | 'other';
  message: string;
}

/** A transport for the settings; short timeouts so a dead server never holds the job for minutes. */
export function smtpTransport(row: MailSettingsRow, timeoutMs = 20_000) {
  return nodemailer.createTransport({
    host: row.host,
    port: row.port,
    secure: row.tls_mode === 'tls',
    ignoreTLS: row.tls_mode === 'none',
    requireTLS: row.tls_mode === 'starttls',
    ...(row.username ? { auth: { user: row.username, pass: row.password } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs * 3,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}

/** What went wrong, from a nodemailer error. */
export function describeSmtpError(error: unknown, row: Pick<MailSettingsRow, 'host' | 'port'>): SmtpFailure {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const where = `${row.host}:${row.port}`;
  const detail = (e.response ?? e.message ?? String(error)).slice(0, 300);
  if (e.code === 'EAUTH' || e.responseCode === 535)
    return { code: 'auth', message: `The mail server refused the user name or password: ${detail}` };
  if (e.code === 'ESOCKET' && /ECONNREFUSED/.test(e.message ?? ''))
    return {
      code: 'connection',
      message: `Connection refused by ${where}: nothing accepts mail there (wrong host or port?)`,
    };
  if (e.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN/.test(e.message ?? ''))
    return { code: 'connection', message: `The host name ${row.host} could not be resolved` };
  if (e.code === 'ETLS' || /TLS|SSL|certificate|wrong version number/i.test(e.message ?? ''))
    return {
      code: 'tls',
      message: `TLS failed with ${where}: ${detail} (check the TLS mode: port 465 uses TLS, 587 STARTTLS)`,
    };
  if (e.code === 'ETIMEDOUT' || e.code === 'ECONNECTION')
    return { code: 'timeout', message: `No answer from ${where} in time: ${detail}` };
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE' || (e.responseCode ?? 0) >= 400)
    return { code: 'rejected', message: `The mail server rejected the message: ${detail}` };
  if (e.code === 'ESOCKET') return { code: 'connection', message: `Connection to ${where} failed: ${detail}` };
  return { code: 'other', message: detail };
}
