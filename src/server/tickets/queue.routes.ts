import { staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { queuePage } from './queue.service';
import { listTicketEvents } from './ticket-history.service';
import { escalateTicket, updateTicket } from './ticket-update.service';
import { getTicket } from './tickets.service';

/** Staff queue, ticket view and updates, manual escalation, ticket history. */
export async function queueRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'listTickets', async (request) => queuePage(ctx.db, request.query, staffOf(request).id, ctx.now()));

  serve(app, ctx, 'getTicket', async (request) => getTicket(ctx, request.params.id));

  serve(app, ctx, 'updateTicket', async (request) =>
    updateTicket(ctx, request.params.id, request.body, staffOf(request), request.ip),
  );

  serve(app, ctx, 'escalateTicket', async (request) =>
    escalateTicket(ctx, request.params.id, request.body, staffOf(request), request.ip),
  );

  serve(app, ctx, 'listTicketEvents', async (request) =>
    listTicketEvents(ctx.db, request.params.id, request.query.after, request.query.limit),
  );
}
