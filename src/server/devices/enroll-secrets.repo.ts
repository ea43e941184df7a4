import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, EnrollSecretsTable } from '../db/schema';

/* The enroll_secrets table. */

export async function insertEnrollSecret(db: Kysely<Database>, row: Insertable<EnrollSecretsTable>): Promise<number> {
  const inserted = await db.insertInto('enroll_secrets').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Every secret, newest first. */
export async function selectEnrollSecrets(db: Kysely<Database>): Promise<Selectable<EnrollSecretsTable>[]> {
  return db.selectFrom('enroll_secrets').selectAll().orderBy('id', 'desc').execute();
}

/** The secret with this hash, revoked or not. */
export async function selectEnrollSecretByHash(db: Kysely<Database>, secretHash: string) {
  return db
    .selectFrom('enroll_secrets')
    .select(['id', 'revoked_at'])
    .where('secret_hash', '=', secretHash)
    .executeTakeFirst();
}

/** Marks a live secret revoked; false when it is unknown or already revoked. */
export async function revokeEnrollSecretRow(db: Kysely<Database>, id: number, at: number): Promise<boolean> {
  const result = await db
    .updateTable('enroll_secrets')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function enrollSecretExists(db: Kysely<Database>, id: number): Promise<boolean> {
  return Boolean(await db.selectFrom('enroll_secrets').select('id').where('id', '=', id).executeTakeFirst());
}

/** Counts one more enrollment with the secret. */
export async function incrementEnrollSecretUses(db: Kysely<Database>, id: number): Promise<void> {
  await db
    .updateTable('enroll_secrets')
    .set((eb) => ({ uses: eb('uses', '+', 1) }))
    .where('id', '=', id)
    .execute();
}
