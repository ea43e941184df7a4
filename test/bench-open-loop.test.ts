import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openLoop, poissonArrivals } from '../scripts/bench/open-loop';
import { percentile } from '../scripts/bench/stats';

/* The server bench's open-loop generator: the arrivals it offers and what its latencies count. */

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A server on loopback answering each request with `status` after `delayMs`, one at a time per connection. */
async function slowServer(delayMs: number, status = 201): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.once('end', () => setTimeout(() => res.writeHead(status).end('{}'), delayMs));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = () => ({
  method: 'POST',
  path: '/t',
  headers: { 'content-type': 'application/json' },
  body: Buffer.from('{}'),
});

describe('poissonArrivals', () => {
  it('offers the rate on average, in order, within the run, the same for the same seed', () => {
    const arrivals = poissonArrivals(500, 10);
    expect(arrivals.length).toBeGreaterThan(4750);
    expect(arrivals.length).toBeLessThan(5250);
    expect(arrivals.every((t, i) => t >= 0 && t < 10_000 && (i === 0 || t >= (arrivals[i - 1] as number)))).toBe(true);
    expect(poissonArrivals(500, 10)).toEqual(arrivals);
    expect(poissonArrivals(500, 10, 2)).not.toEqual(arrivals);
    // Not evenly spaced: some gaps are many times the mean (2 ms) and some far shorter.
    const gaps = arrivals.slice(1).map((t, i) => t - (arrivals[i] as number));
    expect(Math.max(...gaps)).toBeGreaterThan(10);
    expect(Math.min(...gaps)).toBeLessThan(0.1);
  });
});

describe('openLoop', () => {
  it('sends every arrival and counts each latency from when it was due, queueing included', async () => {
    const origin = await slowServer(20);
    // 100/s for 0.5 s through one connection that serves 50/s: requests wait behind each other.
    const result = await openLoop({ origin, rate: 100, seconds: 0.5, requestOf: post, maxSockets: 1 });
    expect(result.ok).toBe(poissonArrivals(100, 0.5).length);
    expect(result.failures).toBe(0);
    expect(Math.min(...result.latencies)).toBeGreaterThanOrEqual(19);
    // Measured from the response's own send, every latency would be about 20 ms.
    expect(percentile(result.latencies, 99)).toBeGreaterThan(100);
    // Fallen behind: the answers took longer than the run, one after another.
    expect(result.elapsedMs).toBeGreaterThanOrEqual(result.ok * 19);
  });

  it('counts answers other than 2xx as failures, not latencies', async () => {
    const origin = await slowServer(0, 500);
    const result = await openLoop({ origin, rate: 100, seconds: 0.2, requestOf: post });
    expect(result.ok).toBe(0);
    expect(result.failures).toBe(poissonArrivals(100, 0.2).length);
    expect(result.latencies).toEqual([]);
  });
});
