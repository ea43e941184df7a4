import { deviceOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { linkFiledTicket } from '../netmon/alerts/alerts.service';
import { conversationRoutes } from './conversation.routes';
import { bodyDigestOf, hashRequestBody, idempotencyKeyOf } from './idempotency';
import { createTicket } from './ticket-create.service';
import { rateTicket, reopenTicket, solveTicket } from './ticket-lifecycle.service';
import { getDeviceTicket, listDeviceTickets } from './tickets.service';

/** Device and staff ticket endpoints: create with snapshot, conversation, updates, rating. */
export async function ticketRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(
    app,
    ctx,
    'createTicket',
    async (request, reply) => {
      const key = idempotencyKeyOf(request);
      const device = deviceOf(request);
      const { ticket, replay } = await createTicket(ctx, device, request.body, key, bodyDigestOf(request));
      // Filed while a network incident covers the device: linked to it and told (never fails the ticket).
      if (!replay)
        await linkFiledTicket(ctx, device.id, ticket.id).catch((err: unknown) =>
          ctx.log.warn({ err, ticketId: ticket.id }, 'linking the ticket to a network incident failed'),
        );
      // The device's last 24 hours of network are kept with the ticket by a feed consumer, off this path
      // (src/server/netmon/ticket-network.job.ts).
      if (replay) return reply.status(200).header('idempotent-replay', 'true').send(ticket);
      return reply.status(201).send(ticket);
    },
    {
      // Credentials (the device guard) and the key are checked before a large body is read, let alone parsed.
      onRequest: [async (request) => void idempotencyKeyOf(request)],
      preParsing: hashRequestBody,
    },
  );

  serve(app, ctx, 'listDeviceTickets', async (request) => listDeviceTickets(ctx, deviceOf(request).id));

  serve(app, ctx, 'getDeviceTicket', async (request) => getDeviceTicket(ctx, deviceOf(request).id, request.params.id));

  serve(app, ctx, 'solveTicket', async (request) => solveTicket(ctx, deviceOf(request), request.params.id));

  serve(app, ctx, 'reopenTicket', async (request) => reopenTicket(ctx, deviceOf(request), request.params.id));

  serve(app, ctx, 'rateTicket', async (request) =>
    rateTicket(ctx, deviceOf(request), request.params.id, request.body.satisfaction, request.body.comment),
  );

  await conversationRoutes(app, ctx);
}
