import type { FastifyRequest } from 'fastify';
import { staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import {
  createEscalationRule,
  deleteEscalationRule,
  listEscalationRules,
  updateEscalationRule,
  type RuleActor,
} from './escalation.service';
import { ensureDefaultSlaPolicies, listSlaPolicies, replaceSlaPolicy } from './sla.service';

/** The administrator behind a change, for the audit log. */
const actorOf = (request: FastifyRequest): RuleActor => ({ staffId: staffOf(request).id, ip: request.ip });

/** SLA policies and escalation rules: technicians read them, administrators change them (audited). */
export async function slaRoutes(app: App, ctx: ServerContext): Promise<void> {
  await ensureDefaultSlaPolicies(ctx.db, ctx.now());

  serve(app, ctx, 'listSlaPolicies', async () => ({ policies: await listSlaPolicies(ctx) }));
  serve(app, ctx, 'replaceSlaPolicies', async (request) => replaceSlaPolicy(ctx, actorOf(request), request.body));

  serve(app, ctx, 'listEscalationRules', async () => ({ rules: await listEscalationRules(ctx) }));
  serve(app, ctx, 'createEscalationRule', async (request, reply) =>
    reply.status(201).send(await createEscalationRule(ctx, actorOf(request), request.body)),
  );
  serve(app, ctx, 'updateEscalationRule', async (request) =>
    updateEscalationRule(ctx, actorOf(request), request.params.id, request.body),
  );
  serve(app, ctx, 'deleteEscalationRule', async (request, reply) => {
    await deleteEscalationRule(ctx, actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}
