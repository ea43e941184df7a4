import type { Kysely, Selectable } from 'kysely';
import type { CategorySettingsTable, SettingsDatabase } from './settings-db';

/* The category_settings table: one row per category an administrator changed. */

export async function selectCategorySettings(
  db: Kysely<SettingsDatabase>,
): Promise<Selectable<CategorySettingsTable>[]> {
  return db.selectFrom('category_settings').selectAll().execute();
}

/** Sets a category's label and availability. */
export async function upsertCategorySetting(
  db: Kysely<SettingsDatabase>,
  category: string,
  values: { label: string; enabled: number; updated_at: number },
): Promise<void> {
  await db
    .insertInto('category_settings')
    .values({ category, ...values })
    .onConflict((oc) => oc.column('category').doUpdateSet(values))
    .execute();
}
