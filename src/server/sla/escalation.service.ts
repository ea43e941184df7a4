import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import {
  escalationActionSchema,
  escalationTriggerSchema,
  type EscalationAction,
  type EscalationRuleDto,
  type EscalationTrigger,
} from '../../shared/api/sla';
import { prioritySchema, raisePriority, type Priority } from '../../shared/priority';
import type { Dialect } from '../db/database';
import type { Database, EscalationRulesTable, TicketsTable } from '../db/schema';
import { recordTicketEvents } from '../tickets/ticket-events';

/** An escalation rule with its JSON columns parsed. */
export interface EscalationRule {
  id: number;
  name: string;
  trigger: EscalationTrigger;
  /** Empty: every priority. */
  priorities: Priority[];
  action: EscalationAction;
  enabled: boolean;
  createdAt: number;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Parses a stored rule; a hand-edited row that no longer validates is disabled or only notes, rather than failing the job. */
export function toEscalationRule(row: Selectable<EscalationRulesTable>): EscalationRule {
  const trigger = escalationTriggerSchema.safeParse(row.trigger);
  const priorities = prioritySchema.array().safeParse(parseJson(row.priorities));
  const action = escalationActionSchema.safeParse(parseJson(row.action));
  return {
    id: row.id,
    name: row.name,
    trigger: trigger.success ? trigger.data : 'resolution_breach',
    priorities: priorities.success ? priorities.data : [],
    action: action.success ? action.data : { notify: `rule ${row.id} has an invalid action` },
    // A rule whose trigger cannot be read must not fire on some other trigger.
    enabled: row.enabled === 1 && trigger.success,
    createdAt: row.created_at,
  };
}

/** The rule as the API shows it. */
export function toEscalationRuleDto(r: EscalationRule): EscalationRuleDto {
  return {
    id: r.id,
    name: r.name,
    trigger: r.trigger,
    priorities: r.priorities,
    action: r.action,
    enabled: r.enabled,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

/** Enabled rules, oldest first (the order they apply in). */
export async function loadEnabledRules(db: Kysely<Database>): Promise<EscalationRule[]> {
  const rows = await db.selectFrom('escalation_rules').selectAll().where('enabled', '=', 1).orderBy('id').execute();
  return rows.map(toEscalationRule);
}

/** Whether a rule fires for this trigger on a ticket of this priority. */
export const ruleMatches = (rule: EscalationRule, trigger: EscalationTrigger, priority: Priority): boolean =>
  rule.enabled && rule.trigger === trigger && (rule.priorities.length === 0 || rule.priorities.includes(priority));

/** One escalation step: what changes and who or what asked for it. */
export interface EscalationStep {
  assignGroup?: string;
  raisePriority?: boolean;
  /** Recorded in the 'escalated' event as it is: rule name, trigger, note, notify text. */
  details: Record<string, unknown>;
  actorType: 'staff' | 'system';
  actorId: string | number | null;
}

/**
 * Escalates a ticket one level inside the caller's transaction: a new group clears the assignee
 * (the new tier picks it up), a raised priority goes one step up, and an 'escalated' event records
 * it. The row is locked first on PostgreSQL so two escalations never raise from the same priority.
 * Due times stay as they are: a raised priority must not make the ticket breach its SLA retroactively.
 */
export async function escalateInTransaction(
  trx: Transaction<Database>,
  dialect: Dialect,
  ticketId: number,
  step: EscalationStep,
  now: number,
): Promise<void> {
  const t = await trx
    .selectFrom('tickets')
    .select(['priority', 'group_name', 'assignee_id', 'escalation_level'])
    .where('id', '=', ticketId)
    .$if(dialect === 'postgres', (qb) => qb.forUpdate())
    .executeTakeFirstOrThrow();
  const set: Updateable<TicketsTable> = { escalation_level: t.escalation_level + 1, updated_at: now };
  const data: Record<string, unknown> = { ...step.details, level: t.escalation_level + 1 };
  if (step.assignGroup !== undefined && step.assignGroup !== t.group_name) {
    set.group_name = step.assignGroup;
    set.assignee_id = null;
    data.group = { from: t.group_name, to: step.assignGroup };
    if (t.assignee_id !== null) data.unassigned = t.assignee_id;
  }
  if (step.raisePriority) {
    const raised = raisePriority(t.priority);
    if (raised !== t.priority) {
      set.priority = raised;
      data.priority = { from: t.priority, to: raised };
    }
  }
  await trx.updateTable('tickets').set(set).where('id', '=', ticketId).execute();
  await recordTicketEvents(trx, [
    { ticketId, type: 'escalated', actorType: step.actorType, actorId: step.actorId, data, at: now },
  ]);
}
