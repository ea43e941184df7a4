import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  createWebhookRequestSchema,
  updateWebhookRequestSchema,
  WebhookDeliveryDto,
  WebhookDto,
  WebhookWithSecretDto,
  webhookDeliveriesQuerySchema,
} from '../../shared/api/webhooks';
import type { WebhookEvent } from '../../shared/integrations';
import { randomToken } from '../auth/crypto';
import type { ServerContext } from '../context';
import { parseStringArray } from '../db/json-columns';
import { conflict, notFound } from '../errors';
import { attemptDelivery } from './webhook-delivery.service';
import { consoleBaseUrl, envelopeOf } from './webhook-enqueue';
import {
  claimForRetry,
  deleteWebhookRow,
  insertDelivery,
  insertWebhook,
  selectDeliveries,
  selectDelivery,
  selectLatestDeliveries,
  selectWebhook,
  selectWebhooks,
  updateWebhookRow,
  type DeliveryRow,
  type WebhookRow,
} from './webhooks.repo';

/* Webhooks as administrators manage them: CRUD, the secret (shown at create and rotate), test, log, redeliver. */

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** `whsec_` + 32 random bytes: recognisable in a config file, like the API tokens' prefix. */
const newSecret = () => `whsec_${randomToken(32)}`;

export function deliveryDto(r: DeliveryRow): WebhookDeliveryDto {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    event: r.event,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: iso(r.next_attempt_at),
    lastAttemptAt: iso(r.last_attempt_at),
    responseStatus: r.response_status,
    responseExcerpt: r.response_excerpt,
    durationMs: r.duration_ms,
    error: r.error,
    createdAt: iso(r.created_at)!,
  };
}

function webhookDto(r: WebhookRow, latest?: DeliveryRow): WebhookDto {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    format: r.format,
    events: parseStringArray(r.events) as WebhookEvent[],
    active: r.active === 1,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    lastDelivery: latest
      ? {
          status: latest.status,
          at: iso(latest.last_attempt_at ?? latest.created_at)!,
          responseStatus: latest.response_status,
        }
      : null,
  };
}

async function webhookOr404(ctx: ServerContext, id: number): Promise<WebhookRow> {
  const row = await selectWebhook(ctx.db.kysely, id);
  if (!row) throw notFound('Webhook', 'webhook_not_found');
  return row;
}

export async function listWebhooks(ctx: ServerContext): Promise<WebhookDto[]> {
  const [rows, latest] = await Promise.all([selectWebhooks(ctx.db.kysely), selectLatestDeliveries(ctx.db.kysely)]);
  return rows.map((r) => webhookDto(r, latest.get(r.id)));
}

export async function createWebhook(
  ctx: ServerContext,
  body: z.output<typeof createWebhookRequestSchema>,
  by: number,
): Promise<WebhookWithSecretDto> {
  const now = ctx.now();
  const secret = newSecret();
  const row = await insertWebhook(ctx.db.kysely, {
    name: body.name,
    url: body.url,
    format: body.format,
    events: JSON.stringify(body.events),
    secret,
    active: body.active ? 1 : 0,
    created_at: now,
    updated_at: now,
    created_by: by,
  });
  return { ...webhookDto(row), secret };
}

export async function updateWebhook(
  ctx: ServerContext,
  id: number,
  body: z.output<typeof updateWebhookRequestSchema>,
): Promise<WebhookDto> {
  await webhookOr404(ctx, id);
  const row = await updateWebhookRow(ctx.db.kysely, id, {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.url !== undefined ? { url: body.url } : {}),
    ...(body.format !== undefined ? { format: body.format } : {}),
    ...(body.events !== undefined ? { events: JSON.stringify(body.events) } : {}),
    ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
    updated_at: ctx.now(),
  });
  if (!row) throw notFound('Webhook', 'webhook_not_found');
  return webhookDto(row);
}

export async function deleteWebhook(ctx: ServerContext, id: number): Promise<WebhookRow> {
  const row = await webhookOr404(ctx, id);
  await deleteWebhookRow(ctx.db.kysely, id);
  return row;
}

export async function rotateWebhookSecret(ctx: ServerContext, id: number): Promise<WebhookWithSecretDto> {
  await webhookOr404(ctx, id);
  const secret = newSecret();
  const row = await updateWebhookRow(ctx.db.kysely, id, { secret, updated_at: ctx.now() });
  return { ...webhookDto(row!), secret };
}

/** A test event, attempted at once (then retried like any delivery if the receiver failed). */
export async function sendTestEvent(ctx: ServerContext, id: number, by: string): Promise<WebhookDeliveryDto> {
  const hook = await webhookOr404(ctx, id);
  const now = ctx.now();
  const sourceId = `test:${randomUUID()}`;
  const envelope = envelopeOf({
    type: 'webhook.test',
    sourceId,
    at: now,
    summary: `Test event from Deskside: webhook "${hook.name}" works`,
    url: `${consoleBaseUrl(ctx)}/admin/settings`,
    data: { webhook: { id: hook.id, name: hook.name }, sentBy: by },
  });
  const row = await insertDelivery(ctx.db.kysely, {
    webhook_id: hook.id,
    event: 'webhook.test',
    source_id: sourceId,
    payload: JSON.stringify(envelope),
    status: 'pending',
    next_attempt_at: null,
    created_at: now,
  });
  return deliveryDto(await attemptFresh(ctx, row!, hook));
}

/** A fresh delivery row is attempted in the request; until it is, no pass can take it (no next time). */
async function attemptFresh(ctx: ServerContext, row: DeliveryRow, hook: WebhookRow): Promise<DeliveryRow> {
  return attemptDelivery(ctx, row, hook, { timeoutMs: 5_000 });
}

export async function listDeliveries(
  ctx: ServerContext,
  id: number,
  query: z.output<typeof webhookDeliveriesQuerySchema>,
): Promise<WebhookDeliveryDto[]> {
  await webhookOr404(ctx, id);
  return (await selectDeliveries(ctx.db.kysely, id, query)).map(deliveryDto);
}

/**
 * Sends a delivery again now: one that has not succeeded is attempted itself (a failed one gets one more
 * attempt); one that has gets a new delivery of the same event and body (same envelope id, so receivers
 * can still deduplicate).
 */
export async function redeliver(ctx: ServerContext, deliveryId: number): Promise<WebhookDeliveryDto> {
  const original = await selectDelivery(ctx.db.kysely, deliveryId);
  if (!original) throw notFound('Delivery', 'delivery_not_found');
  const hook = await webhookOr404(ctx, original.webhook_id);
  if (original.status !== 'succeeded') {
    const until = ctx.now() + 120_000;
    if (!(await claimForRetry(ctx.db.kysely, original, until)))
      throw conflict('delivery_busy', 'This delivery is being attempted right now; look again in a moment');
    return deliveryDto(await attemptFresh(ctx, { ...original, status: 'pending', next_attempt_at: until }, hook));
  }
  const row = await insertDelivery(ctx.db.kysely, {
    webhook_id: hook.id,
    event: original.event,
    source_id: `redeliver:${original.id}:${randomUUID()}`,
    payload: original.payload,
    status: 'pending',
    next_attempt_at: null,
    created_at: ctx.now(),
  });
  return deliveryDto(await attemptFresh(ctx, row!, hook));
}
