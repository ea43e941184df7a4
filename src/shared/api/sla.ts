import { z } from 'zod';
import { text } from '../text/text-schema';
import { prioritySchema } from '../priority';
import {
  ESCALATION_NOTIFY_MAX,
  ESCALATION_RULE_NAME_MAX,
  ESCALATION_TRIGGERS,
  isKnownTimeZone,
  SLA_TARGET_MINUTES_MAX,
  SLA_WARNING_PERCENT_MAX,
  SLA_WARNING_PERCENT_MIN,
} from '../sla-fields';
import { endpointGroup } from './endpoint';

/*
 * SLA policies, escalation rules and the staff-side ticket actions that go with them (manual
 * escalation, ticket history).
 */

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

const clockMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Staffed hours: ISO weekdays (1 = Monday), 'HH:MM' local times in an IANA zone, holiday dates. The
 * checks are those of the server's calendar (src/server/sla/business-hours.ts): a known zone, days
 * that do not repeat, an end after the start.
 */
export const businessHoursInputSchema = z
  .object({
    timezone: text()
      .trim()
      .min(1)
      .max(64)
      .refine((zone) => isKnownTimeZone(zone), { message: 'Unknown IANA time zone' }),
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .max(7)
      .refine((days) => new Set(days).size === days.length, { message: 'Days must not repeat' }),
    start: text().regex(CLOCK, 'Expected HH:MM'),
    end: text().regex(CLOCK, 'Expected HH:MM'),
    holidays: z.array(z.iso.date()).max(400).default([]),
  })
  .strict()
  .refine(
    // Malformed times already carry their own issue; only compare well-formed ones.
    (c) => !CLOCK.test(c.start) || !CLOCK.test(c.end) || clockMinutes(c.end) > clockMinutes(c.start),
    { message: 'end must be after start', path: ['end'] },
  );

/** An SLA policy as the API shows it; `businessHours: null` means around the clock. */
export const slaPolicySchema = z.object({
  id: z.number(),
  priority: prioritySchema,
  firstResponseMinutes: z.number(),
  resolutionMinutes: z.number(),
  businessHours: z
    .object({
      timezone: z.string(),
      days: z.array(z.number()),
      start: z.string(),
      end: z.string(),
      holidays: z.array(z.string()),
    })
    .nullable(),
  warningPercent: z.number(),
  updatedAt: z.string(),
});
export type SlaPolicyDto = z.infer<typeof slaPolicySchema>;

/** PUT /api/v1/sla/policies (admin): replaces the policy of one priority. */
export const putSlaPolicyRequestSchema = z
  .object({
    priority: prioritySchema,
    firstResponseMinutes: z.number().int().positive().max(SLA_TARGET_MINUTES_MAX),
    resolutionMinutes: z.number().int().positive().max(SLA_TARGET_MINUTES_MAX),
    businessHours: businessHoursInputSchema.nullable(),
    warningPercent: z.number().int().min(SLA_WARNING_PERCENT_MIN).max(SLA_WARNING_PERCENT_MAX).default(80),
  })
  .strict()
  .refine((p) => p.resolutionMinutes >= p.firstResponseMinutes, {
    message: 'must be at least firstResponseMinutes',
    path: ['resolutionMinutes'],
  });
export type PutSlaPolicyRequest = z.input<typeof putSlaPolicyRequestSchema>;

export const slaPoliciesResponseSchema = z.object({ policies: z.array(slaPolicySchema) });

export { ESCALATION_TRIGGERS };
/** The SLA transition that fires an escalation rule. */
export const escalationTriggerSchema = z.enum(ESCALATION_TRIGGERS);
export type EscalationTrigger = z.infer<typeof escalationTriggerSchema>;

/** What an escalation rule does; at least one of the three. */
export const escalationActionSchema = z
  .object({
    /** Moves the ticket to this group and clears the assignee. */
    assignGroup: text().trim().min(1).max(64).optional(),
    /** Raises the priority one step (p1 stays p1). */
    raisePriority: z.boolean().optional(),
    /** Free text recorded in the ticket history. */
    notify: text().trim().min(1).max(ESCALATION_NOTIFY_MAX).optional(),
  })
  .strict()
  .refine(
    (a) => a.assignGroup !== undefined || a.raisePriority === true || a.notify !== undefined,
    'give at least one action: assignGroup, raisePriority or notify',
  );
export type EscalationAction = z.infer<typeof escalationActionSchema>;

export const escalationRuleSchema = z.object({
  id: z.number(),
  name: z.string(),
  trigger: escalationTriggerSchema,
  /** Priorities the rule applies to; empty means all. */
  priorities: z.array(prioritySchema),
  action: z.object({
    assignGroup: z.string().optional(),
    raisePriority: z.boolean().optional(),
    notify: z.string().optional(),
  }),
  enabled: z.boolean(),
  createdAt: z.string(),
});
export type EscalationRuleDto = z.infer<typeof escalationRuleSchema>;

const ruleFields = {
  name: text().trim().min(1).max(ESCALATION_RULE_NAME_MAX),
  trigger: escalationTriggerSchema,
  priorities: z
    .array(prioritySchema)
    .max(4)
    .refine((p) => new Set(p).size === p.length, 'priorities must not repeat'),
  action: escalationActionSchema,
  enabled: z.boolean(),
};

/** POST /api/v1/sla/escalation-rules (admin) */
export const createEscalationRuleRequestSchema = z
  .object({ ...ruleFields, priorities: ruleFields.priorities.default([]), enabled: ruleFields.enabled.default(true) })
  .strict();

/** PATCH /api/v1/sla/escalation-rules/:id (admin) */
export const updateEscalationRuleRequestSchema = z
  .object(ruleFields)
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');

export const escalationRulesResponseSchema = z.object({ rules: z.array(escalationRuleSchema) });

/** `:id` of an escalation rule. */
export const escalationRuleIdParamsSchema = z.object({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** POST /api/v1/tickets/:id/escalate (staff): one level up, optionally to another group or priority. */
export const escalateTicketRequestSchema = z
  .object({
    group: text().trim().min(1).max(64).optional(),
    raisePriority: z.boolean().default(false),
    note: text().trim().min(1).max(2000).optional(),
  })
  .strict();

/** One entry of a ticket's history. */
export const ticketEventSchema = z.object({
  id: z.number(),
  type: z.string(),
  actor: z.object({
    type: z.enum(['staff', 'device', 'system']),
    id: z.string().nullable(),
    name: z.string().nullable(),
  }),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type TicketEventDto = z.infer<typeof ticketEventSchema>;

/** GET /api/v1/tickets/:id/events?after=&limit= */
export const ticketEventsQuerySchema = z.object({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const ticketEventsResponseSchema = z.object({
  events: z.array(ticketEventSchema),
  nextCursor: z.number().nullable(),
});

export const slaEndpoints = endpointGroup('sla', {
  listSlaPolicies: {
    summary: 'SLA policies, one per priority',
    responses: { 200: slaPoliciesResponseSchema },
  },
  replaceSlaPolicies: {
    summary: "Replace one priority's SLA policy (admin); tickets filed from now on use it",
    body: putSlaPolicyRequestSchema,
    responses: { 200: slaPolicySchema },
  },
  listEscalationRules: {
    summary: 'Escalation rules, oldest first',
    responses: { 200: escalationRulesResponseSchema },
  },
  createEscalationRule: {
    summary: 'Create an escalation rule (admin)',
    body: createEscalationRuleRequestSchema,
    responses: { 201: escalationRuleSchema },
  },
  updateEscalationRule: {
    summary: 'Change an escalation rule (admin); an action given replaces the old one',
    params: escalationRuleIdParamsSchema,
    body: updateEscalationRuleRequestSchema,
    responses: { 200: escalationRuleSchema },
    errors: [404],
  },
  deleteEscalationRule: {
    summary: 'Delete an escalation rule (admin)',
    params: escalationRuleIdParamsSchema,
    responses: { 204: z.null() },
    errors: [404],
  },
});
