import { staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { cancelCommand, listDeviceCommands, listTicketCommands, requestCommand } from './commands.service';

/** Remote actions: technicians request them on a ticket's device, list them, cancel what is still queued. */
export async function commandRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'requestCommand', async (request, reply) =>
    reply.status(201).send(await requestCommand(ctx, staffOf(request), request.params.id, request.body, request.ip)),
  );

  serve(app, ctx, 'listTicketCommands', async (request) => listTicketCommands(ctx, request.params.id, request.query));

  serve(app, ctx, 'listDeviceCommands', async (request) => listDeviceCommands(ctx, request.params.id, request.query));

  serve(app, ctx, 'cancelCommand', async (request) =>
    cancelCommand(ctx, staffOf(request), request.params.id, request.ip),
  );
}
