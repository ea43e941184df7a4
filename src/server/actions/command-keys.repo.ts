import type { Insertable, Kysely, Selectable } from 'kysely';
import type { CommandKeysTable, Database } from '../db/schema';

/* The command_keys table: the server's signing key pairs, one per purpose. */

export type CommandKeyRow = Selectable<CommandKeysTable>;

/** The key pair of a purpose, if there is one. */
export async function selectCommandKey(db: Kysely<Database>, purpose: string): Promise<CommandKeyRow | undefined> {
  return db.selectFrom('command_keys').selectAll().where('purpose', '=', purpose).executeTakeFirst();
}

/** Inserts a key pair unless the purpose already has one (a lost creation race is a no-op). */
export async function insertCommandKeyIfMissing(
  db: Kysely<Database>,
  row: Insertable<CommandKeysTable>,
): Promise<void> {
  await db
    .insertInto('command_keys')
    .values(row)
    .onConflict((oc) => oc.column('purpose').doNothing())
    .execute();
}
