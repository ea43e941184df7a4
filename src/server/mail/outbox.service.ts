import { randomBytes } from 'node:crypto';
import type { OutboxMailDto } from '../../shared/api/mail';
import { taggedSubject, ticketMailMessageId, ticketRootMessageId } from '../../shared/mail/mail-reference';
import type { ServerContext } from '../context';
import { conflict, notFound } from '../errors';
import { mailDb } from './mail-db';
import { isConfigured, mailIdentity, mailSettingsRow } from './mail-settings.service';
import type { MailSettingsRow } from './mail-settings.repo';
import { DESKSIDE_MAIL_HEADER, type MailQueue, type OutgoingMail } from './outgoing-mail';
import {
  countOutboxByStatus,
  insertOutboxRow,
  moveOutboxRow,
  requeueStuck,
  selectDueOutbox,
  selectOutboxList,
  selectOutboxRow,
  type OutboxRow,
} from './outbox.repo';
import { describeSmtpError, smtpTransport } from './smtp-transport';

/*
 * The outbox: mail is queued in the database (deduplicated by key) and sent by the mail job with
 * nodemailer. A failed attempt is retried after 1 min, 5 min, 30 min, 2 h and 6 h; after the sixth attempt
 * the mail is `failed` and stays in the console's failure log until someone presses "retry now".
 */

export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** A row `sending` this long belonged to a process that died mid-send. */
const STUCK_MS = 10 * 60_000;

/** The MailQueue the notifier and the inbound side enqueue into. */
export function outboxQueue(ctx: ServerContext): MailQueue {
  return {
    async enqueue(mail: OutgoingMail) {
      const now = ctx.now();
      const subject = mail.ticketId ? taggedSubject(mail.subject, mail.ticketId) : mail.subject;
      const queued = await insertOutboxRow(mailDb(ctx.db), {
        key: mail.key,
        kind: mail.kind,
        to_address: mail.to,
        subject,
        text: mail.text,
        html: mail.html ?? null,
        ticket_id: mail.ticketId ?? null,
        in_reply_to: mail.inReplyTo ?? null,
        auto_submitted: mail.autoSubmitted ?? 'auto-generated',
        status: 'queued',
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      });
      return { queued };
    },
  };
}

/** The nodemailer message for a row: threading headers from its ticket, both parts, Deskside's marks. */
export function messageOf(row: OutboxRow, settings: MailSettingsRow, domain: string, messageId: string) {
  const headers: Record<string, string> = { 'Auto-Submitted': row.auto_submitted, [DESKSIDE_MAIL_HEADER]: row.kind };
  const refs: string[] = [];
  if (row.ticket_id) refs.push(ticketRootMessageId(row.ticket_id, domain));
  if (row.in_reply_to) refs.push(row.in_reply_to);
  return {
    from: { name: settings.from_name, address: settings.from_address },
    to: row.to_address,
    subject: row.subject,
    text: row.text,
    ...(row.html ? { html: row.html } : {}),
    messageId,
    ...(refs.length > 0 ? { inReplyTo: refs.at(-1)!, references: refs } : {}),
    headers,
  };
}

async function messageIdFor(row: OutboxRow, domain: string): Promise<string> {
  if (row.message_id) return row.message_id;
  const unique = `${row.id}.${randomBytes(4).toString('hex')}`;
  return row.ticket_id ? ticketMailMessageId(row.ticket_id, unique, domain) : `<deskside.${unique}@${domain}>`;
}

/** Sends what is due (one batch); returns how many were sent and how many failed. */
export async function sendDueMail(ctx: ServerContext, limit = 20): Promise<{ sent: number; failed: number }> {
  const db = mailDb(ctx.db);
  const settings = await mailSettingsRow(ctx);
  // Not configured yet: mail waits in the queue rather than burning its attempts.
  if (!isConfigured(settings)) return { sent: 0, failed: 0 };
  await requeueStuck(db, ctx.now() - STUCK_MS, ctx.now());
  const rows = await selectDueOutbox(db, ctx.now(), limit);
  if (rows.length === 0) return { sent: 0, failed: 0 };
  const domain = await mailIdentity(ctx).domain();
  const transport = smtpTransport(settings);
  let sent = 0;
  let failed = 0;
  try {
    for (const row of rows) {
      const messageId = await messageIdFor(row, domain);
      const claimed = await moveOutboxRow(db, row.id, ['queued'], {
        status: 'sending',
        message_id: messageId,
        updated_at: ctx.now(),
      });
      if (!claimed) continue;
      try {
        await transport.sendMail(messageOf(row, settings, domain, messageId));
        await moveOutboxRow(db, row.id, ['sending'], {
          status: 'sent',
          attempts: row.attempts + 1,
          sent_at: ctx.now(),
          last_error: null,
          updated_at: ctx.now(),
        });
        sent++;
      } catch (error) {
        failed++;
        await recordFailure(ctx, row, describeSmtpError(error, settings).message);
      }
    }
  } finally {
    transport.close();
  }
  return { sent, failed };
}

async function recordFailure(ctx: ServerContext, row: OutboxRow, message: string): Promise<void> {
  const attempts = row.attempts + 1;
  const final = attempts >= MAX_ATTEMPTS;
  await moveOutboxRow(mailDb(ctx.db), row.id, ['sending'], {
    status: final ? 'failed' : 'queued',
    attempts,
    next_attempt_at: final ? ctx.now() : ctx.now() + RETRY_DELAYS_MS[attempts - 1]!,
    last_error: message,
    updated_at: ctx.now(),
  });
  ctx.log.warn({ mail: row.id, kind: row.kind, attempts, final, error: message }, 'mail not sent');
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toOutboxDto(row: OutboxRow): OutboxMailDto {
  return {
    id: Number(row.id),
    kind: row.kind,
    to: row.to_address,
    subject: row.subject,
    ticketId: row.ticket_id === null ? null : Number(row.ticket_id),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'queued' ? iso(Number(row.next_attempt_at)) : null,
    lastError: row.last_error,
    createdAt: iso(Number(row.created_at))!,
    sentAt: iso(row.sent_at === null ? null : Number(row.sent_at)),
  };
}

export async function listOutbox(ctx: ServerContext, view: 'problems' | 'all') {
  const db = mailDb(ctx.db);
  const counts = await countOutboxByStatus(db);
  return {
    mails: (await selectOutboxList(db, view)).map(toOutboxDto),
    counts: {
      queued: counts.queued ?? 0,
      sending: counts.sending ?? 0,
      sent: counts.sent ?? 0,
      failed: counts.failed ?? 0,
    },
  };
}

/** "Retry now": a failed or waiting mail is due at once (a failed one gets one more attempt). */
export async function retryNow(ctx: ServerContext, id: number): Promise<OutboxMailDto> {
  const db = mailDb(ctx.db);
  const row = await selectOutboxRow(db, id);
  if (!row) throw notFound('Mail');
  if (row.status === 'sent' || row.status === 'sending')
    throw conflict('not_retryable', `This mail is ${row.status}; only failed or waiting mail can be retried`);
  const attempts = row.status === 'failed' ? MAX_ATTEMPTS - 1 : row.attempts;
  await moveOutboxRow(db, id, ['failed', 'queued'], {
    status: 'queued',
    attempts,
    next_attempt_at: ctx.now(),
    updated_at: ctx.now(),
  });
  return toOutboxDto((await selectOutboxRow(db, id))!);
}
