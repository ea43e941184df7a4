import { z } from 'zod';
import { DELIVERY_STATUSES, WEBHOOK_EVENTS, WEBHOOK_FORMATS } from '../integrations';
import { text } from '../text/text-schema';
import { endpointGroup } from './endpoint';

/*
 * Outgoing webhooks (administrators): where events go, which events, in which format; and the durable
 * delivery log of each. The signing secret is in the answer of create and rotate only.
 */

const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** An http(s) URL without credentials: a receiver's address, never a place to keep a password. */
export const webhookUrlSchema = text()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL without user or password');

const webhookFields = {
  name: text().trim().min(1, 'must not be empty').max(80),
  url: webhookUrlSchema,
  format: z.enum(WEBHOOK_FORMATS),
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1, 'choose at least one event')
    .max(WEBHOOK_EVENTS.length)
    .transform((events) => [...new Set(events)]),
  active: z.boolean(),
};

export const webhookSchema = z.object({
  id: z.number(),
  name: z.string(),
  url: z.string(),
  format: z.enum(WEBHOOK_FORMATS),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The latest delivery's outcome, for the list. */
  lastDelivery: z
    .object({ status: z.enum(DELIVERY_STATUSES), at: z.string(), responseStatus: z.number().nullable() })
    .nullable(),
});
export type WebhookDto = z.infer<typeof webhookSchema>;

/** Create and rotate answer with the secret, once. */
export const webhookWithSecretSchema = webhookSchema.extend({ secret: z.string() });
export type WebhookWithSecretDto = z.infer<typeof webhookWithSecretSchema>;

export const createWebhookRequestSchema = z
  .object({ ...webhookFields, active: webhookFields.active.default(true) })
  .strict();
export type CreateWebhookRequest = z.input<typeof createWebhookRequestSchema>;

export const updateWebhookRequestSchema = z
  .object(webhookFields)
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');
export type UpdateWebhookRequest = z.input<typeof updateWebhookRequestSchema>;

export const webhookDeliverySchema = z.object({
  id: z.number(),
  webhookId: z.number(),
  event: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  responseStatus: z.number().nullable(),
  /** The start of the receiver's answer (at most 500 characters). */
  responseExcerpt: z.string().nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type WebhookDeliveryDto = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  status: z.enum(DELIVERY_STATUSES).optional(),
});

export const webhookEndpoints = endpointGroup('webhooks', {
  listWebhooks: {
    summary: 'List webhooks (administrators)',
    responses: { 200: z.object({ webhooks: z.array(webhookSchema) }) },
  },
  createWebhook: {
    summary: 'Create a webhook; the answer carries its signing secret, shown once',
    body: createWebhookRequestSchema,
    responses: { 201: webhookWithSecretSchema },
  },
  updateWebhook: {
    summary: 'Change a webhook (name, URL, format, events, active)',
    params: idParams,
    body: updateWebhookRequestSchema,
    responses: { 200: webhookSchema },
    errors: [404],
  },
  deleteWebhook: {
    summary: 'Delete a webhook and its delivery log',
    params: idParams,
    responses: { 204: z.null() },
    errors: [404],
  },
  rotateWebhookSecret: {
    summary: 'Replace the signing secret; the answer carries the new one, shown once',
    params: idParams,
    responses: { 200: webhookWithSecretSchema },
    errors: [404],
  },
  testWebhook: {
    summary: 'Send a test event now (one attempt in the request; retried like any delivery if it fails)',
    params: idParams,
    responses: { 200: webhookDeliverySchema },
    errors: [404],
  },
  listWebhookDeliveries: {
    summary: "A webhook's delivery log, newest first",
    params: idParams,
    query: webhookDeliveriesQuerySchema,
    responses: { 200: z.object({ deliveries: z.array(webhookDeliverySchema) }) },
    errors: [404],
  },
  redeliverWebhookDelivery: {
    summary: 'Send a delivery again now',
    description:
      'A delivery that has not succeeded is attempted itself (a failed one gets one more attempt); one that has ' +
      'succeeded gets a new delivery of the same event and body (the same envelope id). The answer is the ' +
      'delivery after the attempt.',
    params: idParams,
    responses: { 201: webhookDeliverySchema },
    errors: [404, 409],
  },
});
