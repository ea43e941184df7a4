import type { Generated, Kysely } from 'kysely';
import type { Db } from '../db/database';
import type { Database } from '../db/schema';

/** A support group (tier) from migration 003. */
export interface StaffGroupsTable {
  id: Generated<number>;
  name: string;
  tier: number;
  description: string;
  created_at: number;
  updated_at: number;
}

/** An administrator's label and availability for one ticket category (migration 003); absent = defaults. */
export interface CategorySettingsTable {
  category: string;
  label: string;
  /** 1 or 0. */
  enabled: number;
  updated_at: number;
}

/** The core tables plus the settings tables. */
export interface SettingsDatabase extends Database {
  staff_groups: StaffGroupsTable;
  category_settings: CategorySettingsTable;
}

/** The query builder typed with the settings tables (kept here so the core schema file stays untouched). */
export function settingsDb(db: Db): Kysely<SettingsDatabase> {
  return db.kysely as unknown as Kysely<SettingsDatabase>;
}
