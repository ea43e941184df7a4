import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { checkHistory, deviceBandwidth, requestBandwidth, ticketNetworkSummary } from './netmon-history.service';

/** Network records: a ticket's stored 24 hours, a device's bandwidth tests (and asking for one), a check's history. */
export async function netmonHistoryRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'getTicketNetmonSummary', async (request) => ticketNetworkSummary(ctx, request.params.id));
  serve(app, ctx, 'getDeviceBandwidth', async (request) => deviceBandwidth(ctx, request.params.id));
  serve(app, ctx, 'requestDeviceBandwidth', async (request, reply) =>
    reply.status(202).send(await requestBandwidth(ctx, request.params.id)),
  );
  serve(app, ctx, 'getNetmonCheckHistory', async (request) =>
    checkHistory(ctx, request.params.slug, request.query.days),
  );
}
