import { Pool, type Dispatcher } from 'undici';
import { mulberry32 } from '../../test/helpers/seeded-random';

/*
 * An open-loop load generator: requests go out at the moments a Poisson process of the given rate picks
 * (as many independent agents submitting would), whether or not earlier ones were answered, and each
 * latency counts from the moment its request was due, so a server that falls behind is charged for the
 * wait (no coordinated omission).
 *
 * Not autocannon's `overallRate`: it lets each connection send its share of a second back to back from the
 * start of every second and then pause (lib/httpClient.js, reqsMadeThisSecond), so "500/s" arrives as
 * bursts of 32 concurrent requests; and its latency correction (recordValueWithExpectedInterval with
 * Math.ceil(1 / rate), i.e. 1 ms) adds a synthetic sample for every millisecond of every response slower
 * than that.
 */

/** One request: everything but the URL's origin, which the run gives. */
export interface OpenLoopRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface OpenLoopResult {
  /** 2xx answers. */
  ok: number;
  /** Answers other than 2xx, and requests that failed or were not answered before the end. */
  failures: number;
  /** Of the 2xx answers, ms from the moment the request was due to the end of its answer. */
  latencies: number[];
  /** From the run's start to the last answer, ms: longer than the run when the server fell behind. */
  elapsedMs: number;
}

/** A deterministic uniform (0, 1) generator, so two runs offer the same arrival pattern. */
function uniform(seed: number): () => number {
  const next = mulberry32(seed);
  return () => (next() + 0.5) / 4294967296;
}

/** The due times (ms from the start) of a Poisson process of `rate` per second over `seconds`. */
export function poissonArrivals(rate: number, seconds: number, seed = 1): number[] {
  const next = uniform(seed);
  const times: number[] = [];
  for (let t = -Math.log(next()) * (1000 / rate); t < seconds * 1000; t += -Math.log(next()) * (1000 / rate)) {
    times.push(t);
  }
  return times;
}

/**
 * Sends `requestOf(i)` at each arrival of a Poisson process of `rate` per second for `seconds`, over at
 * most `maxSockets` keep-alive connections (requests due while all are busy wait, and that wait counts),
 * and waits for every answer (at most `graceMs` after the last is due).
 */
export async function openLoop(options: {
  origin: string;
  rate: number;
  seconds: number;
  requestOf: (i: number) => OpenLoopRequest;
  maxSockets?: number;
  graceMs?: number;
}): Promise<OpenLoopResult> {
  const { origin, rate, seconds, requestOf, maxSockets = 64, graceMs = 10_000 } = options;
  const arrivals = poissonArrivals(rate, seconds);
  // undici's pool rather than node:http's Agent: the generator shares the cores with the server it measures,
  // and costs less per request this way (0.33-0.37 -> 0.28 ms here at 500/s of 10.8 KB bodies, warm, against a
  // server that answers at once; about 0.12 ms of either is the arrival timers).
  const pool = new Pool(origin, { connections: maxSockets, pipelining: 1 });
  const result: OpenLoopResult = { ok: 0, failures: 0, latencies: [], elapsedMs: 0 };
  let lastAnswer = 0;
  const pending = new Set<Promise<void>>();
  // Set once the run returns: a request given up on then no longer counts.
  let closed = false;
  const send = (i: number, dueAt: number) => {
    const { method, path, headers, body } = requestOf(i);
    const settle = (status: number) => {
      if (closed) return;
      lastAnswer = performance.now();
      if (status >= 200 && status < 300) {
        result.ok++;
        result.latencies.push(lastAnswer - dueAt);
      } else result.failures++;
    };
    // The pool queues a request while every connection is busy; its latency still counts from dueAt.
    const done = pool.request({ method: method as Dispatcher.HttpMethod, path, headers, body }).then(
      async (res) => {
        await res.body.dump();
        settle(res.statusCode);
      },
      () => settle(0),
    );
    pending.add(done);
    void done.then(() => pending.delete(done));
  };
  const start = performance.now();
  let next = 0;
  await new Promise<void>((finished) => {
    const tick = () => {
      const now = performance.now() - start;
      while (next < arrivals.length && (arrivals[next] as number) <= now) {
        send(next, start + (arrivals[next] as number));
        next++;
      }
      if (next < arrivals.length) setTimeout(tick, Math.max(0, (arrivals[next] as number) - now - 1));
      else finished();
    };
    tick();
  });
  const grace = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), graceMs).unref());
  if ((await Promise.race([Promise.all(pending), grace])) === 'late') result.failures += pending.size;
  closed = true;
  await pool.destroy();
  result.elapsedMs = Math.max(0, lastAnswer - start);
  return result;
}
