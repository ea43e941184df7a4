import type { Kysely } from 'kysely';
import type { CreateGroupRequest, GroupDto, UpdateGroupRequest } from '../../shared/api/settings';
import { countActiveStaffByGroup, countStaffInGroup, renameStaffGroup } from '../auth/staff.repo';
import type { Db } from '../db/database';
import { isUniqueViolation } from '../db/database';
import type { Database } from '../db/schema';
import { conflict, notFound } from '../errors';
import {
  countOpenTicketsInGroup,
  deleteGroupRow,
  groupNameTaken,
  insertGroup,
  renameTicketsGroup,
  selectEscalationRuleActions,
  selectGroup,
  selectGroups,
  updateEscalationRuleAction,
  updateGroupRow,
  type GroupRow,
} from './groups.repo';
import { settingsDb, type SettingsDatabase } from './settings-db';

type Parsed<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

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

/** The settings tables' query builder seen as the core one, for the staff repository. */
const core = (k: Kysely<SettingsDatabase>) => k as unknown as Kysely<Database>;

/** Case-insensitive clash with another group's name (the unique index only catches exact repeats). */
async function assertNameFree(k: Kysely<SettingsDatabase>, name: string, exceptId?: number): Promise<void> {
  if (await groupNameTaken(k, name, exceptId)) throw groupExists(name);
}

/** Every group, lowest tier first, then by name. */
export async function listGroups(db: Db): Promise<GroupDto[]> {
  const k = settingsDb(db);
  const [rows, counts] = await Promise.all([selectGroups(k), countActiveStaffByGroup(db.kysely)]);
  return rows.map((r) => toDto(r, counts.get(r.name) ?? 0));
}

/** Registers a group; 409 group_exists when the name is taken (ignoring case). */
export async function createGroup(db: Db, input: Parsed<CreateGroupRequest>, now: number): Promise<GroupDto> {
  const k = settingsDb(db);
  await assertNameFree(k, input.name);
  try {
    const row = await insertGroup(k, {
      name: input.name,
      tier: input.tier,
      description: input.description,
      created_at: now,
      updated_at: now,
    });
    return toDto(row, (await countActiveStaffByGroup(db.kysely)).get(row.name) ?? 0);
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
        const before = await selectGroup(trx, id);
        if (!before) throw groupNotFound();
        const renamed = input.name !== undefined && input.name !== before.name;
        if (renamed) await assertNameFree(trx, String(input.name), id);
        const row = await updateGroupRow(trx, id, { ...input, updated_at: now });
        if (renamed) {
          await renameStaffGroup(core(trx), before.name, row.name);
          await renameTicketsGroup(trx, before.name, row.name);
          // Escalation rules name their target group inside a JSON action: follow the rename there too.
          for (const rule of await selectEscalationRuleActions(trx)) {
            const action = JSON.parse(rule.action) as { assignGroup?: string };
            if (action.assignGroup !== before.name) continue;
            await updateEscalationRuleAction(trx, rule.id, JSON.stringify({ ...action, assignGroup: row.name }));
          }
        }
        return {
          group: toDto(row, (await countActiveStaffByGroup(core(trx))).get(row.name) ?? 0),
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
      const row = await selectGroup(trx, id);
      if (!row) throw groupNotFound();
      const staff = await countStaffInGroup(core(trx), row.name);
      const tickets = await countOpenTicketsInGroup(trx, row.name);
      if (staff > 0 || tickets > 0) {
        throw conflict(
          'group_in_use',
          `"${row.name}" still has ${staff} staff member(s) and ${tickets} open ticket(s); move them to another group first`,
        );
      }
      await deleteGroupRow(trx, id);
      return row;
    });
}
