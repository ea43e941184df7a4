import type { z } from 'zod';
import type { StaffUserDto, updateStaffRequestSchema } from '../../shared/api/auth';
import type { Db } from '../db/database';
import { isUniqueViolation } from '../db/database';
import { conflict, notFound } from '../errors';
import { hashPassword, randomToken } from './crypto';
import { deleteSessionsOfStaff } from './sessions.repo';
import { adminExists, insertStaff, selectStaffList, updateStaffRow, type StaffPublicRow } from './staff.repo';

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

/** The public shape of a staff member. */
export function toStaffDto(user: StaffPublicRow): StaffUserDto {
  return { id: user.id, email: user.email, name: user.name, role: user.role, group: user.group_name };
}

/** Every staff account, by name, with whether it is active. */
export async function listStaff(db: Db): Promise<(StaffUserDto & { active: boolean })[]> {
  const rows = await selectStaffList(db.kysely);
  return rows.map((r) => ({ ...toStaffDto(r), active: r.active === 1 }));
}

/** Creates a staff account; a duplicate email is a 409. */
export async function createStaff(db: Db, input: NewStaff, now: number): Promise<number> {
  try {
    return await insertStaff(db.kysely, {
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      password_hash: input.password === null ? NO_PASSWORD : await hashPassword(input.password),
      group_name: input.group,
      active: 1,
      created_at: now,
      last_login_at: null,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('email_taken', `A staff account with ${input.email} already exists`);
    throw error;
  }
}

/** Changes a staff account (404 when unknown); a deactivated or re-passworded account loses its sessions at once. */
export async function updateStaff(
  db: Db,
  id: number,
  b: z.output<typeof updateStaffRequestSchema>,
): Promise<StaffUserDto> {
  const update = {
    ...(b.name !== undefined ? { name: b.name } : {}),
    ...(b.role !== undefined ? { role: b.role } : {}),
    ...(b.group !== undefined ? { group_name: b.group } : {}),
    ...(b.active !== undefined ? { active: b.active ? 1 : 0 } : {}),
    ...(b.password !== undefined ? { password_hash: await hashPassword(b.password) } : {}),
  };
  const row = await updateStaffRow(db.kysely, id, update);
  if (!row) throw notFound('Staff member');
  if (b.active === false || b.password !== undefined) await deleteSessionsOfStaff(db.kysely, row.id);
  return toStaffDto(row);
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
  if (await adminExists(db.kysely)) return null;
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
