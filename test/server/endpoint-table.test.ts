import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINT_NAMES, OPENAPI_PATH, ROUTES } from '../../src/shared/api/endpoint-routes';
import { ENDPOINTS } from '../../src/shared/api/endpoints';
import { createTestServer, type TestServer } from './harness';

/*
 * One declaration per endpoint: the server's routes are exactly the table's entries, and no source
 * file outside the table writes an API path.
 */

let s: TestServer;
beforeAll(async () => {
  s = await createTestServer('sqlite');
});
afterAll(async () => s?.close());

describe('the HTTP endpoint table', () => {
  it('has a route for every entry and an entry for every API route', () => {
    const api = s.routes.filter((route) => route.url.startsWith('/api/') && route.url !== OPENAPI_PATH);
    const withoutEntry = api.filter((route) => route.endpoint === null).map((r) => `${r.method} ${r.url}`);
    expect(withoutEntry).toEqual([]);
    const served = new Set(api.map((route) => route.endpoint));
    expect(ENDPOINT_NAMES.filter((name) => !served.has(name))).toEqual([]);
    for (const route of api) {
      const declared = ROUTES[route.endpoint as keyof typeof ROUTES];
      expect(`${route.method} ${route.url}`).toBe(`${declared.method} ${declared.path}`);
    }
  });

  it('declares schemas for exactly the named routes', () => {
    expect(Object.keys(ENDPOINTS).sort()).toEqual([...ENDPOINT_NAMES].sort());
  });

  it('documents every endpoint in the OpenAPI document under its name', async () => {
    const doc = (await s.inject({ method: 'GET', url: OPENAPI_PATH })).json() as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const operations = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(operations.sort()).toEqual([...ENDPOINT_NAMES].sort());
  });

  it('is the only place an API path is written in the source', () => {
    const root = join(import.meta.dirname, '../..');
    const offenders: { where: string; code: string }[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|tsx|mjs)$/.test(name) && !/\.test\.tsx?$/.test(name)) {
          readFileSync(path, 'utf8')
            .split('\n')
            .forEach((line, index) => {
              const code = line.trim();
              // Comments may name a path for the reader; code may not.
              if (/^(\/\/|\/?\*)/.test(code)) return;
              if (/\/?api\/v1\//.test(code)) offenders.push({ where: `${relative(root, path)}:${index + 1}`, code });
            });
        }
      }
    };
    for (const dir of ['src', 'scripts']) walk(join(root, dir));
    // npm start's closing message names the API's address for the person reading it (a plain .mjs
    // script, run before any TypeScript is built, it cannot import the table).
    const allowed = ({ where, code }: { where: string; code: string }) =>
      where.startsWith('src/shared/api/endpoint-routes.ts:') ||
      (where.startsWith('scripts/start.mjs:') && code.startsWith('API:'));
    expect(offenders.filter((offender) => !allowed(offender)).map((o) => o.where)).toEqual([]);
  });
});
