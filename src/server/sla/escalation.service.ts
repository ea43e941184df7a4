import type { Kysely, Transaction, Updateable } from 'kysely';
import type { z } from 'zod';
import {
  type createEscalationRuleRequestSchema,
  escalationActionSchema,
  escalationTriggerSchema,
  type EscalationAction,
  type EscalationRuleDto,
  type EscalationTrigger,
  type updateEscalationRuleRequestSchema,
} from '../../shared/api/sla';
import { prioritySchema, raisePriority, type Priority } from '../../shared/priority';
import { audit } from '../audit/audit.service';
import type { ServerContext } from '../context';
import type { Dialect } from '../db/database';
import type { Database, TicketsTable } from '../db/schema';
import { notFound } from '../errors';
import { recordTicketEvents } from '../tickets/ticket-events.repo';
import {
  deleteEscalationRuleRow,
  insertEscalationRule,
  selectEscalationRules,
  updateEscalationRuleRow,
  type EscalationRuleRow,
} from './escalation-rules.repo';
import { selectTicketForEscalation, updateEscalatedTicket } from './sla-tickets.repo';

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
export function toEscalationRule(row: EscalationRuleRow): EscalationRule {
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
  return (await selectEscalationRules(db, { enabledOnly: true })).map(toEscalationRule);
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
  const t = await selectTicketForEscalation(trx, dialect, ticketId);
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
  await updateEscalatedTicket(trx, ticketId, set);
  await recordTicketEvents(trx, [
    { ticketId, type: 'escalated', actorType: step.actorType, actorId: step.actorId, data, at: now },
  ]);
}

/** The staff member and address behind a change, for the audit log. */
export interface RuleActor {
  staffId: number;
  ip: string | null;
}

type Ctx = Pick<ServerContext, 'db' | 'now'>;
type CreateRuleInput = z.output<typeof createEscalationRuleRequestSchema>;
type UpdateRuleInput = z.output<typeof updateEscalationRuleRequestSchema>;

const ruleNotFound = () => notFound('Escalation rule', 'escalation_rule_not_found');

/** Every rule as the API shows it, oldest first. */
export async function listEscalationRules(ctx: Pick<ServerContext, 'db'>): Promise<EscalationRuleDto[]> {
  return (await selectEscalationRules(ctx.db.kysely)).map((r) => toEscalationRuleDto(toEscalationRule(r)));
}

/** Creates a rule (audited). */
export async function createEscalationRule(
  ctx: Ctx,
  actor: RuleActor,
  input: CreateRuleInput,
): Promise<EscalationRuleDto> {
  const row = await insertEscalationRule(ctx.db.kysely, {
    name: input.name,
    trigger: input.trigger,
    priorities: JSON.stringify(input.priorities),
    action: JSON.stringify(input.action),
    enabled: input.enabled ? 1 : 0,
    created_at: ctx.now(),
  });
  const rule = toEscalationRuleDto(toEscalationRule(row));
  await audit(ctx, {
    actorType: 'staff',
    actorId: actor.staffId,
    action: 'sla.rule.create',
    targetType: 'escalation_rule',
    targetId: row.id,
    details: { rule },
    ip: actor.ip,
  });
  return rule;
}

/** Changes a rule; an action given replaces the old one (audited; 404 escalation_rule_not_found). */
export async function updateEscalationRule(
  ctx: Ctx,
  actor: RuleActor,
  id: number,
  input: UpdateRuleInput,
): Promise<EscalationRuleDto> {
  const row = await updateEscalationRuleRow(ctx.db.kysely, id, {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.trigger !== undefined ? { trigger: input.trigger } : {}),
    ...(input.priorities !== undefined ? { priorities: JSON.stringify(input.priorities) } : {}),
    ...(input.action !== undefined ? { action: JSON.stringify(input.action) } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
  });
  if (!row) throw ruleNotFound();
  const rule = toEscalationRuleDto(toEscalationRule(row));
  await audit(ctx, {
    actorType: 'staff',
    actorId: actor.staffId,
    action: 'sla.rule.update',
    targetType: 'escalation_rule',
    targetId: row.id,
    details: { fields: Object.keys(input), rule },
    ip: actor.ip,
  });
  return rule;
}

/** Deletes a rule (audited with what it was; 404 escalation_rule_not_found). */
export async function deleteEscalationRule(ctx: Ctx, actor: RuleActor, id: number): Promise<void> {
  const row = await deleteEscalationRuleRow(ctx.db.kysely, id);
  if (!row) throw ruleNotFound();
  await audit(ctx, {
    actorType: 'staff',
    actorId: actor.staffId,
    action: 'sla.rule.delete',
    targetType: 'escalation_rule',
    targetId: row.id,
    details: { rule: toEscalationRuleDto(toEscalationRule(row)) },
    ip: actor.ip,
  });
}
