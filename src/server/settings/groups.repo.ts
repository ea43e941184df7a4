import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { SettingsDatabase, StaffGroupsTable } from './settings-db';

/*
 * The staff_groups table, and what a group's rename or deletion reads and changes in other domains'
 * tables (tickets, escalation_rules) that carry a group's name.
 */

export type GroupRow = Selectable<StaffGroupsTable>;
type Db = Kysely<SettingsDatabase>;

const OPEN_STATUSES = ['new', 'open', 'pending'] as const;

/** Every group, lowest tier first, then by name. */
export async function selectGroups(db: Db): Promise<GroupRow[]> {
  return db.selectFrom('staff_groups').selectAll().orderBy('tier').orderBy('name').execute();
}

export async function selectGroup(db: Db, id: number): Promise<GroupRow | undefined> {
  return db.selectFrom('staff_groups').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether another group (not `exceptId`) has this name, ignoring case. */
export async function groupNameTaken(db: Db, name: string, exceptId?: number): Promise<boolean> {
  let query = db
    .selectFrom('staff_groups')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  return Boolean(await query.executeTakeFirst());
}

export async function insertGroup(db: Db, row: Insertable<StaffGroupsTable>): Promise<GroupRow> {
  return db.insertInto('staff_groups').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateGroupRow(db: Db, id: number, changes: Updateable<StaffGroupsTable>): Promise<GroupRow> {
  return db.updateTable('staff_groups').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteGroupRow(db: Db, id: number): Promise<void> {
  await db.deleteFrom('staff_groups').where('id', '=', id).execute();
}

/** tickets: moves every ticket of group `from` to group `to`. */
export async function renameTicketsGroup(db: Db, from: string, to: string): Promise<void> {
  await db.updateTable('tickets').set({ group_name: to }).where('group_name', '=', from).execute();
}

/** tickets: how many open tickets (new, open, pending) are in the group. */
export async function countOpenTicketsInGroup(db: Db, group: string): Promise<number> {
  const row = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('group_name', '=', group)
    .where('status', 'in', OPEN_STATUSES)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** escalation_rules: every rule's JSON action. */
export async function selectEscalationRuleActions(db: Db): Promise<{ id: number; action: string }[]> {
  return db.selectFrom('escalation_rules').select(['id', 'action']).execute();
}

/** escalation_rules: replaces a rule's JSON action. */
export async function updateEscalationRuleAction(db: Db, id: number, action: string): Promise<void> {
  await db.updateTable('escalation_rules').set({ action }).where('id', '=', id).execute();
}
