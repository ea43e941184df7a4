import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, ItAllowListTable, ItScriptsTable } from '../db/schema';

/* The it_allow_list and it_scripts tables (migration 015): IT's allow-list entries and scripts. */

type Executor = Kysely<Database> | Transaction<Database>;

export type AllowListRow = Selectable<ItAllowListTable>;
export type ScriptRow = Selectable<ItScriptsTable>;
export type AllowListKind = ItAllowListTable['kind'];

/** One list's entries, by id. */
export function selectAllowList(db: Executor, kind: AllowListKind): Promise<AllowListRow[]> {
  return db.selectFrom('it_allow_list').selectAll().where('kind', '=', kind).orderBy('id').execute();
}

export function selectAllowListEntry(db: Executor, kind: AllowListKind, id: string): Promise<AllowListRow | undefined> {
  return db.selectFrom('it_allow_list').selectAll().where('kind', '=', kind).where('id', '=', id).executeTakeFirst();
}

/** Inserts the entry, or changes it where its (kind, id) exists (created_at kept); answers the stored row. */
export async function upsertAllowListEntry(db: Executor, row: Insertable<ItAllowListTable>): Promise<AllowListRow> {
  await db
    .insertInto('it_allow_list')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['kind', 'id']).doUpdateSet({
        title: row.title,
        targets: row.targets,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .execute();
  return (await selectAllowListEntry(db, row.kind, row.id))!;
}

/** Removes an entry; answers whether there was one. */
export async function deleteAllowListEntry(db: Executor, kind: AllowListKind, id: string): Promise<boolean> {
  const result = await db.deleteFrom('it_allow_list').where('kind', '=', kind).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export function selectScripts(db: Executor): Promise<ScriptRow[]> {
  return db.selectFrom('it_scripts').selectAll().orderBy('slug').execute();
}

export function selectScript(db: Executor, slug: string): Promise<ScriptRow | undefined> {
  return db.selectFrom('it_scripts').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Inserts the script, or changes it where its slug exists (created_at kept); answers the stored row. */
export async function upsertScript(db: Executor, row: Insertable<ItScriptsTable>): Promise<ScriptRow> {
  const { slug: _slug, created_at: _created, ...changes } = row;
  await db
    .insertInto('it_scripts')
    .values(row)
    .onConflict((oc) => oc.column('slug').doUpdateSet(changes))
    .execute();
  return (await selectScript(db, row.slug))!;
}

export async function deleteScript(db: Executor, slug: string): Promise<boolean> {
  const result = await db.deleteFrom('it_scripts').where('slug', '=', slug).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
