import { randomUUID } from 'node:crypto';
import type { TestServer } from './harness';

/** A route as the OpenAPI document lists it. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  hasBody: boolean;
  /** An event stream (text/event-stream): it never ends, so inject cannot wait for it; live.test.ts covers it over HTTP. */
  streaming: boolean;
}

/** Every documented route of the running app. */
export async function documentedRoutes(s: TestServer): Promise<Route[]> {
  const doc = (await s.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
    paths: Record<string, Record<string, { requestBody?: unknown; responses?: Record<string, { content?: object }> }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase() as Route['method'],
      path,
      hasBody: Boolean(op.requestBody),
      streaming: Object.values(op.responses ?? {}).some((r) =>
        Object.keys(r.content ?? {}).includes('text/event-stream'),
      ),
    })),
  );
}

/** Fills `{param}` placeholders with a plausible value of the right shape. */
export function fillPath(path: string, value: (name: string) => string = defaultParam): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(value(name)));
}

function defaultParam(name: string): string {
  return /device/i.test(name) ? randomUUID() : '1';
}

/** Values of path parameters that must be rejected cleanly, never crash the server. */
export const HOSTILE_PARAMS = [
  'abc',
  '-1',
  '0',
  '1.5',
  '99999999999999999999999',
  "1' OR '1'='1",
  '%00',
  'x'.repeat(300),
];

/** Bodies that no route accepts: wrong JSON types, wrong field types, nonsense. */
export const HOSTILE_BODIES: Array<{ name: string; payload: string; contentType?: string }> = [
  { name: 'invalid JSON', payload: '{"subject": ' },
  { name: 'a JSON array', payload: '[1,2,3]' },
  { name: 'a JSON string', payload: '"hello"' },
  { name: 'null', payload: 'null' },
  {
    name: 'wrong field types',
    payload: JSON.stringify({
      subject: 42,
      body: [],
      email: {},
      name: true,
      status: 7,
      title: null,
      priority: 'p9',
      satisfaction: 'five',
    }),
  },
  { name: 'prototype pollution', payload: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}' },
  { name: 'form encoding', payload: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
];
