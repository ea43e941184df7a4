import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { healthySnapshot } from '../fixtures/snapshot-factory';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';
import {
  DEEP_NESTING,
  fieldPaths,
  HOSTILE_URL_VALUES,
  hostileBodyValues,
  plausible,
  serialise,
  withField,
  type SchemaNode,
} from './fuzz-values';

/*
 * Every operation of the OpenAPI document, every field (body, query, path), every hostile value:
 * NUL, lone surrogates, over-long strings, wrong types, deep nesting, huge arrays. Sent as a caller the
 * route lets in, with the other fields plausible, so the values reach validation and the handlers.
 * Nothing may answer 500 or more, people's text holding NUL or a lone surrogate is never accepted,
 * and the server still answers afterwards.
 */

interface Operation {
  method: InjectOptions['method'];
  path: string;
  params: Array<{ in: 'path' | 'query'; name: string; schema?: SchemaNode }>;
  body?: SchemaNode;
}

// Machine documents are repaired, not refused (issue 10): their contents may hold anything.
const MACHINE_FIELDS = new Set(['snapshot']);
// The body limit of the test server: large enough for the huge array and the over-long string.
const BODY_LIMIT = 2 * 1024 * 1024;
const BATCH = 8;

describeEachDatabase('fuzzing every operation', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  let operations: Operation[];
  beforeAll(async () => {
    s = await createTestServer(dialect, { bodyLimitBytes: BODY_LIMIT });
    device = await s.enroll();
    const doc = (await s.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<
        string,
        Record<
          string,
          { parameters?: Operation['params']; requestBody?: unknown; responses?: Record<string, { content?: object }> }
        >
      >;
    };
    // An event stream never ends (inject would wait forever) and takes no input; live.test.ts covers it.
    const streaming = (op: { responses?: Record<string, { content?: object }> }) =>
      Object.values(op.responses ?? {}).some((r) => Object.keys(r.content ?? {}).includes('text/event-stream'));
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => !streaming(op))
        .map(([method, op]) => ({
          method: method.toUpperCase() as Operation['method'],
          path,
          params: op.parameters ?? [],
          body: (op.requestBody as { content?: Record<string, { schema?: SchemaNode }> } | undefined)?.content?.[
            'application/json'
          ]?.schema,
        })),
    );
  });
  afterAll(() => s.close());

  const fillPath = (op: Operation, hostile?: { name: string; value: string }) =>
    op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      hostile?.name === name ? hostile.value : /device/i.test(name) ? randomUUID() : '999999',
    );

  const send = (op: Operation, headers: Record<string, string>, url: string, payload?: unknown) =>
    s.inject({
      method: op.method,
      url,
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': `fuzz-${randomUUID()}` },
      ...(payload === undefined ? {} : { payload: serialise(payload) }),
    });

  /** Admin, else the device, whichever the route lets past authentication. */
  async function callerFor(op: Operation): Promise<Record<string, string>> {
    for (const headers of [s.admin.headers, device.headers]) {
      const res = await send(op, headers, fillPath(op), op.body ? plausible(op.body) : undefined);
      if (res.statusCode !== 401 && res.statusCode !== 403) return headers;
    }
    return s.admin.headers;
  }

  /** Every hostile request of one operation, as [label, request] pairs. */
  function requestsFor(op: Operation): Array<{ label: string; url: string; payload?: unknown; text: boolean }> {
    const out: Array<{ label: string; url: string; payload?: unknown; text: boolean }> = [];
    const base = op.body ? plausible(op.body) : undefined;
    for (const param of op.params) {
      for (const [name, value] of HOSTILE_URL_VALUES) {
        const url =
          param.in === 'path' ? fillPath(op, { name: param.name, value }) : `${fillPath(op)}?${param.name}=${value}`;
        out.push({ label: `${param.in} ${param.name} ${name}`, url, payload: base, text: name === 'NUL' });
      }
    }
    for (const field of fieldPaths(op.body)) {
      for (const [name, value] of hostileBodyValues()) {
        out.push({
          label: `body ${field.join('.')} ${name}`,
          url: fillPath(op),
          payload: withField(base, field, value, op.body),
          text:
            typeof value === 'string' &&
            value.length < 10 &&
            value !== DEEP_NESTING &&
            !MACHINE_FIELDS.has(field[0] as string),
        });
      }
    }
    return out;
  }

  it('answers every hostile field of every operation below 500, and never stores unsafe text', async () => {
    const errors: string[] = [];
    const accepted: string[] = [];
    let sent = 0;
    for (const op of operations) {
      if (op.path === '/api/v1/auth/logout') continue; // would end the session the rest of the suite uses
      const headers = await callerFor(op);
      const requests = requestsFor(op);
      for (let i = 0; i < requests.length; i += BATCH) {
        const batch = requests.slice(i, i + BATCH);
        const responses = await Promise.all(batch.map((r) => send(op, headers, r.url, r.payload)));
        responses.forEach((res, j) => {
          const r = batch[j]!;
          const what = `${op.method} ${op.path} ${r.label}: ${res.statusCode}`;
          if (res.statusCode >= 500) errors.push(`${what} ${res.body.slice(0, 200)}`);
          if (r.text && res.statusCode < 300) accepted.push(what);
        });
        sent += batch.length;
      }
    }
    expect(errors).toEqual([]);
    expect(accepted).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
  }, 600_000);

  it('still answers health checks and ordinary requests afterwards', async () => {
    expect((await s.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await s.inject({ method: 'GET', url: '/api/v1/staff', headers: s.admin.headers })).statusCode).toBe(200);
    const ticket = await s.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { ...device.headers, 'idempotency-key': `after-fuzz-${dialect}` },
      payload: { subject: 'After the fuzz', category: 'other', urgency: 'low', snapshot: healthySnapshot() },
    });
    expect(ticket.statusCode, ticket.body).toBe(201);
  });
});
