import type { MailImportDto, MailImportsDto } from '../../shared/api/mailbox';
import { MAIL_IMPORT_OUTCOMES, type MailImportOutcome } from '../../shared/mailbox-fields';
import type { ServerContext } from '../context';
import { mailDb } from './mail-db';
import { countImportsByOutcome, selectImportLog, type ImportLogRow } from './mail-imports-log.repo';

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
