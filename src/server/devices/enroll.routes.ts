import { audit } from '../audit/audit.service';
import { deviceOf, staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { notFound } from '../errors';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { recordHeartbeat, revokeDevice } from './devices.service';
import { createEnrollSecret, listEnrollSecrets, revokeEnrollSecret } from './enroll-secrets.service';
import { enroll } from './enroll.service';

/** Device enrollment, heartbeat, token revocation, and enrollment-secret administration. */
export async function enrollRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'enroll', async (request, reply) => reply.status(201).send(await enroll(ctx, request.body)));

  serve(app, ctx, 'heartbeat', async (request) => recordHeartbeat(ctx, deviceOf(request).id, request.body));

  serve(app, ctx, 'revokeDevice', async (request, reply) => {
    await revokeDevice(ctx, request.params.deviceId);
    await audit(ctx, {
      actorType: 'staff',
      actorId: staffOf(request).id,
      action: 'device.revoke',
      targetType: 'device',
      targetId: request.params.deviceId,
      ip: request.ip,
    });
    return reply.status(204).send(null);
  });

  serve(app, ctx, 'listEnrollSecrets', async () => ({ secrets: await listEnrollSecrets(ctx.db) }));

  serve(app, ctx, 'createEnrollSecret', async (request, reply) => {
    const created = await createEnrollSecret(ctx.db, request.body.name, ctx.now());
    await audit(ctx, {
      actorType: 'staff',
      actorId: staffOf(request).id,
      action: 'enroll_secret.create',
      targetType: 'enroll_secret',
      targetId: created.id,
      ip: request.ip,
    });
    return reply.status(201).send(created);
  });

  serve(app, ctx, 'deleteEnrollSecret', async (request, reply) => {
    if (!(await revokeEnrollSecret(ctx.db, request.params.id, ctx.now()))) throw notFound('Enrollment secret');
    await audit(ctx, {
      actorType: 'staff',
      actorId: staffOf(request).id,
      action: 'enroll_secret.revoke',
      targetType: 'enroll_secret',
      targetId: request.params.id,
      ip: request.ip,
    });
    return reply.status(204).send(null);
  });
}
