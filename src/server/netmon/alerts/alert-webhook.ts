import { createHmac } from 'node:crypto';

/*
 * An alert rule's webhook: the incident as JSON POSTed to the URL IT set, signed so the receiver can tell
 * it came from this help desk and is fresh. Headers: `X-Deskside-Timestamp` (Unix seconds) and
 * `X-Deskside-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the rule's secret>`; the
 * receiver recomputes it and refuses old timestamps. A 2xx answer is delivery; anything else (or no answer
 * within the timeout) is tried again with exponential backoff, a few times. Deliveries live in this process
 * only: one lost to a restart is not sent again (general, durable webhooks are a later issue).
 */

export interface WebhookTarget {
  url: string;
  secret: string | null;
}

export interface WebhookOptions {
  attempts?: number;
  /** First pause between attempts (ms); doubled each time. */
  backoffMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

export interface WebhookResult {
  ok: boolean;
  attempts: number;
  status: number | null;
  error: string | null;
}

/** The signature header's value for a body sent at `timestamp` (Unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** POSTs the payload, retrying on failure; never throws. */
export async function deliverWebhook(
  target: WebhookTarget,
  payload: unknown,
  options: WebhookOptions = {},
): Promise<WebhookResult> {
  const attempts = options.attempts ?? 4;
  const backoffMs = options.backoffMs ?? 2_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const now = options.now ?? Date.now;
  const body = JSON.stringify(payload);
  let status: number | null = null;
  let error: string | null = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    // Signed per attempt: a retry carries a fresh timestamp, so receivers may keep a tight freshness window.
    const timestamp = Math.floor(now() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Deskside-Alerts/1',
      'x-deskside-timestamp': String(timestamp),
      'x-deskside-attempt': String(attempt),
    };
    if (target.secret) headers['x-deskside-signature'] = signWebhook(target.secret, timestamp, body);
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      await res.body?.cancel().catch(() => {});
      if (res.status >= 200 && res.status < 300) return { ok: true, attempts: attempt, status, error: null };
      error = `HTTP ${res.status}`;
    } catch (e) {
      status = null;
      error = e instanceof Error ? e.message : String(e);
    }
    if (attempt < attempts) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (attempt - 1)));
  }
  return { ok: false, attempts, status, error };
}
