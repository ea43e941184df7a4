import type { Db } from '../db/database';
import { isUniqueViolation } from '../db/database';
import { conflict } from '../errors';
import { hashPassword, randomToken } from './crypto';

export interface NewStaff {
  email: string;
  name: string;
  role: 'technician' | 'admin';
  /** null: no password, so no sign-in (until one is set); e.g. the people of `--demo`. */
  password: string | null;
  group: string | null;
}

/** Stored instead of a hash for an account without a password: verifyPassword never accepts it. */
const NO_PASSWORD = '!';

/** Creates a staff account; a duplicate email is a 409. */
export async function createStaff(db: Db, input: NewStaff, now: number): Promise<number> {
  try {
    const row = await db.kysely
      .insertInto('staff_users')
      .values({
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        password_hash: input.password === null ? NO_PASSWORD : await hashPassword(input.password),
        group_name: input.group,
        active: 1,
        created_at: now,
        last_login_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('email_taken', `A staff account with ${input.email} already exists`);
    throw error;
  }
}

/**
 * First start: make sure an administrator exists. Uses the given credentials, or generates a
 * one-time password the caller must print. Returns null when an admin already existed.
 */
export async function ensureFirstAdmin(
  db: Db,
  now: number,
  given: { email?: string; password?: string },
): Promise<{ email: string; password: string | null } | null> {
  const existing = await db.kysely
    .selectFrom('staff_users')
    .select('id')
    .where('role', '=', 'admin')
    .executeTakeFirst();
  if (existing) return null;
  const email = (given.email ?? 'admin@deskside.local').toLowerCase();
  const password = given.password ?? randomToken(12);
  try {
    await createStaff(db, { email, name: 'Administrator', role: 'admin', password, group: null }, now);
  } catch (error) {
    // Another server process created it at the same moment: fine.
    if ((error as { code?: string }).code === 'email_taken') return null;
    throw error;
  }
  return { email, password: given.password ? null : password };
}
