import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Settings administrators keep in the console: the registry of support groups (tiers) whose names
 * staff_users.group_name and tickets.group_name carry, and per-category labels and availability.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const pgsql = dialect === 'postgres';
  const big = pgsql ? 'bigint' : 'integer';
  await db.schema
    .createTable('staff_groups')
    .addColumn('id', pgsql ? 'bigserial' : 'integer', (c) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('tier', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('category_settings')
    .addColumn('category', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
}
