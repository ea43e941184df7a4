import { staffOf } from '../../auth/guards';
import type { ServerContext } from '../../context';
import { serve } from '../../http/endpoint';
import type { App } from '../../http/types';
import { createRule, listIncidents, listRules, removeRule, saveRule, ticketIncident } from './alerts.service';

/** Network alerts: rules (admins write), incidents, a ticket's incident. */
export async function netmonAlertRoutes(app: App, ctx: ServerContext): Promise<void> {
  const actor = (request: Parameters<typeof staffOf>[0]) => ({ staff: staffOf(request), ip: request.ip });
  serve(app, ctx, 'listNetmonAlertRules', async () => listRules(ctx));
  serve(app, ctx, 'createNetmonAlertRule', async (request, reply) =>
    reply.status(201).send(await createRule(ctx, actor(request), request.body)),
  );
  serve(app, ctx, 'putNetmonAlertRule', async (request) =>
    saveRule(ctx, actor(request), request.params.id, request.body),
  );
  serve(app, ctx, 'deleteNetmonAlertRule', async (request, reply) => {
    await removeRule(ctx, actor(request), request.params.id);
    return reply.status(204).send(null);
  });
  serve(app, ctx, 'listNetmonIncidents', async (request) => listIncidents(ctx, request.query));
  serve(app, ctx, 'getTicketIncident', async (request) => ticketIncident(ctx, request.params.id));
}
