import { ROUTES } from '../../shared/api/endpoint-routes';
import {
  SPEED_TEST_CONTENT_TYPE,
  SPEED_TEST_MAX_BYTES,
  SPEED_TEST_MAX_SECONDS,
  speedTestUploadResultSchema,
} from '../../shared/api/speed-test';
import { err, ok, type Result } from '../../shared/result';
import type { SpeedTestPort } from '../actions/types';

/*
 * The agent's side of the speed test (net.speed-test): downloads and uploads through the help desk's
 * speed-test endpoints with the device token, and measures on this side. Each transfer stops after
 * SPEED_TEST_MAX_SECONDS (a slow link is measured on what moved in that time, not timed out); an aborted
 * action stops at once.
 */

export interface SpeedTestClientOptions {
  baseUrl: () => string | null;
  token: () => string | null;
  userAgent?: string;
  /** Tests: a shorter time box. */
  maxMs?: number;
}

type Transfer = Result<{ bytes: number; ms: number }>;

/** An upload body: `bytes` bytes, produced as the connection takes them, ending early at `stopAt`. */
function uploadBody(bytes: number, stopAt: () => boolean): ReadableStream<Uint8Array> {
  const block = new Uint8Array(64 * 1024);
  // Not zeros: a compressing proxy on the way would make the link look faster than it is.
  for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;
  let left = bytes;
  return new ReadableStream({
    pull(controller) {
      if (left <= 0 || stopAt()) return controller.close();
      const chunk = left >= block.length ? block : block.subarray(0, left);
      left -= chunk.length;
      controller.enqueue(chunk);
    },
  });
}

/** The speed-test port over HTTP. */
export function createSpeedTestClient(options: SpeedTestClientOptions): SpeedTestPort {
  const maxMs = options.maxMs ?? SPEED_TEST_MAX_SECONDS * 1000;

  function target(path: string): Result<{ url: string; headers: Record<string, string> }> {
    const base = options.baseUrl();
    const token = options.token();
    if (!base || !token) return err('not-enrolled', 'This computer is not enrolled with a help desk');
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (options.userAgent) headers['user-agent'] = options.userAgent;
    return ok({ url: new URL(path, base.endsWith('/') ? base : `${base}/`).toString(), headers });
  }

  async function refusal(response: Response): Promise<Transfer> {
    let message = `the help desk answered ${response.status}`;
    try {
      const body = (await response.json()) as { error?: { message?: unknown } };
      if (typeof body.error?.message === 'string') message += `: ${body.error.message}`;
    } catch {
      // No JSON error body: the status says enough.
    }
    return err(response.status === 429 || response.status === 503 ? 'busy' : 'http', message);
  }

  /** A timer that aborts the transfer at the time box, joined with the action's own signal. */
  function timeBox(signal: AbortSignal) {
    const box = new AbortController();
    const timer = setTimeout(() => box.abort(), maxMs);
    return {
      signal: AbortSignal.any([signal, box.signal]),
      boxed: () => box.signal.aborted,
      done: () => clearTimeout(timer),
    };
  }

  const failure = (error: unknown, signal: AbortSignal): Transfer =>
    signal.aborted ? err('aborted', 'The speed test was stopped') : err('network', String(error));

  return {
    async download(bytes, signal) {
      const to = target(`${ROUTES.speedTestDownload.path}?bytes=${Math.min(bytes, SPEED_TEST_MAX_BYTES)}`);
      if (!to.ok) return to;
      const box = timeBox(signal);
      const started = performance.now();
      let moved = 0;
      try {
        const response = await fetch(to.value.url, { headers: to.value.headers, signal: box.signal });
        if (!response.ok || !response.body) return await refusal(response);
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          moved += value.byteLength;
        }
        return ok({ bytes: moved, ms: performance.now() - started });
      } catch (error) {
        // The time box ended it: what moved so far (perhaps nothing) is the measurement.
        if (box.boxed() && !signal.aborted) return ok({ bytes: moved, ms: performance.now() - started });
        return failure(error, signal);
      } finally {
        box.done();
      }
    },
    async upload(bytes, signal) {
      const to = target(ROUTES.speedTestUpload.path);
      if (!to.ok) return to;
      const started = performance.now();
      const stopAt = () => performance.now() - started >= maxMs;
      try {
        const response = await fetch(to.value.url, {
          method: 'POST',
          headers: { ...to.value.headers, 'content-type': SPEED_TEST_CONTENT_TYPE },
          body: uploadBody(Math.min(bytes, SPEED_TEST_MAX_BYTES), stopAt),
          signal,
          duplex: 'half',
        } as RequestInit);
        if (!response.ok) return await refusal(response);
        const answer = speedTestUploadResultSchema.safeParse(await response.json());
        if (!answer.success) return err('http', 'The help desk answered no byte count');
        return ok({ bytes: answer.data.bytes, ms: performance.now() - started });
      } catch (error) {
        return failure(error, signal);
      }
    },
  };
}
