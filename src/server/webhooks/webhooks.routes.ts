import { audit } from '../audit/audit.service';
import { staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhook,
} from './webhooks.service';

/** Outgoing webhooks (administrators; changes audited, secrets never in the audit details). */
export async function webhookRoutes(app: App, ctx: ServerContext): Promise<void> {
  const log = (
    request: Parameters<typeof staffOf>[0],
    action: string,
    id: number,
    details: Record<string, unknown> = {},
  ) =>
    audit(ctx, {
      actorType: 'staff',
      actorId: staffOf(request).id,
      action,
      targetType: 'webhook',
      targetId: id,
      details,
      ip: request.ip,
    });

  serve(app, ctx, 'listWebhooks', async () => ({ webhooks: await listWebhooks(ctx) }));

  serve(app, ctx, 'createWebhook', async (request, reply) => {
    const hook = await createWebhook(ctx, request.body, staffOf(request).id);
    await log(request, 'webhook.create', hook.id, { name: hook.name, url: hook.url, events: hook.events });
    return reply.status(201).send(hook);
  });

  serve(app, ctx, 'updateWebhook', async (request) => {
    const hook = await updateWebhook(ctx, request.params.id, request.body);
    await log(request, 'webhook.update', hook.id, { fields: Object.keys(request.body) });
    return hook;
  });

  serve(app, ctx, 'deleteWebhook', async (request, reply) => {
    const removed = await deleteWebhook(ctx, request.params.id);
    await log(request, 'webhook.delete', removed.id, { name: removed.name });
    return reply.status(204).send(null);
  });

  serve(app, ctx, 'rotateWebhookSecret', async (request) => {
    const hook = await rotateWebhookSecret(ctx, request.params.id);
    await log(request, 'webhook.rotate_secret', hook.id);
    return hook;
  });

  serve(app, ctx, 'testWebhook', async (request) => sendTestEvent(ctx, request.params.id, staffOf(request).name));

  serve(app, ctx, 'listWebhookDeliveries', async (request) => ({
    deliveries: await listDeliveries(ctx, request.params.id, request.query),
  }));

  serve(app, ctx, 'redeliverWebhookDelivery', async (request, reply) => {
    const delivery = await redeliver(ctx, request.params.id);
    await log(request, 'webhook.redeliver', delivery.webhookId, { delivery: request.params.id });
    return reply.status(201).send(delivery);
  });
}
