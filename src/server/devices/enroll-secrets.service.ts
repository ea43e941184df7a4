import type { EnrollSecretInfo } from '../../shared/api/inventory';
import { hashToken, randomToken } from '../auth/crypto';
import type { Db } from '../db/database';
import {
  enrollSecretExists,
  insertEnrollSecret,
  revokeEnrollSecretRow,
  selectEnrollSecrets,
} from './enroll-secrets.repo';

export type { EnrollSecretInfo };

/** Creates an enrollment secret; the returned plain secret is the only copy. */
export async function createEnrollSecret(db: Db, name: string, now: number): Promise<{ id: number; secret: string }> {
  const secret = `dse_${randomToken(24)}`;
  const id = await insertEnrollSecret(db.kysely, {
    name,
    secret_hash: hashToken(secret),
    created_at: now,
    revoked_at: null,
    uses: 0,
  });
  return { id, secret };
}

/** Lists enrollment secrets, newest first: never the secret itself, which is shown once at creation. */
export async function listEnrollSecrets(db: Db): Promise<EnrollSecretInfo[]> {
  const rows = await selectEnrollSecrets(db.kysely);
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
  if (await revokeEnrollSecretRow(db.kysely, id, now)) return true;
  return enrollSecretExists(db.kysely, id);
}
