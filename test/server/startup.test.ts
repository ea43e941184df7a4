import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerConfig } from '../../src/server/config';
import { startServer, type RunningServer } from '../../src/server/main';
import { runDeskside } from '../helpers/cli';
import { selfSignedCert } from '../helpers/self-signed';

describe('server configuration', () => {
  it('names every bad setting with its environment variable', () => {
    const bad = loadServerConfig({ port: '70000' }, { DESKSIDE_LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.message).toContain('port (DESKSIDE_PORT)');
    expect(bad.message).toContain('logLevel (DESKSIDE_LOG_LEVEL)');
    expect(bad.message).toContain('databaseUrl (DATABASE_URL): must start with postgres://');
  });

  it('needs both TLS files, and they must exist; flags win over the environment', () => {
    const half = loadServerConfig({ tlsCert: '/nonexistent/cert.pem' }, {});
    expect(half.ok).toBe(false);
    if (!half.ok)
      expect(half.message).toMatch(
        /TLS needs both a certificate and a key[\s\S]*file not found: \/nonexistent\/cert\.pem/,
      );
    const ok = loadServerConfig({ port: '9090' }, { DESKSIDE_PORT: '7070', DESKSIDE_HOST: '0.0.0.0' });
    expect(ok).toMatchObject({ ok: true, value: { port: 9090, host: '0.0.0.0', dataDir: '.deskside-data' } });
  });

  it('refuses to start with a bad flag: one clear message and exit code 2', async () => {
    const run = await runDeskside(['server', '--port', '99999', '--data-dir', join(tmpdir(), 'never-created')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invalid server configuration');
    expect(run.stderr).toContain('port (DESKSIDE_PORT)');
  });
});

describe('server start-up over TLS on embedded SQLite', () => {
  let dir: string;
  let server: RunningServer;
  const printed: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deskside-tls-'));
    const { certFile: cert, keyFile: key } = await selfSignedCert(dir, 'cert', { days: 1 });
    const config = loadServerConfig(
      { port: 0, dataDir: join(dir, 'data'), tlsCert: cert, tlsKey: key, logLevel: 'silent' },
      {},
    );
    if (!config.ok) throw new Error(config.message);
    server = await startServer(config.value, { version: 'test', print: (line) => printed.push(line) });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server.url}${path}`, { rejectUnauthorized: false, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('listens on https, migrates and creates the first admin with a one-time password', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(printed[0]).toMatch(
      /^First start: created administrator admin@deskside\.local with one-time password \S{16}$/,
    );
    const health = await get('/healthz');
    expect(health).toEqual({ status: 200, body: JSON.stringify({ status: 'ok', database: 'sqlite' }) });
  });

  it('serves Prometheus metrics and the OpenAPI document', async () => {
    await get('/api/v1/tickets');
    const metrics = await get('/metrics');
    expect(metrics.body).toContain('deskside_http_request_duration_seconds_bucket');
    expect(metrics.body).toMatch(
      /deskside_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/tickets",status="401"\} 1/,
    );
    const doc = JSON.parse((await get('/api/v1/openapi.json')).body) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/v1/tickets');
  });

  it('closes gracefully: the port stops answering', async () => {
    const url = server.url;
    await server.close();
    await expect(
      new Promise((resolve, reject) =>
        request(`${url}/healthz`, { rejectUnauthorized: false, agent: false }, resolve).on('error', reject).end(),
      ),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
