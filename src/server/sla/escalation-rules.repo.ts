import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, EscalationRulesTable } from '../db/schema';

/* The escalation_rules table. */

export type EscalationRuleRow = Selectable<EscalationRulesTable>;

/** Every rule, oldest first; only the enabled ones when asked. */
export async function selectEscalationRules(
  db: Kysely<Database>,
  filter: { enabledOnly?: boolean } = {},
): Promise<EscalationRuleRow[]> {
  return db
    .selectFrom('escalation_rules')
    .selectAll()
    .$if(filter.enabledOnly === true, (qb) => qb.where('enabled', '=', 1))
    .orderBy('id')
    .execute();
}

export async function insertEscalationRule(
  db: Kysely<Database>,
  row: Insertable<EscalationRulesTable>,
): Promise<EscalationRuleRow> {
  return db.insertInto('escalation_rules').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The changed rule, or undefined when there is no rule with this id. */
export async function updateEscalationRuleRow(
  db: Kysely<Database>,
  id: number,
  set: Updateable<EscalationRulesTable>,
): Promise<EscalationRuleRow | undefined> {
  return db.updateTable('escalation_rules').set(set).where('id', '=', id).returningAll().executeTakeFirst();
}

/** The deleted rule, or undefined when there was none with this id. */
export async function deleteEscalationRuleRow(
  db: Kysely<Database>,
  id: number,
): Promise<EscalationRuleRow | undefined> {
  return db.deleteFrom('escalation_rules').where('id', '=', id).returningAll().executeTakeFirst();
}
