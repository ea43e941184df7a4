import { staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { affectedByTicket, checkSeries, deviceNetmon, fleetView } from './netmon-query.service';
import {
  forgetNetmonSettings,
  getNetmonSettings,
  getNetmonSites,
  saveNetmonSettings,
  saveNetmonSites,
} from './netmon-settings.service';
import { checkExists, listChecks, removeCheck, saveCheck } from './server-checks.service';

/** Network monitoring: IT's plan, sites and checks (admins change them), series, the fleet grid, who else is affected. */
export async function netmonRoutes(app: App, ctx: ServerContext): Promise<void> {
  const actor = (request: Parameters<typeof staffOf>[0]) => ({ staff: staffOf(request), ip: request.ip });
  // Another process changed the settings: this one reads them again.
  const unsubscribe = ctx.bus.subscribe((event) => {
    if ((event.kind === 'netmon' && event.what === 'config') || event.kind === 'resync') forgetNetmonSettings(ctx);
  });
  app.addHook('onClose', async () => unsubscribe());

  serve(app, ctx, 'getNetmonSettings', async () => getNetmonSettings(ctx));
  serve(app, ctx, 'putNetmonSettings', async (request) => saveNetmonSettings(ctx, actor(request), request.body));
  serve(app, ctx, 'getNetmonSites', async () => getNetmonSites(ctx));
  serve(app, ctx, 'putNetmonSites', async (request) => saveNetmonSites(ctx, actor(request), request.body));
  serve(app, ctx, 'getDeviceNetmon', async (request) => deviceNetmon(ctx, request.params.id, request.query.window));
  serve(app, ctx, 'getNetmonFleet', async () => fleetView(ctx));
  serve(app, ctx, 'getTicketNetmonAffected', async (request) =>
    affectedByTicket(ctx, request.params.id, request.query),
  );
  serve(app, ctx, 'listNetmonChecks', async () => listChecks(ctx));
  serve(app, ctx, 'putNetmonCheck', async (request, reply) => {
    const { check, created } = await saveCheck(ctx, actor(request), request.params.slug, request.body);
    return reply.status(created ? 201 : 200).send(check);
  });
  serve(app, ctx, 'deleteNetmonCheck', async (request, reply) => {
    await removeCheck(ctx, actor(request), request.params.slug);
    return reply.status(204).send(null);
  });
  serve(app, ctx, 'getNetmonCheckSeries', async (request) => {
    await checkExists(ctx, request.params.slug);
    return checkSeries(ctx, request.params.slug, request.query.window);
  });
}
