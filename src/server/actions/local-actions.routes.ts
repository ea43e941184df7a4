import { deviceOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { listDeviceLocalActions, recordLocalAction } from './local-actions.service';

/** Fix-it runs: a device records what its employee ran; technicians list them on the device page. */
export async function localActionRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'recordLocalAction', async (request, reply) => {
    const { status, run } = await recordLocalAction(ctx, deviceOf(request).id, request.body, request.ip);
    return reply.status(status).send(run);
  });

  serve(app, ctx, 'listDeviceLocalActions', async (request) =>
    listDeviceLocalActions(ctx, request.params.id, request.query),
  );
}
