import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { defaultConsoleDir } from '../../src/server/console/console.routes';
import { serverConfigSchema } from '../../src/server/config';
import { openDatabase, type Db } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import type { App } from '../../src/server/http/types';

/* The console's static serving: SPA fallback, security headers, API 404s untouched, and a clear 503 when not built. */

async function appWith(consoleDir: string): Promise<{ app: App; db: Db }> {
  const db = openDatabase({ url: ':memory:' });
  await migrateToLatest(db);
  const { app } = await buildApp({ db, config: serverConfigSchema.parse({ logLevel: 'silent' }), consoleDir });
  return { app, db };
}

describe('console static serving', () => {
  let dir: string;
  let app: App;
  let db: Db;
  const INDEX =
    '<!doctype html><html><head><script type="module" src="/app.js"></script></head><body><div id="root"></div></body></html>';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deskside-console-'));
    await writeFile(join(dir, 'index.html'), INDEX);
    await writeFile(join(dir, 'app.js'), 'export const x = 1;');
    await writeFile(join(dir, 'app.css'), 'body{margin:0}');
    ({ app, db } = await appWith(dir));
  });
  afterAll(async () => {
    await app.close();
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at / with the security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toBe(INDEX);
    const csp = String(res.headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*(https?:|\*|data:)/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['cache-control']).toBe('no-cache');
    // Plain HTTP: no HSTS (it would only be ignored, and misleads behind a TLS proxy that sets its own).
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends security headers on API answers too, with a policy that allows nothing', async () => {
    for (const url of ['/api/v1/auth/session', '/api/v1/tickets', '/api/v1/no-such-thing', '/healthz']) {
      const res = await app.inject({ method: 'GET', url });
      expect(String(res.headers['content-security-policy']), url).toContain("default-src 'none'");
      expect(String(res.headers['content-security-policy']), url).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
    }
  });

  it('answers index.html for every console path without a file extension (SPA fallback)', async () => {
    for (const url of [
      '/tickets/42',
      '/devices',
      '/devices/0b7a1c9e-2a51-4c53-a1b0-3f0c2f6f1d11',
      '/snapshots/3/changes',
      '/admin/articles?x=1',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(INDEX);
      expect(res.headers['content-security-policy'], url).toBeDefined();
    }
  });

  it('serves the bundle with revalidation, and 404s files that do not exist', async () => {
    const js = await app.inject({ method: 'GET', url: '/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toBe('no-cache');
    expect(js.headers.etag).toBeDefined();
    const again = await app.inject({
      method: 'GET',
      url: '/app.js',
      headers: { 'if-none-match': String(js.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    const css = await app.inject({ method: 'GET', url: '/app.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    const icon = await app.inject({ method: 'GET', url: '/favicon.ico' });
    expect(icon.statusCode).toBe(204);
    const missing = await app.inject({ method: 'GET', url: '/nothing-here.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toContain('<html');
  });

  it('never serves files outside the console folder', async () => {
    for (const url of ['/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/../package.json']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.body, url).not.toContain('root:');
      expect(res.body, url).not.toContain('"name"');
    }
  });

  it('keeps /api 404s as JSON API errors and leaves API routes alone', async () => {
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/application\/json/);
    expect(unknown.json()).toMatchObject({ error: { code: 'route_not_found' } });
    const bare = await app.inject({ method: 'GET', url: '/api' });
    expect(bare.statusCode).toBe(404);
    expect(bare.json()).toMatchObject({ error: { code: 'route_not_found' } });
    const guarded = await app.inject({ method: 'GET', url: '/api/v1/tickets' });
    expect(guarded.statusCode).toBe(401);
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toMatchObject({ status: 'ok' });
  });

  it('does not list the console routes in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).not.toContain('/');
    expect(Object.keys(doc.paths).filter((p) => p.includes('*'))).toEqual([]);
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/api/'))).toBe(true);
  });
});

describe('console folder', () => {
  it('defaults to dist/console beside the bundled server, overridable by DESKSIDE_CONSOLE_DIR', () => {
    expect(defaultConsoleDir({})).toMatch(/[\\/]console[\\/]?$/);
    expect(defaultConsoleDir({ DESKSIDE_CONSOLE_DIR: '/srv/deskside-console' })).toBe('/srv/deskside-console');
  });
});

describe('console not built', () => {
  it('answers a clear 503 at / and console paths, while the API keeps working', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'deskside-console-empty-'));
    const { app, db } = await appWith(join(empty, 'missing'));
    try {
      for (const url of ['/', '/tickets/1']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(503);
        expect(res.headers['content-type']).toMatch(/^text\/plain/);
        expect(res.body).toBe('console not built: run npm run build');
      }
      expect((await app.inject({ method: 'GET', url: '/api/v1/tickets' })).statusCode).toBe(401);
    } finally {
      await app.close();
      await db.destroy();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
