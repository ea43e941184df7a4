import { createHash } from 'node:crypto';
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import { messageIdsIn, ticketIdFromMessageIds, ticketIdFromSubject } from '../../../shared/mail/mail-reference';
import { sanitizeMachineText } from '../../../shared/text/unsafe-text';
import { ATTACHMENTS_MAX, MESSAGE_BODY_MAX, TICKET_SUBJECT_MAX } from '../../../shared/ticket-fields';
import type { ServerContext } from '../../context';
import { isUniqueViolation } from '../../db/database';
import { evaluateTicketSla } from '../../sla/sla-evaluate.service';
import { isAllowedFileType, MAX_ATTACHMENT_BYTES, type DecodedAttachment } from '../../tickets/attachments.service';
import {
  insertEmailReply,
  insertEmailTicket,
  planEmailWrite,
  type EmailSender,
} from '../../tickets/email-tickets.service';
import { mailDb, type MailDatabase } from '../mail-db';
import type { MailIdentity, MailQueue } from '../outgoing-mail';
import {
  MAX_IMPORT_ATTEMPTS,
  type ImportOutcome,
  type ImportResult,
  type InboundSink,
  type MailSource,
} from './inbound';
import { classifyMail } from './mail-classify';
import {
  DuplicateImport,
  findImport,
  knownSender,
  recordFailure,
  recordImport,
  staffReplier,
} from './mail-imports.repo';
import { mailBodyText } from './mail-text';
import type { Transaction } from 'kysely';

/*
 * Turns an incoming message into a ticket or a reply (issue 15), or logs why not. The message's key is its
 * Message-ID (a hash of the bytes when it has none): a key already imported is answered as a duplicate
 * and nothing is written again, so a message read twice (a crash between commit and \Seen, a client
 * re-sending after a lost 250) makes one ticket. The import row commits in the same transaction as the
 * ticket or message it made. A message that cannot be imported is logged as failed with its bytes and a
 * reason, and left to its transport to try again (MAX_IMPORT_ATTEMPTS), after which it is done with.
 */

export interface InboundPolicy {
  unknownSenders: 'accept' | 'refuse';
  maxMessageBytes: number;
}

export interface MailImporterDeps {
  queue: MailQueue;
  identity: MailIdentity;
  policy(): Promise<InboundPolicy>;
}

const NO_SUBJECT = '(no subject)';

/** Why a message cannot be imported, found before anything is written. */
class Unimportable extends Error {}

/** The key of a message: its Message-ID, else a hash of its bytes. */
export function messageKeyOf(raw: Buffer, messageId: string | undefined): string {
  const id = messageId?.trim();
  if (id && id.length <= 900) return id;
  return `<${createHash('sha256').update(raw).digest('hex')}@deskside.invalid>`;
}

/** The first Message-ID header of the raw header block, read without parsing the body. */
function rawMessageId(raw: Buffer): string | undefined {
  const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const unfolded = (end >= 0 ? head.slice(0, end) : head).replace(/\r?\n[ \t]+/g, ' ');
  return /^message-id:\s*(<[^>\r\n]{1,900}>)/im.exec(unfolded)?.[1];
}

/** A multipart message whose last boundary never closes was cut off or made badly: not guessed at. */
function unclosedBoundary(parsed: ParsedMail, raw: Buffer): string | null {
  const type = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const boundary = type?.params?.boundary;
  if (!type?.value?.startsWith('multipart/') || !boundary) return null;
  return raw.includes(`--${boundary}--`)
    ? null
    : `Malformed MIME: the multipart boundary "${boundary}" is never closed`;
}

function headerText(parsed: ParsedMail, name: string): string | null {
  const value = parsed.headers.get(name);
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(' ');
  if (typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
  if (typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text);
  return value instanceof Date ? value.toISOString() : JSON.stringify(value);
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

/** The attachments a ticket can keep, and a line naming each one it cannot. */
function keptAttachments(attachments: readonly Attachment[]): { files: DecodedAttachment[]; dropped: string[] } {
  const files: DecodedAttachment[] = [];
  const dropped: string[] = [];
  for (const a of attachments) {
    // Images inside an HTML body (logos in signatures) are part of its look, not files sent to the help desk.
    if (a.related || (a.contentDisposition === 'inline' && a.contentType.startsWith('image/') && a.cid)) continue;
    const name = sanitizeMachineText(a.filename ?? 'attachment').slice(0, 200);
    const type = a.contentType.toLowerCase();
    if (a.size > MAX_ATTACHMENT_BYTES)
      dropped.push(`${name} (${formatBytes(a.size)}: over the ${formatBytes(MAX_ATTACHMENT_BYTES)} limit)`);
    else if (!isAllowedFileType(type)) dropped.push(`${name} (${type} files are not accepted)`);
    else if (files.length >= ATTACHMENTS_MAX) dropped.push(`${name} (more than ${ATTACHMENTS_MAX} attachments)`);
    else files.push({ kind: 'file', filename: name, contentType: type, data: a.content });
  }
  return { files, dropped };
}

export class MailImporter implements InboundSink {
  constructor(
    private readonly ctx: ServerContext,
    private readonly deps: MailImporterDeps,
  ) {}

  async importRaw(raw: Buffer, source: MailSource): Promise<ImportResult> {
    const ctx = this.ctx;
    const db = mailDb(ctx.db);
    const policy = await this.deps.policy();
    const key = messageKeyOf(raw, rawMessageId(raw));
    const earlier = await findImport(db, key);
    if (earlier && earlier.outcome !== 'failed') return duplicateOf(earlier);

    if (raw.length > policy.maxMessageBytes)
      return this.fail(
        key,
        source,
        raw,
        '',
        '',
        `Too big: ${formatBytes(raw.length)}, over the ${formatBytes(policy.maxMessageBytes)} limit`,
        false,
      );

    let parsed: ParsedMail;
    try {
      parsed = await simpleParser(raw, { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true });
    } catch (error) {
      return this.fail(key, source, raw, '', '', `Malformed message: ${(error as Error).message}`, true);
    }
    const fromAddress = parsed.from?.value[0]?.address?.trim().toLowerCase() ?? '';
    const subject = sanitizeMachineText((parsed.subject ?? '').replace(/\s+/g, ' ').trim());
    try {
      const malformed = unclosedBoundary(parsed, raw);
      if (malformed) throw new Unimportable(malformed);
      if (!fromAddress || !fromAddress.includes('@')) throw new Unimportable('No sender address (From)');
      return await this.importParsed(key, source, parsed, fromAddress, subject, policy);
    } catch (error) {
      if (error instanceof Unimportable) return this.fail(key, source, raw, fromAddress, subject, error.message, true);
      if (error instanceof DuplicateImport || isUniqueViolation(error)) {
        const row = await findImport(db, key);
        if (row && row.outcome !== 'failed') return duplicateOf(row);
      }
      throw error;
    }
  }

  private async importParsed(
    key: string,
    source: MailSource,
    parsed: ParsedMail,
    from: string,
    subject: string,
    policy: InboundPolicy,
  ): Promise<ImportResult> {
    const ctx = this.ctx;
    const db = mailDb(ctx.db);
    const now = ctx.now();
    const [helpDesk, domain] = await Promise.all([this.deps.identity.address(), this.deps.identity.domain()]);
    const base = { messageKey: key, source, from, subject, raw: null, now };

    const { kind, reason } = classifyMail((name) => headerText(parsed, name), from, helpDesk);
    if (kind !== 'person') {
      const outcome: ImportOutcome = kind;
      const importId = await recordImport(db, { ...base, outcome, ticketId: null, reason });
      return { outcome, importId, ticketId: null, reason, done: true, duplicate: false };
    }

    const sender = await knownSender(db, from);
    const name = sanitizeMachineText(parsed.from?.value[0]?.name?.trim() || sender.name || from).slice(0, 120);
    const person: EmailSender = { name, email: from, deviceId: sender.deviceId };
    const references = [headerText(parsed, 'in-reply-to'), headerText(parsed, 'references')].filter(Boolean).join(' ');
    const replyTo = ticketIdFromMessageIds(references, domain) ?? ticketIdFromSubject(subject);
    // A technician answering the mail Deskside sent them: a staff reply, as from the console.
    const staff = replyTo !== null ? await staffReplier(db, from, replyTo, messageIdsIn(references)) : null;

    if (!sender.known && policy.unknownSenders === 'refuse' && replyTo === null) {
      const why = `${from} is not known to the help desk, and IT's policy refuses unknown senders`;
      // Queued first (keyed: a second try queues nothing), then logged.
      await this.deps.queue.enqueue({
        key: `inbound.not-served:${key}`,
        kind: 'inbound.not-served',
        to: from,
        subject: `Re: ${subject || NO_SUBJECT}`,
        text:
          'This address does not take requests from your email address, so no ticket was opened.\n\n' +
          'If you work here, ask IT to add you, or use the Deskside app on your computer.',
        inReplyTo: parsed.messageId ?? null,
        autoSubmitted: 'auto-replied',
      });
      const importId = await recordImport(db, { ...base, outcome: 'not-served', ticketId: null, reason: why });
      return { outcome: 'not-served', importId, ticketId: null, reason: why, done: true, duplicate: false };
    }

    const words = sanitizeMachineText(mailBodyText({ text: parsed.text, html: parsed.html }));
    const { files, dropped } = keptAttachments(parsed.attachments);
    const note = dropped.length > 0 ? `\n\nAttachments not kept: ${dropped.join('; ')}.` : '';
    const body = (words || '(no text)').slice(0, MESSAGE_BODY_MAX - note.length - 100) + note;
    const plan = await planEmailWrite(ctx);
    const lock = ctx.db.dialect === 'postgres';

    const result = await ctx.db.kysely.transaction().execute(async (trx) => {
      const mtrx = trx as unknown as Transaction<MailDatabase>;
      if (replyTo !== null) {
        const reply = await insertEmailReply(trx, plan, {
          ticketId: replyTo,
          sender: person,
          staff,
          body,
          files,
          now,
          lock,
        });
        if (reply) {
          const importId = await recordImport(mtrx, { ...base, outcome: 'reply', ticketId: replyTo, reason: null });
          return { outcome: 'reply' as const, ticketId: replyTo, importId, slaTouched: reply.slaTouched, reason: null };
        }
      }
      // A new request, or an answer to a ticket that is closed or gone: a new ticket (saying which one it follows).
      const follows = replyTo !== null ? `Follow-up to ticket #${replyTo}, which is closed.\n\n` : '';
      const ticketId = await insertEmailTicket(trx, plan, {
        sender: person,
        subject: (subject.replace(/^((re|fw|fwd|aw|sv|tr)\s*:\s*)+/i, '') || NO_SUBJECT).slice(0, TICKET_SUBJECT_MAX),
        description: follows + body,
        files,
        now,
      });
      const reason = replyTo !== null ? `Ticket #${replyTo} is closed or gone: opened a new one` : null;
      const importId = await recordImport(mtrx, { ...base, outcome: 'ticket', ticketId, reason });
      return { outcome: 'ticket' as const, ticketId, importId, slaTouched: false, reason };
    });

    if (result.outcome === 'ticket') ctx.metrics.ticketsCreated.inc();
    else ctx.metrics.messagesPosted.inc({ author: 'email' });
    if (result.slaTouched) await evaluateTicketSla(ctx, result.ticketId);
    ctx.bus.notify(result.ticketId);
    return {
      outcome: result.outcome,
      importId: result.importId,
      ticketId: result.ticketId,
      reason: result.reason,
      done: true,
      duplicate: false,
    };
  }

  /** Logs a failed try with the bytes; done once it failed MAX_IMPORT_ATTEMPTS times (or can never work). */
  private async fail(
    key: string,
    source: MailSource,
    raw: Buffer,
    from: string,
    subject: string,
    reason: string,
    keepRaw: boolean,
  ): Promise<ImportResult> {
    const row = await recordFailure(mailDb(this.ctx.db), {
      messageKey: key,
      source,
      from,
      subject,
      reason,
      raw: keepRaw ? raw : null,
      now: this.ctx.now(),
    });
    this.ctx.log.warn({ messageId: key, source, attempts: row.attempts, reason }, 'incoming mail not imported');
    return {
      outcome: 'failed',
      importId: row.id,
      ticketId: null,
      reason,
      done: !keepRaw || row.attempts >= MAX_IMPORT_ATTEMPTS,
      duplicate: false,
    };
  }
}

function duplicateOf(row: {
  id: number;
  outcome: ImportOutcome;
  ticket_id: number | null;
  reason: string | null;
}): ImportResult {
  return {
    outcome: row.outcome,
    importId: row.id,
    ticketId: row.ticket_id,
    reason: row.reason,
    done: true,
    duplicate: true,
  };
}
