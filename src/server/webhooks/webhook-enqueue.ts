import type { Kysely, Transaction } from 'kysely';
import type { WebhookEvent } from '../../shared/integrations';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import type { WebhookEnvelope } from './webhook-format';
import { insertDeliveries, selectSubscribers, type WebhookRow } from './webhooks.repo';

/*
 * Where an event becomes deliveries: one pending row per active webhook that chose the event, keyed by the
 * event's source id so enqueueing it again (a feed batch read twice, two processes) adds nothing. Callers
 * pass their own transaction where the event is written in one, so the delivery exists exactly when the
 * change does.
 */

export interface WebhookEventInput {
  type: WebhookEvent;
  /** Stable id of what happened (`ticket_event:12`): the envelope id and the idempotency key. */
  sourceId: string;
  at: number;
  summary: string;
  url: string | null;
  data: Record<string, unknown>;
}

/** The envelope of an event (what generic receivers get). */
export function envelopeOf(
  event: Omit<WebhookEventInput, 'type'> & { type: WebhookEnvelope['type'] },
): WebhookEnvelope {
  return {
    id: event.sourceId,
    type: event.type,
    occurredAt: new Date(event.at).toISOString(),
    summary: event.summary,
    url: event.url,
    data: event.data,
  };
}

/**
 * Inserts the event's deliveries (none when nobody subscribed); returns how many were new. `candidates`:
 * selectSubscribers' answer for the event's type, when the caller already holds it (a batch of events).
 */
export async function enqueueWebhookEvent(
  db: Kysely<Database> | Transaction<Database>,
  now: number,
  event: WebhookEventInput,
  candidates?: readonly WebhookRow[],
): Promise<number> {
  const hooks = candidates ?? (await selectSubscribers(db, event.type));
  // The LIKE above is a prefilter; the JSON is the truth.
  const subscribed = hooks.filter((h) => (JSON.parse(h.events) as string[]).includes(event.type));
  const payload = JSON.stringify(envelopeOf(event));
  return insertDeliveries(
    db,
    subscribed.map((h) => ({
      webhook_id: h.id,
      event: event.type,
      source_id: event.sourceId,
      payload,
      status: 'pending' as const,
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    })),
  );
}

/** The console's address for links in messages: the configured public URL, else where the server listens. */
export function consoleBaseUrl(ctx: Pick<ServerContext, 'config'>): string {
  const { publicUrl, host, port, tlsCert } = ctx.config;
  if (publicUrl) return publicUrl;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `${tlsCert ? 'https' : 'http'}://${shownHost}:${port}`;
}
