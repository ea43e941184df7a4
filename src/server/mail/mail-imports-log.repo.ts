import type { MailImportOutcome } from '../../shared/api/mailbox';
import type { MailImportsTable, MailKysely } from './mail-db';

/* The import log's reads (the importer writes mail_imports). */

// The shared list of outcomes is the importer's: a new outcome on either side fails the typecheck here.
type SameOutcomes = [MailImportOutcome, MailImportsTable['outcome']] extends [
  MailImportsTable['outcome'],
  MailImportOutcome,
]
  ? true
  : never;
const outcomesAgree: SameOutcomes = true;
void outcomesAgree;

export interface ImportLogRow {
  id: number | string;
  message_id: string;
  source: MailImportsTable['source'];
  from_address: string;
  subject: string;
  outcome: MailImportOutcome;
  ticket_id: number | string | null;
  reason: string | null;
  attempts: number | string;
  /** Whether `raw` is kept (1/0 on SQLite, true/false on PostgreSQL); the bytes themselves stay in the table. */
  raw_kept: number | boolean;
  created_at: number | string;
  updated_at: number | string;
}

const LOG_COLUMNS = [
  'id',
  'message_id',
  'source',
  'from_address',
  'subject',
  'outcome',
  'ticket_id',
  'reason',
  'attempts',
  'created_at',
  'updated_at',
] as const;

/** One log row with the bytes it kept (null: none kept), or undefined. */
export async function selectImportWithRaw(
  db: MailKysely,
  id: number,
): Promise<(ImportLogRow & { raw: Buffer | null }) | undefined> {
  return (await db
    .selectFrom('mail_imports')
    .select([...LOG_COLUMNS, 'raw', (eb) => eb('raw', 'is not', null).as('raw_kept')])
    .where('id', '=', id)
    .executeTakeFirst()) as (ImportLogRow & { raw: Buffer | null }) | undefined;
}

/** One page of the log, newest first: rows with an id below `before` (all when null), `limit` of them. */
export function selectImportLog(
  db: MailKysely,
  filter: { outcome: MailImportOutcome | null; before: number | null; limit: number },
): Promise<ImportLogRow[]> {
  return db
    .selectFrom('mail_imports')
    .select([...LOG_COLUMNS, (eb) => eb('raw', 'is not', null).as('raw_kept')])
    .$if(filter.outcome !== null, (q) => q.where('outcome', '=', filter.outcome!))
    .$if(filter.before !== null, (q) => q.where('id', '<', filter.before!))
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute() as Promise<ImportLogRow[]>;
}

/** How many log rows there are of each outcome present. */
export async function countImportsByOutcome(db: MailKysely): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('mail_imports')
    .select(['outcome', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('outcome')
    .execute();
  return new Map(rows.map((r) => [r.outcome, Number(r.n)]));
}
