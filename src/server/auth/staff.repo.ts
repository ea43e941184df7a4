import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, StaffUsersTable } from '../db/schema';

/* The staff_users table. */

export type StaffRow = Selectable<StaffUsersTable>;
/** The columns of a staff member the API shows. */
export type StaffPublicRow = Pick<StaffRow, 'id' | 'email' | 'name' | 'role' | 'group_name'>;

/** Names of the given staff ids (ids that do not exist are left out). */
export async function selectStaffNames(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('staff_users').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** The account with this (lower-case) email, if any. */
export async function selectStaffByEmail(db: Kysely<Database>, email: string): Promise<StaffRow | undefined> {
  return db.selectFrom('staff_users').selectAll().where('email', '=', email).executeTakeFirst();
}

/** Every account, by name. */
export async function selectStaffList(db: Kysely<Database>): Promise<(StaffPublicRow & Pick<StaffRow, 'active'>)[]> {
  return (
    db
      .selectFrom('staff_users')
      .select(['id', 'email', 'name', 'role', 'group_name', 'active'])
      // Service tokens' accounts are not people: never in a staff list or an assignee picker.
      .where('service', '=', 0)
      .orderBy('name')
      .execute()
  );
}

/** Inserts an account and returns its id (a duplicate email throws the unique violation). */
export async function insertStaff(db: Kysely<Database>, row: Insertable<StaffUsersTable>): Promise<number> {
  const inserted = await db.insertInto('staff_users').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Changes an account; undefined when there is no such id. */
export async function updateStaffRow(
  db: Kysely<Database>,
  id: number,
  changes: Updateable<StaffUsersTable>,
): Promise<StaffPublicRow | undefined> {
  return db
    .updateTable('staff_users')
    .set(changes)
    .where('id', '=', id)
    .returning(['id', 'email', 'name', 'role', 'group_name'])
    .executeTakeFirst();
}

export async function updateStaffLastLogin(db: Kysely<Database>, id: number, at: number): Promise<void> {
  await db.updateTable('staff_users').set({ last_login_at: at }).where('id', '=', id).execute();
}

/** Whether any administrator account exists. */
export async function adminExists(db: Kysely<Database>): Promise<boolean> {
  return Boolean(await db.selectFrom('staff_users').select('id').where('role', '=', 'admin').executeTakeFirst());
}

/** Active members per group name (staff without a group are left out). */
export async function countActiveStaffByGroup(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('staff_users')
    .select(['group_name', (eb) => eb.fn.countAll<number>().as('n')])
    .where('active', '=', 1)
    .where('group_name', 'is not', null)
    .groupBy('group_name')
    .execute();
  return new Map(rows.map((r) => [String(r.group_name), Number(r.n)]));
}

/** Staff members (active or not) whose group is `group`. */
export async function countStaffInGroup(db: Kysely<Database>, group: string): Promise<number> {
  const row = await db
    .selectFrom('staff_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('group_name', '=', group)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Moves every staff member of group `from` to group `to`. */
export async function renameStaffGroup(db: Kysely<Database>, from: string, to: string): Promise<void> {
  await db.updateTable('staff_users').set({ group_name: to }).where('group_name', '=', from).execute();
}

/** Any one staff id (or undefined): the health check's proof that the database answers. */
export async function anyStaffId(db: Kysely<Database>): Promise<number | undefined> {
  return (await db.selectFrom('staff_users').select('id').limit(1).executeTakeFirst())?.id;
}
