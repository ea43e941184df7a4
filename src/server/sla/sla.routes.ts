import { z } from 'zod';
import { apiErrorSchema } from '../../shared/api/errors';
import {
  createEscalationRuleRequestSchema,
  escalationRuleSchema,
  escalationRulesResponseSchema,
  putSlaPolicyRequestSchema,
  slaPoliciesResponseSchema,
  slaPolicySchema,
  updateEscalationRuleRequestSchema,
} from '../../shared/api/sla';
import { audit } from '../audit/audit.service';
import { requireStaff, staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { notFound } from '../errors';
import type { App } from '../http/types';
import { businessHoursSchema } from './business-hours';
import { toEscalationRule, toEscalationRuleDto } from './escalation.service';
import {
  ensureDefaultSlaPolicies,
  invalidateSlaPolicies,
  loadSlaPolicies,
  toSlaPolicy,
  toSlaPolicyDto,
} from './sla.service';

const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema };

// The shared schema checks the calendar's shape; only the server knows the IANA zone database.
const putPolicyBody = putSlaPolicyRequestSchema.superRefine((p, issues) => {
  if (p.businessHours === null) return;
  const parsed = businessHoursSchema.safeParse(p.businessHours);
  if (parsed.success) return;
  for (const issue of parsed.error.issues)
    issues.addIssue({ code: 'custom', path: ['businessHours', ...issue.path.map(String)], message: issue.message });
});

const ruleNotFound = () => notFound('Escalation rule', 'escalation_rule_not_found');

/** SLA policies and escalation rules: technicians read them, administrators change them (audited). */
export async function slaRoutes(app: App, ctx: ServerContext): Promise<void> {
  await ensureDefaultSlaPolicies(ctx.db, ctx.now());
  const staff = requireStaff(ctx);
  const admin = requireStaff(ctx, 'admin');

  app.get(
    '/api/v1/sla/policies',
    {
      onRequest: staff,
      schema: {
        tags: ['sla'],
        summary: 'SLA policies, one per priority',
        security: [{ staff: [] }],
        response: { 200: slaPoliciesResponseSchema, 401: apiErrorSchema },
      },
    },
    async () => ({ policies: (await loadSlaPolicies(ctx.db)).map(toSlaPolicyDto) }),
  );

  app.put(
    '/api/v1/sla/policies',
    {
      onRequest: admin,
      schema: {
        tags: ['sla'],
        summary: "Replace one priority's SLA policy (admin); tickets filed from now on use it",
        security: [{ staff: [] }],
        body: putPolicyBody,
        response: { 200: slaPolicySchema, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      const values = {
        first_response_minutes: b.firstResponseMinutes,
        resolution_minutes: b.resolutionMinutes,
        business_hours: b.businessHours === null ? null : JSON.stringify(businessHoursSchema.parse(b.businessHours)),
        warning_percent: b.warningPercent,
        updated_at: ctx.now(),
      };
      const before = await ctx.db.kysely
        .selectFrom('sla_policies')
        .selectAll()
        .where('priority', '=', b.priority)
        .executeTakeFirst();
      const row = await ctx.db.kysely
        .insertInto('sla_policies')
        .values({ priority: b.priority, ...values })
        .onConflict((oc) => oc.column('priority').doUpdateSet(values))
        .returningAll()
        .executeTakeFirstOrThrow();
      invalidateSlaPolicies(ctx.db);
      const policy = toSlaPolicyDto(toSlaPolicy(row));
      await audit(ctx, {
        actorType: 'staff',
        actorId: staffOf(request).id,
        action: 'sla.policy.update',
        targetType: 'sla_policy',
        targetId: row.id,
        details: { priority: b.priority, before: before ? toSlaPolicyDto(toSlaPolicy(before)) : null, after: policy },
        ip: request.ip,
      });
      return policy;
    },
  );

  app.get(
    '/api/v1/sla/escalation-rules',
    {
      onRequest: staff,
      schema: {
        tags: ['sla'],
        summary: 'Escalation rules, oldest first',
        security: [{ staff: [] }],
        response: { 200: escalationRulesResponseSchema, 401: apiErrorSchema },
      },
    },
    async () => {
      const rows = await ctx.db.kysely.selectFrom('escalation_rules').selectAll().orderBy('id').execute();
      return { rules: rows.map((r) => toEscalationRuleDto(toEscalationRule(r))) };
    },
  );

  app.post(
    '/api/v1/sla/escalation-rules',
    {
      onRequest: admin,
      schema: {
        tags: ['sla'],
        summary: 'Create an escalation rule (admin)',
        security: [{ staff: [] }],
        body: createEscalationRuleRequestSchema,
        response: { 201: escalationRuleSchema, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const row = await ctx.db.kysely
        .insertInto('escalation_rules')
        .values({
          name: b.name,
          trigger: b.trigger,
          priorities: JSON.stringify(b.priorities),
          action: JSON.stringify(b.action),
          enabled: b.enabled ? 1 : 0,
          created_at: ctx.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const rule = toEscalationRuleDto(toEscalationRule(row));
      await audit(ctx, {
        actorType: 'staff',
        actorId: staffOf(request).id,
        action: 'sla.rule.create',
        targetType: 'escalation_rule',
        targetId: row.id,
        details: { rule },
        ip: request.ip,
      });
      return reply.status(201).send(rule);
    },
  );

  app.patch(
    '/api/v1/sla/escalation-rules/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['sla'],
        summary: 'Change an escalation rule (admin); an action given replaces the old one',
        security: [{ staff: [] }],
        params: idParams,
        body: updateEscalationRuleRequestSchema,
        response: { 200: escalationRuleSchema, ...errors, 404: apiErrorSchema },
      },
    },
    async (request) => {
      const b = request.body;
      const row = await ctx.db.kysely
        .updateTable('escalation_rules')
        .set({
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.trigger !== undefined ? { trigger: b.trigger } : {}),
          ...(b.priorities !== undefined ? { priorities: JSON.stringify(b.priorities) } : {}),
          ...(b.action !== undefined ? { action: JSON.stringify(b.action) } : {}),
          ...(b.enabled !== undefined ? { enabled: b.enabled ? 1 : 0 } : {}),
        })
        .where('id', '=', request.params.id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw ruleNotFound();
      const rule = toEscalationRuleDto(toEscalationRule(row));
      await audit(ctx, {
        actorType: 'staff',
        actorId: staffOf(request).id,
        action: 'sla.rule.update',
        targetType: 'escalation_rule',
        targetId: row.id,
        details: { fields: Object.keys(b), rule },
        ip: request.ip,
      });
      return rule;
    },
  );

  app.delete(
    '/api/v1/sla/escalation-rules/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['sla'],
        summary: 'Delete an escalation rule (admin)',
        security: [{ staff: [] }],
        params: idParams,
        response: { 204: z.null(), ...errors, 404: apiErrorSchema },
      },
    },
    async (request, reply) => {
      const row = await ctx.db.kysely
        .deleteFrom('escalation_rules')
        .where('id', '=', request.params.id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw ruleNotFound();
      await audit(ctx, {
        actorType: 'staff',
        actorId: staffOf(request).id,
        action: 'sla.rule.delete',
        targetType: 'escalation_rule',
        targetId: row.id,
        details: { rule: toEscalationRuleDto(toEscalationRule(row)) },
        ip: request.ip,
      });
      return reply.status(204).send(null);
    },
  );
}
