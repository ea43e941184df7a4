import type { Selectable, Updateable } from 'kysely';
import type { MailKysely, MailSettingsTable, MailTemplatesTable } from './mail-db';

/* mail_settings (one row, id 1), mail_templates and mail_preferences. */

export type MailSettingsRow = Selectable<MailSettingsTable>;

export function selectMailSettings(db: MailKysely): Promise<MailSettingsRow | undefined> {
  return db.selectFrom('mail_settings').selectAll().where('id', '=', 1).executeTakeFirst();
}

/** Creates the row with its link secret unless another process did first. */
export async function insertMailSettings(db: MailKysely, linkSecret: string, now: number): Promise<void> {
  await db
    .insertInto('mail_settings')
    .values({ id: 1, link_secret: linkSecret, updated_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function updateMailSettings(db: MailKysely, set: Updateable<MailSettingsTable>): Promise<void> {
  await db.updateTable('mail_settings').set(set).where('id', '=', 1).execute();
}

export function selectTemplates(db: MailKysely): Promise<Selectable<MailTemplatesTable>[]> {
  return db.selectFrom('mail_templates').selectAll().execute();
}

export async function upsertTemplate(db: MailKysely, row: MailTemplatesTable): Promise<void> {
  await db
    .insertInto('mail_templates')
    .values(row)
    .onConflict((oc) =>
      oc.column('kind').doUpdateSet({ subject: row.subject, body: row.body, updated_at: row.updated_at }),
    )
    .execute();
}

export async function deleteTemplate(db: MailKysely, kind: string): Promise<void> {
  await db.deleteFrom('mail_templates').where('kind', '=', kind).execute();
}

/** The kinds an owner (`staff:<id>`, `employee:<address>`) switched, with their state. */
export async function selectPreferences(db: MailKysely, owner: string): Promise<Map<string, boolean>> {
  const rows = await db.selectFrom('mail_preferences').select(['kind', 'enabled']).where('owner', '=', owner).execute();
  return new Map(rows.map((r) => [r.kind, r.enabled === 1]));
}

export async function upsertPreference(
  db: MailKysely,
  owner: string,
  kind: string,
  enabled: boolean,
  now: number,
): Promise<void> {
  await db
    .insertInto('mail_preferences')
    .values({ owner, kind, enabled: enabled ? 1 : 0, updated_at: now })
    .onConflict((oc) => oc.columns(['owner', 'kind']).doUpdateSet({ enabled: enabled ? 1 : 0, updated_at: now }))
    .execute();
}
