import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { fleetDevices, fleetSoftware, fleetSummary } from './fleet.service';

/** Fleet queries for staff: the fleet by OS, health and finding; devices by those and by installed package. */
export async function fleetRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'fleetSummary', async () => fleetSummary(ctx));
  serve(app, ctx, 'fleetDevices', async (request) => fleetDevices(ctx, request.query));
  serve(app, ctx, 'fleetSoftware', async (request) => fleetSoftware(ctx, request.query));
}
