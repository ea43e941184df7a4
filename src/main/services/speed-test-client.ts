import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ROUTES } from '../../shared/api/endpoint-routes';
import { abortAfter } from './abort';
import {
  SPEED_TEST_CONTENT_TYPE,
  SPEED_TEST_MAX_BYTES,
  SPEED_TEST_MAX_SECONDS,
  speedTestUploadResultSchema,
} from '../../shared/api/speed-test';
import { err, ok, type Result } from '../../shared/result';
import type { SpeedTestPort } from '../actions/types';
import { monotonicMs } from './monotonic-clock';

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

/** An answer's body is read up to this much (a JSON byte count or error). */
const ANSWER_MAX = 64 * 1024;

/** The upload body: `bytes` bytes in 64 KiB blocks, produced as the connection takes them, ending early at `stopAt`. */
function* uploadBlocks(bytes: number, stopAt: () => boolean): Generator<Uint8Array> {
  const block = new Uint8Array(64 * 1024);
  // Not zeros: a compressing proxy on the way would make the link look faster than it is.
  for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;
  for (let left = bytes; left > 0 && !stopAt(); left -= block.length)
    yield left >= block.length ? block : block.subarray(0, left);
}

/** The response to `req`, or its error (aborted, refused, reset) before one came. */
function responseOf(req: ClientRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
}

/** Up to ANSWER_MAX bytes of a response's body as text. */
async function answerText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= ANSWER_MAX) break;
  }
  return Buffer.concat(chunks).subarray(0, ANSWER_MAX).toString('utf8');
}

/**
 * The speed-test port over HTTP. Node's http rather than fetch: fetch loads undici, whose WebAssembly parser
 * cannot run in the daemon's lite mode (src/main/services/service-units.ts).
 */
export function createSpeedTestClient(options: SpeedTestClientOptions): SpeedTestPort {
  const maxMs = options.maxMs ?? SPEED_TEST_MAX_SECONDS * 1000;

  function open(path: string, method: 'GET' | 'POST', signal: AbortSignal, headers: Record<string, string> = {}) {
    const base = options.baseUrl();
    const token = options.token();
    if (!base || !token) return err('not-enrolled', 'This computer is not enrolled with a help desk');
    const url = new URL(path, base.endsWith('/') ? base : `${base}/`);
    const all: Record<string, string> = { ...headers, authorization: `Bearer ${token}` };
    if (options.userAgent) all['user-agent'] = options.userAgent;
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return ok(request(url, { method, headers: all, signal }));
  }

  async function refusal(response: IncomingMessage): Promise<Transfer> {
    const status = response.statusCode ?? 0;
    let message = `the help desk answered ${status}`;
    try {
      const body = JSON.parse(await answerText(response)) as { error?: { message?: unknown } };
      if (typeof body.error?.message === 'string') message += `: ${body.error.message}`;
    } catch {
      // No JSON error body: the status says enough.
    }
    return err(status === 429 || status === 503 ? 'busy' : 'http', message);
  }

  /** Aborts the transfer at the time box, or with the action's own signal. */
  function timeBox(signal: AbortSignal) {
    const box = abortAfter(signal, maxMs);
    return { signal: box.signal, boxed: () => box.signal.aborted && !signal.aborted, done: box.clear };
  }

  const failure = (error: unknown, signal: AbortSignal): Transfer =>
    signal.aborted ? err('aborted', 'The speed test was stopped') : err('network', String(error));

  return {
    async download(bytes, signal) {
      const box = timeBox(signal);
      const req = open(
        `${ROUTES.speedTestDownload.path}?bytes=${Math.min(bytes, SPEED_TEST_MAX_BYTES)}`,
        'GET',
        box.signal,
      );
      if (!req.ok) {
        box.done();
        return req;
      }
      const started = monotonicMs();
      let moved = 0;
      try {
        const response = responseOf(req.value);
        req.value.end();
        const res = await response;
        if (res.statusCode !== 200) return await refusal(res);
        for await (const chunk of res as AsyncIterable<Buffer>) moved += chunk.length;
        return ok({ bytes: moved, ms: monotonicMs() - started });
      } catch (error) {
        // The time box ended it: what moved so far (perhaps nothing) is the measurement.
        if (box.boxed()) return ok({ bytes: moved, ms: monotonicMs() - started });
        return failure(error, signal);
      } finally {
        box.done();
      }
    },
    async upload(bytes, signal) {
      const req = open(ROUTES.speedTestUpload.path, 'POST', signal, { 'content-type': SPEED_TEST_CONTENT_TYPE });
      if (!req.ok) return req;
      const started = monotonicMs();
      const stopAt = () => monotonicMs() - started >= maxMs;
      try {
        // The body is sent as the connection takes it; the help desk may answer (a refusal) before it ends.
        const [answer] = await Promise.allSettled([
          responseOf(req.value),
          pipeline(Readable.from(uploadBlocks(Math.min(bytes, SPEED_TEST_MAX_BYTES), stopAt)), req.value),
        ]);
        if (answer.status === 'rejected') throw answer.reason;
        const res = answer.value;
        if (res.statusCode !== 200) return await refusal(res);
        const text = await answerText(res);
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: no byte count, said below.
        }
        const count = speedTestUploadResultSchema.safeParse(body);
        if (!count.success) return err('http', 'The help desk answered no byte count');
        return ok({ bytes: count.data.bytes, ms: monotonicMs() - started });
      } catch (error) {
        return failure(error, signal);
      }
    },
  };
}
