import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Email in (issue 15) looks up every incoming sender among the tickets' requesters, case-insensitively
 * (mail-imports.repo.ts `knownSender`: their latest device and name). An index on the lower-cased address
 * makes that a lookup instead of a scan of every ticket, on both databases (each indexes the expression).
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await sql`create index tickets_requester_email_lower on tickets (lower(requester_email))`.execute(db);
}
