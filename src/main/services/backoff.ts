/*
 * Capped exponential backoff with jitter, shared by the outbox sender, the long poll and sync.
 * "Equal jitter": half the step is fixed, half random, so retries spread out without ever
 * collapsing to zero (which would hammer a server that just came back).
 */

export interface BackoffPolicy {
  /** First delay, ms. */
  baseMs: number;
  /** Largest delay, ms. */
  maxMs: number;
  /** 0..1: the share of each delay that is random. */
  jitter: number;
}

/** The outbox's policy: 1 s, 2 s, 4 s … capped at 5 minutes. */
export const OUTBOX_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 5 * 60_000, jitter: 0.5 };

/** Delay before retry number `attempt` (1 = after the first failure). `random` returns [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const fixed = step * (1 - policy.jitter);
  return Math.round(fixed + step * policy.jitter * random());
}

/** Waits `ms`, or less if `signal` aborts (resolves either way; never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
