import { deviceOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { getDevice, listDevices } from './devices.service';
import { diffSnapshot, getSnapshot, listDeviceSnapshots, storeSnapshot, storeSnapshotDelta } from './snapshots.service';

/** Device inventory, periodic snapshots, snapshot history and diffs. */
export async function deviceRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'uploadSnapshot', async (request, reply) =>
    reply.status(201).send(await storeSnapshot(ctx, deviceOf(request).id, request.body)),
  );

  serve(app, ctx, 'uploadSnapshotDelta', async (request, reply) =>
    reply.status(201).send(await storeSnapshotDelta(ctx, deviceOf(request).id, request.body)),
  );

  serve(app, ctx, 'listDevices', async (request) => listDevices(ctx, request.query));

  serve(app, ctx, 'getDevice', async (request) => getDevice(ctx, request.params.id));

  serve(app, ctx, 'listDeviceSnapshots', async (request) => listDeviceSnapshots(ctx, request.params.id, request.query));

  serve(app, ctx, 'getSnapshot', async (request) => getSnapshot(ctx, request.params.id));

  serve(app, ctx, 'diffSnapshot', async (request) => diffSnapshot(ctx, request.params.id, request.query.against));
}
