import type { Kysely, Selectable } from 'kysely';
import type { ImportOutcome, MailSource } from './inbound';
import type { MailDatabase, MailImportsTable, MailKysely } from '../mail-db';

/* mail_imports: one row per incoming message (by its key), what became of it. */

export type MailImportRow = Selectable<MailImportsTable>;

export function findImport(db: Kysely<MailDatabase>, messageKey: string): Promise<MailImportRow | undefined> {
  return db.selectFrom('mail_imports').selectAll().where('message_id', '=', messageKey).executeTakeFirst();
}

export interface ImportValues {
  messageKey: string;
  source: MailSource;
  from: string;
  subject: string;
  outcome: ImportOutcome;
  ticketId: number | null;
  reason: string | null;
  raw: Buffer | null;
  now: number;
}

/** Records a message that is done with (a ticket, a reply, or one not turned into anything); a failed earlier try is overwritten. */
export async function recordImport(db: Kysely<MailDatabase>, v: ImportValues): Promise<number> {
  const { id } = await db
    .insertInto('mail_imports')
    .values({
      message_id: v.messageKey,
      source: v.source,
      from_address: v.from,
      subject: v.subject,
      outcome: v.outcome,
      ticket_id: v.ticketId,
      reason: v.reason,
      attempts: 1,
      raw: v.raw,
      created_at: v.now,
      updated_at: v.now,
    })
    .onConflict((oc) =>
      oc
        .column('message_id')
        .doUpdateSet((eb) => ({
          source: v.source,
          from_address: v.from,
          subject: v.subject,
          outcome: v.outcome,
          ticket_id: v.ticketId,
          reason: v.reason,
          attempts: eb('mail_imports.attempts', '+', 1),
          raw: v.raw,
          updated_at: v.now,
        }))
        // Only a failed try may be replaced: a message imported meanwhile by another reader stays as it was.
        .where('mail_imports.outcome', '=', 'failed'),
    )
    .returning('id')
    .executeTakeFirst()
    .then((row) => {
      if (!row) throw new DuplicateImport();
      return row;
    });
  return id;
}

/** The message was imported by someone else meanwhile (the conflicting row was not a failed try). */
export class DuplicateImport extends Error {
  constructor() {
    super('This message was imported meanwhile');
  }
}

/** Counts a failed try (the row keeps the raw message); returns its row with the attempts so far. */
export async function recordFailure(
  db: MailKysely,
  v: Omit<ImportValues, 'outcome' | 'ticketId'>,
): Promise<MailImportRow> {
  await recordImport(db, { ...v, outcome: 'failed', ticketId: null });
  return (await findImport(db, v.messageKey))!;
}

/** Addresses known to the help desk: requesters of earlier tickets (with their latest device) and staff. */
/**
 * The active technician `email` belongs to, when the mail answers one Deskside sent to that address about
 * `ticketId`: one of `messageIds` (its In-Reply-To / References) is the Message-ID of such a mail in the outbox.
 * Those ids carry a random part, so naming one means having received the mail; a From line alone proves nothing.
 * Found by the outbox's Message-ID index (migration 028).
 */
export async function staffReplier(
  db: MailKysely,
  email: string,
  ticketId: number,
  messageIds: string[],
): Promise<{ id: number; name: string } | null> {
  if (messageIds.length === 0) return null;
  const lower = email.toLowerCase();
  const row = await db
    .selectFrom('staff_users')
    .select(['id', 'name'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', lower))
    .where('active', '=', 1)
    .where('service', '=', 0)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('mail_outbox')
          .select('mail_outbox.id')
          .where('mail_outbox.message_id', 'in', messageIds)
          .where('mail_outbox.ticket_id', '=', ticketId)
          .where((o) => o(o.fn('lower', ['mail_outbox.to_address']), '=', lower)),
      ),
    )
    .executeTakeFirst();
  return row ?? null;
}

export async function knownSender(
  db: MailKysely,
  email: string,
): Promise<{ known: boolean; deviceId: string | null; name: string | null }> {
  const lower = email.toLowerCase();
  const [tickets, staff] = await Promise.all([
    db
      .selectFrom('tickets')
      .select(['device_id', 'requester_name'])
      .where((eb) => eb(eb.fn('lower', ['requester_email']), '=', lower))
      .orderBy('id', 'desc')
      .limit(50)
      .execute(),
    db
      .selectFrom('staff_users')
      .select(['name'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', lower))
      .executeTakeFirst(),
  ]);
  return {
    known: tickets.length > 0 || staff !== undefined,
    deviceId: tickets.find((t) => t.device_id !== null)?.device_id ?? null,
    name: tickets[0]?.requester_name ?? staff?.name ?? null,
  };
}
