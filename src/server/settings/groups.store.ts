import type { Kysely, Selectable } from 'kysely';
import type { CreateGroupRequest, GroupDto, UpdateGroupRequest } from '../../shared/api/settings';
import type { Db } from '../db/database';
import { isUniqueViolation } from '../db/database';
import { conflict, notFound } from '../errors';
import { settingsDb, type SettingsDatabase, type StaffGroupsTable } from './settings-db';

type GroupRow = Selectable<StaffGroupsTable>;
type Parsed<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

const OPEN_STATUSES = ['new', 'open', 'pending'] as const;
const groupNotFound = () => notFound('Group', 'group_not_found');
const groupExists = (name: string) => conflict('group_exists', `A group named "${name}" already exists`);

function toDto(row: GroupRow, members: number): GroupDto {
  return {
    id: row.id,
    name: row.name,
    tier: row.tier,
    description: row.description,
    members,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

async function memberCounts(k: Kysely<SettingsDatabase>): Promise<Map<string, number>> {
  const rows = await k
    .selectFrom('staff_users')
    .select(['group_name', (eb) => eb.fn.countAll<number>().as('n')])
    .where('active', '=', 1)
    .where('group_name', 'is not', null)
    .groupBy('group_name')
    .execute();
  return new Map(rows.map((r) => [String(r.group_name), Number(r.n)]));
}

/** Case-insensitive clash with another group's name (the unique index only catches exact repeats). */
async function assertNameFree(k: Kysely<SettingsDatabase>, name: string, exceptId?: number): Promise<void> {
  let query = k
    .selectFrom('staff_groups')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  if (await query.executeTakeFirst()) throw groupExists(name);
}

/** Every group, lowest tier first, then by name. */
export async function listGroups(db: Db): Promise<GroupDto[]> {
  const k = settingsDb(db);
  const [rows, counts] = await Promise.all([
    k.selectFrom('staff_groups').selectAll().orderBy('tier').orderBy('name').execute(),
    memberCounts(k),
  ]);
  return rows.map((r) => toDto(r, counts.get(r.name) ?? 0));
}

/** Registers a group; 409 group_exists when the name is taken (ignoring case). */
export async function createGroup(db: Db, input: Parsed<CreateGroupRequest>, now: number): Promise<GroupDto> {
  const k = settingsDb(db);
  await assertNameFree(k, input.name);
  try {
    const row = await k
      .insertInto('staff_groups')
      .values({ name: input.name, tier: input.tier, description: input.description, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toDto(row, (await memberCounts(k)).get(row.name) ?? 0);
  } catch (error) {
    if (isUniqueViolation(error)) throw groupExists(input.name);
    throw error;
  }
}

/** Changes a group; a new name is carried to the staff members, tickets and escalation rules that had the old one. */
export async function updateGroup(
  db: Db,
  id: number,
  input: Partial<Parsed<UpdateGroupRequest>>,
  now: number,
): Promise<{ group: GroupDto; renamedFrom: string | null }> {
  try {
    return await settingsDb(db)
      .transaction()
      .execute(async (trx) => {
        const before = await trx.selectFrom('staff_groups').selectAll().where('id', '=', id).executeTakeFirst();
        if (!before) throw groupNotFound();
        const renamed = input.name !== undefined && input.name !== before.name;
        if (renamed) await assertNameFree(trx, String(input.name), id);
        const row = await trx
          .updateTable('staff_groups')
          .set({ ...input, updated_at: now })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        if (renamed) {
          await trx
            .updateTable('staff_users')
            .set({ group_name: row.name })
            .where('group_name', '=', before.name)
            .execute();
          await trx
            .updateTable('tickets')
            .set({ group_name: row.name })
            .where('group_name', '=', before.name)
            .execute();
          // Escalation rules name their target group inside a JSON action: follow the rename there too.
          const rules = await trx.selectFrom('escalation_rules').select(['id', 'action']).execute();
          for (const rule of rules) {
            const action = JSON.parse(rule.action) as { assignGroup?: string };
            if (action.assignGroup !== before.name) continue;
            await trx
              .updateTable('escalation_rules')
              .set({ action: JSON.stringify({ ...action, assignGroup: row.name }) })
              .where('id', '=', rule.id)
              .execute();
          }
        }
        return {
          group: toDto(row, (await memberCounts(trx)).get(row.name) ?? 0),
          renamedFrom: renamed ? before.name : null,
        };
      });
  } catch (error) {
    if (isUniqueViolation(error)) throw groupExists(String(input.name));
    throw error;
  }
}

/** Deletes a group nobody uses: 409 group_in_use while staff members or open tickets carry its name. */
export async function deleteGroup(db: Db, id: number): Promise<GroupRow> {
  return settingsDb(db)
    .transaction()
    .execute(async (trx) => {
      const row = await trx.selectFrom('staff_groups').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw groupNotFound();
      const staff = await trx
        .selectFrom('staff_users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('group_name', '=', row.name)
        .executeTakeFirstOrThrow();
      const tickets = await trx
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('group_name', '=', row.name)
        .where('status', 'in', OPEN_STATUSES)
        .executeTakeFirstOrThrow();
      if (Number(staff.n) > 0 || Number(tickets.n) > 0) {
        throw conflict(
          'group_in_use',
          `"${row.name}" still has ${Number(staff.n)} staff member(s) and ${Number(tickets.n)} open ticket(s); move them to another group first`,
        );
      }
      await trx.deleteFrom('staff_groups').where('id', '=', id).execute();
      return row;
    });
}
