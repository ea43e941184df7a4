import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { healthySnapshot } from '../fixtures/snapshot-factory';
import {
  createTestServer,
  describeEachDatabase,
  type EnrolledDevice,
  type StaffSession,
  type TestServer,
} from './harness';
import { documentedRoutes, fillPath, HOSTILE_BODIES, HOSTILE_PARAMS, type Route } from './openapi-routes';

// Routes anyone may call: signing in and enrolling are how credentials are obtained; the session probe
// answers "not signed in" with a 200.
const PUBLIC = new Set([
  'POST /api/v1/auth/login',
  'POST /api/v1/enroll',
  'GET /api/v1/auth/session',
  // The pages behind links in mail: no sign-in, a signed token instead (refused without one: 400; a forged
  // one: 403, test/server/mail-out.test.ts).
  'GET /api/v1/mail/subscription',
  'PUT /api/v1/mail/subscription',
  'GET /api/v1/mail/rating',
  'POST /api/v1/mail/rating',
]);

describeEachDatabase('every route under bad input', (dialect) => {
  let s: TestServer;
  let routes: Route[];
  let device: EnrolledDevice;
  let admin: StaffSession;
  const callers = () => [
    { name: 'anonymous', headers: {} as Record<string, string> },
    { name: 'device', headers: device.headers },
    { name: 'admin', headers: admin.headers },
  ];

  beforeAll(async () => {
    s = await createTestServer(dialect, { bodyLimitBytes: 256 * 1024 });
    routes = await documentedRoutes(s);
    device = await s.enroll();
    admin = s.admin;
  });
  afterAll(() => s.close());

  const expectClientError = (res: { statusCode: number; json(): unknown }, what: string) => {
    expect(res.statusCode, what).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, what).toBeLessThan(500);
    const body = res.json() as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code, what).toBe('string');
    expect(typeof body.error?.message, what).toBe('string');
  };

  it('documents a good number of routes in OpenAPI', () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
  });

  it('never lets an anonymous caller in, except to sign in, enroll or ask whether it is signed in', async () => {
    for (const route of routes) {
      if (PUBLIC.has(`${route.method} ${route.path}`)) continue;
      const res = await s.inject({
        method: route.method,
        url: fillPath(route.path),
        ...(route.hasBody ? { payload: {} } : {}),
      });
      expect(res.statusCode, `${route.method} ${route.path}`).toBe(401);
    }
  });

  it('answers hostile bodies with a 4xx and a clear error, for every caller', async () => {
    for (const route of routes.filter((r) => r.hasBody)) {
      for (const caller of callers()) {
        for (const body of HOSTILE_BODIES) {
          const res = await s.inject({
            method: route.method,
            url: fillPath(route.path),
            headers: { ...caller.headers, 'content-type': body.contentType ?? 'application/json' },
            payload: body.payload,
          });
          expectClientError(res, `${route.method} ${route.path} as ${caller.name} with ${body.name}`);
          // The app runs in this process: a poisoned body must not have reached Object.prototype.
          expect(({} as Record<string, unknown>).admin, 'prototype polluted').toBeUndefined();
        }
      }
    }
  });

  it('accepts a valid ticket carrying __proto__ keys without polluting any prototype', async () => {
    const snapshot = JSON.stringify(healthySnapshot()).replace(
      '"sections":{',
      '"sections":{"__proto__":{"polluted":true},',
    );
    const body = `{"__proto__":{"polluted":true},"subject":"Printer","category":"printing","urgency":"low","requester":{"name":"A","__proto__":{"polluted":true}},"snapshot":${snapshot}}`;
    const res = await s.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { ...device.headers, 'content-type': 'application/json', 'idempotency-key': 'proto-pollution-1' },
      payload: body,
    });
    expect(res.statusCode).toBe(201);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(res.json())).not.toContain('polluted');
  });

  it('answers broken gzip, unknown encodings and oversized bodies with 400, 415 and 413', async () => {
    for (const route of routes.filter((r) => r.hasBody)) {
      const url = fillPath(route.path);
      // Whoever the route lets past authentication (anonymous for sign-in and enrollment).
      let headers: Record<string, string> = {};
      for (const caller of callers()) {
        const probe = await s.inject({ method: route.method, url, headers: caller.headers, payload: {} });
        if (probe.statusCode !== 401 && probe.statusCode !== 403) {
          headers = caller.headers;
          break;
        }
      }
      // A valid Idempotency-Key, so routes that demand one get as far as the body.
      headers = { ...headers, 'idempotency-key': `robustness-${route.method}-${Math.random().toString(36).slice(2)}` };
      const broken = await s.inject({
        method: route.method,
        url,
        headers: { ...headers, 'content-type': 'application/json', 'content-encoding': 'gzip' },
        payload: Buffer.from('definitely not gzip'),
      });
      expectClientError(broken, `${route.method} ${route.path} broken gzip`);
      const brotli = await s.inject({
        method: route.method,
        url,
        headers: { ...headers, 'content-type': 'application/json', 'content-encoding': 'br' },
        payload: Buffer.from('{}'),
      });
      expect(brotli.statusCode, `${route.method} ${route.path} br`).toBe(415);
      const huge = JSON.stringify({ pad: 'x'.repeat(300 * 1024) });
      const big = await s.inject({
        method: route.method,
        url,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: huge,
      });
      expect(big.statusCode, `${route.method} ${route.path} oversized`).toBe(413);
      // A zip bomb: tiny on the wire, far past the limit once inflated.
      const bomb = await s.inject({
        method: route.method,
        url,
        headers: { ...headers, 'content-type': 'application/json', 'content-encoding': 'gzip' },
        payload: gzipSync(huge),
      });
      expect(bomb.statusCode, `${route.method} ${route.path} zip bomb`).toBe(413);
    }
  });

  it('answers hostile path parameters and query strings without a 5xx', async () => {
    for (const route of routes.filter((r) => r.path.includes('{'))) {
      for (const value of HOSTILE_PARAMS) {
        for (const caller of callers()) {
          const res = await s.inject({
            method: route.method,
            url: fillPath(route.path, () => value),
            headers: caller.headers,
            ...(route.hasBody ? { payload: {} } : {}),
          });
          expect(res.statusCode, `${route.method} ${route.path} with ${value} as ${caller.name}`).toBeLessThan(500);
          if (res.statusCode >= 400) expectClientError(res, `${route.method} ${route.path} with ${value}`);
        }
      }
    }
    for (const route of routes.filter((r) => r.method === 'GET' && !r.streaming)) {
      const query =
        '?limit=-5&cursor=%ZZ&after=abc&since=-1&from=yesterday&to=2026-13-45&wait=9999&q=' +
        encodeURIComponent('" OR 1=1 -- NEAR( *');
      for (const caller of callers()) {
        const res = await s.inject({ method: 'GET', url: fillPath(route.path) + query, headers: caller.headers });
        expect(res.statusCode, `GET ${route.path}${query} as ${caller.name}`).toBeLessThan(500);
      }
    }
  });
});
