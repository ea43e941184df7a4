import { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_DELAYS_MS } from '../../shared/integrations';
import type { ServerContext } from '../context';
import { renderDelivery, type WebhookEnvelope } from './webhook-format';
import {
  claimDelivery,
  selectDueDeliveries,
  selectWebhook,
  updateDelivery,
  type DeliveryRow,
  type WebhookRow,
} from './webhooks.repo';

/*
 * One attempt of one delivery: POST with a timeout, record the answer (status, the start of its body, the
 * time taken), and either finish the delivery or schedule the next attempt (30 s, 2 min, 10 min, 1 h, 6 h;
 * then it has failed). Redirects are not followed: a receiver that moved says so in the log instead of the
 * body going somewhere nobody configured.
 */

export interface DeliveryOptions {
  timeoutMs?: number;
}

const EXCERPT_CHARS = 500;
const DEFAULT_TIMEOUT_MS = 10_000;

/** Reads at most a few KB of a response: enough for the log, never a receiver's whole page. */
async function excerptOf(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 4096) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS);
}

/** When the attempt after attempt `n` (1-based) is due, or null when `n` was the last. */
export function nextAttemptAt(now: number, attempts: number): number | null {
  if (attempts >= WEBHOOK_MAX_ATTEMPTS) return null;
  return now + WEBHOOK_RETRY_DELAYS_MS[attempts - 1]!;
}

/** Posts the delivery once and records the outcome; never throws for the receiver's failures. */
export async function attemptDelivery(
  ctx: ServerContext,
  row: DeliveryRow,
  hook: WebhookRow,
  options: DeliveryOptions = {},
): Promise<DeliveryRow> {
  const started = ctx.now();
  const envelope = JSON.parse(row.payload) as WebhookEnvelope;
  const { body, headers } = renderDelivery(hook.format, envelope, { id: row.id, secret: hook.secret, now: started });
  const clock = performance.now();
  let status: number | null = null;
  let excerpt: string | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(hook.url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    status = res.status;
    excerpt = await excerptOf(res);
    if (status < 200 || status >= 300) error = `HTTP ${status}`;
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    error = e instanceof Error ? (e.name === 'TimeoutError' ? 'timed out' : `${e.message}${cause}`) : String(e);
  }
  const attempts = row.attempts + 1;
  const ok = error === null;
  const next = ok ? null : nextAttemptAt(started, attempts);
  const updated = await updateDelivery(ctx.db.kysely, row.id, {
    attempts,
    status: ok ? 'succeeded' : next === null ? 'failed' : 'pending',
    next_attempt_at: next,
    last_attempt_at: started,
    response_status: status,
    response_excerpt: excerpt,
    duration_ms: Math.round(performance.now() - clock),
    error,
  });
  if (!ok) ctx.log.info({ delivery: row.id, webhook: hook.id, attempts, error }, 'webhook delivery failed');
  return updated ?? row;
}

/** One pass: claims and sends the deliveries that are due (a batch); returns how many it attempted. */
export async function runDueDeliveries(
  ctx: ServerContext,
  options: DeliveryOptions & { batch?: number } = {},
): Promise<number> {
  const due = await selectDueDeliveries(ctx.db.kysely, ctx.now(), options.batch ?? 20);
  // Webhooks in parallel; each webhook's deliveries one after the other, in the order they became due, so a
  // receiver hears of a ticket's creation before its first reply (a retry may still come later).
  const byHook = new Map<number, typeof due>();
  for (const row of due) byHook.set(row.webhook_id, [...(byHook.get(row.webhook_id) ?? []), row]);
  let attempted = 0;
  await Promise.all(
    [...byHook].map(async ([webhookId, rows]) => {
      const hook = await selectWebhook(ctx.db.kysely, webhookId);
      if (!hook) return;
      for (const row of rows) {
        // Claimed past the attempt's timeout, from when it is claimed (the webhook's earlier ones took their
        // time): a process that dies mid-attempt leaves it due again later.
        const until = ctx.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 60_000;
        if (!(await claimDelivery(ctx.db.kysely, row, until))) continue;
        attempted++;
        const result = await attemptDelivery(ctx, { ...row, next_attempt_at: until }, hook, options);
        // A receiver that failed (down, or slow to time out) gets nothing more this pass: the rest wait their
        // turn rather than each waiting out its timeout, and arrive after the failed one's retry where they can.
        if (result.status !== 'succeeded') break;
      }
    }),
  );
  return attempted;
}
