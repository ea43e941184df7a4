import type { MailImportDto, MailImportsDto } from '../../shared/api/mailbox';
import { MAIL_IMPORT_OUTCOMES, type MailImportOutcome } from '../../shared/mailbox-fields';
import type { ServerContext } from '../context';
import { mailDb } from './mail-db';
import { conflict, notFound } from '../errors';
import { mailImporter } from './inbound/mail-in.job';
import {
  countImportsByOutcome,
  selectImportLog,
  selectImportWithRaw,
  type ImportLogRow,
} from './mail-imports-log.repo';

/* The import log as the console reads it: what became of each incoming message, newest first, by page. */

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

export function toMailImportDto(row: ImportLogRow): MailImportDto {
  return {
    id: Number(row.id),
    messageId: row.message_id,
    source: row.source,
    from: row.from_address,
    subject: row.subject,
    outcome: row.outcome,
    ticketId: row.ticket_id === null ? null : Number(row.ticket_id),
    reason: row.reason,
    attempts: Number(row.attempts),
    rawKept: Boolean(row.raw_kept),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** One page of the log (`cursor`: the previous page's `nextCursor`) and the count of each outcome. */
export async function listMailImports(
  ctx: ServerContext,
  query: { outcome?: MailImportOutcome; cursor?: number; limit: number },
): Promise<MailImportsDto> {
  const db = mailDb(ctx.db);
  // One extra row says whether an older page exists.
  const [rows, byOutcome] = await Promise.all([
    selectImportLog(db, { outcome: query.outcome ?? null, before: query.cursor ?? null, limit: query.limit + 1 }),
    countImportsByOutcome(db),
  ]);
  const page = rows.slice(0, query.limit).map(toMailImportDto);
  const counts = Object.fromEntries(MAIL_IMPORT_OUTCOMES.map((o) => [o, byOutcome.get(o) ?? 0])) as Record<
    MailImportOutcome,
    number
  >;
  return { imports: page, nextCursor: rows.length > query.limit ? page.at(-1)!.id : null, counts };
}

/**
 * Imports a failed message again now, from the bytes its log row kept, with today's settings (IT raised the
 * size limit, accepts unknown senders, or the database is back): it becomes what it would have become, on the
 * same row. One whose bytes were not kept (too big to keep) cannot be.
 */
export async function retryMailImport(ctx: ServerContext, id: number): Promise<MailImportDto> {
  const db = mailDb(ctx.db);
  const row = await selectImportWithRaw(db, id);
  if (!row) throw notFound('Message');
  if (row.outcome !== 'failed') throw conflict('not_retryable', `This message was imported (${row.outcome})`);
  if (!row.raw)
    throw conflict('not_retryable', 'Deskside did not keep this message (too big): have it sent again instead');
  await mailImporter(ctx).importRaw(Buffer.from(row.raw), row.source);
  return toMailImportDto((await selectImportWithRaw(db, id))!);
}
