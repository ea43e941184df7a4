import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Priority } from '../../shared/priority';
import type { Database, SlaPoliciesTable } from '../db/schema';

/* The sla_policies table: one row per priority. */

export type SlaPolicyRow = Selectable<SlaPoliciesTable>;
/** The columns a policy change writes (everything but id and priority). */
export type SlaPolicyValues = Omit<Insertable<SlaPoliciesTable>, 'id' | 'priority'>;

/** Every policy, by priority. */
export async function selectSlaPolicies(db: Kysely<Database>): Promise<SlaPolicyRow[]> {
  return db.selectFrom('sla_policies').selectAll().orderBy('priority').execute();
}

/** The policy of one priority, if there is one. */
export async function selectSlaPolicy(db: Kysely<Database>, priority: Priority): Promise<SlaPolicyRow | undefined> {
  return db.selectFrom('sla_policies').selectAll().where('priority', '=', priority).executeTakeFirst();
}

/** Writes the policy of a priority, replacing the one there was. */
export async function upsertSlaPolicy(
  db: Kysely<Database>,
  priority: Priority,
  values: SlaPolicyValues,
): Promise<SlaPolicyRow> {
  return db
    .insertInto('sla_policies')
    .values({ priority, ...values })
    .onConflict((oc) => oc.column('priority').doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Whether any policy is stored. */
export async function hasSlaPolicies(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('sla_policies').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Inserts policies; a priority that already has one keeps it (a lost seeding race is a no-op). */
export async function insertMissingSlaPolicies(
  db: Kysely<Database>,
  rows: ReadonlyArray<Insertable<SlaPoliciesTable>>,
): Promise<void> {
  await db
    .insertInto('sla_policies')
    .values([...rows])
    .onConflict((oc) => oc.column('priority').doNothing())
    .execute();
}
