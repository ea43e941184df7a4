import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Db, Dialect } from './database';
import * as core from './migrations/001-core';

type DialectMigration = { up(db: Kysely<unknown>, dialect: Dialect): Promise<void> };

/** Every migration, in order. Append; never edit one that has shipped. */
const MIGRATIONS: Record<string, DialectMigration> = {
  '001-core': core,
};

/** Brings the schema up to date; safe to run at every start and from several processes at once. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const provider: MigrationProvider = {
    async getMigrations() {
      return Object.fromEntries(
        Object.entries(MIGRATIONS).map(([name, m]): [string, Migration] => [name, { up: (k) => m.up(k, db.dialect) }]),
      );
    },
  };
  // Kysely's migrator takes a lock (an advisory lock on PostgreSQL), so concurrent starts are safe.
  const { error, results } = await new Migrator({ db: db.kysely as Kysely<unknown>, provider }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
