import { TICKET_CATEGORIES, type TicketCategory } from '../../shared/ticket-fields';
import {
  defaultCategoryLabel,
  type CategorySettingDto,
  type PutCategorySettingsRequest,
} from '../../shared/api/settings';
import type { Db } from '../db/database';
import { unprocessable } from '../errors';
import type { Kysely } from 'kysely';
import { selectCategorySettings, upsertCategorySetting } from './categories.repo';
import { settingsDb, type SettingsDatabase } from './settings-db';

type CategoryChange = Required<PutCategorySettingsRequest['categories'][number]>;

async function read(k: Kysely<SettingsDatabase>): Promise<CategorySettingDto[]> {
  const rows = await selectCategorySettings(k);
  const byCategory = new Map(rows.map((r) => [r.category, r]));
  return TICKET_CATEGORIES.map((category) => {
    const row = byCategory.get(category);
    return { category, label: row?.label ?? defaultCategoryLabel(category), enabled: row ? row.enabled === 1 : true };
  });
}

/** Every ticket category with its label and whether it is offered, in TICKET_CATEGORIES order. */
export async function listCategorySettings(db: Db): Promise<CategorySettingDto[]> {
  return read(settingsDb(db));
}

/** The category a ticket gets when its device names none: "other" while it is offered, else the first one offered. */
export async function defaultTicketCategory(db: Db): Promise<TicketCategory> {
  const offered = (await listCategorySettings(db)).filter((c) => c.enabled).map((c) => c.category);
  return offered.includes('other') ? 'other' : (offered[0] ?? 'other');
}

/** Applies the listed changes; 422 no_category_enabled if none would stay enabled. */
export async function putCategorySettings(
  db: Db,
  changes: CategoryChange[],
  now: number,
): Promise<CategorySettingDto[]> {
  return settingsDb(db)
    .transaction()
    .execute(async (trx) => {
      for (const change of changes) {
        const values = { label: change.label, enabled: change.enabled ? 1 : 0, updated_at: now };
        await upsertCategorySetting(trx, change.category, values);
      }
      const after = await read(trx);
      // Throwing rolls the whole change back: the employee's form always has a category to pick.
      if (!after.some((c) => c.enabled))
        throw unprocessable('no_category_enabled', 'Keep at least one category enabled');
      return after;
    });
}
