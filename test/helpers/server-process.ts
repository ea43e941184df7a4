import { request } from 'node:http';
import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now (for spawning a server that must be told its port). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Waits until `${url}/healthz` answers 200; throws after `timeoutMs`. */
export async function waitUntilHealthy(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs} ms`);
}

export interface FreshResponse {
  status: number;
  /** Header values by lower-case name (repeated headers joined with ", "; set-cookie's first value). */
  headers: Record<string, string>;
  text: string;
}

/**
 * One HTTP request over its own TCP connection, closed after it (`agent: false`). fetch reuses pooled
 * connections whatever its `keepalive` option says, so against `--workers N` every request of a test
 * would stay on the worker that accepted the pooled connection; a fresh connection lets the primary
 * hand each request to the next worker.
 */
export function requestFresh(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<FreshResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? (value[0] ?? '') : value;
        }
        resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
