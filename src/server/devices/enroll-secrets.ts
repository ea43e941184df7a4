import type { Db } from '../db/database';
import { hashToken, randomToken } from '../auth/crypto';

/** An enrollment secret as listed: never the secret itself, which is shown once at creation. */
export interface EnrollSecretInfo {
  id: number;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  uses: number;
}

/** Creates an enrollment secret; the returned plain secret is the only copy. */
export async function createEnrollSecret(db: Db, name: string, now: number): Promise<{ id: number; secret: string }> {
  const secret = `dse_${randomToken(24)}`;
  const row = await db.kysely
    .insertInto('enroll_secrets')
    .values({ name, secret_hash: hashToken(secret), created_at: now, revoked_at: null, uses: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, secret };
}

/** Lists enrollment secrets, newest first. */
export async function listEnrollSecrets(db: Db): Promise<EnrollSecretInfo[]> {
  const rows = await db.kysely.selectFrom('enroll_secrets').selectAll().orderBy('id', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: new Date(r.created_at).toISOString(),
    revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at).toISOString(),
    uses: r.uses,
  }));
}

/** Revokes a secret: no new enrollments with it; enrolled devices keep working. False if unknown. */
export async function revokeEnrollSecret(db: Db, id: number, now: number): Promise<boolean> {
  const result = await db.kysely
    .updateTable('enroll_secrets')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) > 0) return true;
  return Boolean(await db.kysely.selectFrom('enroll_secrets').select('id').where('id', '=', id).executeTakeFirst());
}
