import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runDueChecks } from '../../src/server/netmon/server-checks.service';
import type { ServerCheckDto } from '../../src/shared/api/netmon';
import { selfSignedCert } from '../helpers/self-signed';
import { createTestServer, describeEachDatabase, type TestServer } from './harness';

/*
 * Server-side checks against loopback services only: an HTTP server (200 and 500 routes), a port with
 * nothing listening, and a TLS server whose self-signed certificate (made here with openssl) expires in 5 days.
 */

const listen = (server: net.Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );

describeEachDatabase('network monitoring: server-side checks', (dialect) => {
  let s: TestServer;
  let dir: string;
  const servers: net.Server[] = [];
  let httpPort: number;
  let closedPort: number;
  let tlsPort: number;
  let admin: Record<string, string>;
  let tech: Record<string, string>;

  beforeAll(async () => {
    s = await createTestServer(dialect);
    // Real time, as the certificate's dates are; sessions signed in on the harness's clock would have expired.
    s.clock.now = Date.now();
    admin = (await s.login(s.admin.email)).headers;
    tech = (await s.login(s.tech.email)).headers;
    const web = http.createServer((req, res) => {
      res.statusCode = req.url === '/fail' ? 500 : 200;
      res.end('hi');
    });
    servers.push(web);
    httpPort = await listen(web);
    const probe = net.createServer();
    closedPort = await listen(probe);
    await new Promise((r) => probe.close(r));
    dir = mkdtempSync(join(tmpdir(), 'netmon-tls-'));
    const made = await selfSignedCert(dir, 'cert', { days: 5, cn: 'localhost' });
    const secure = tls.createServer({ key: readFileSync(made.keyFile), cert: made.cert }, (socket) => socket.end());
    servers.push(secure);
    tlsPort = await listen(secure);
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    rmSync(dir, { recursive: true, force: true });
    await s?.close();
  });

  const put = async (slug: string, body: Record<string, unknown>, headers = admin) =>
    s.inject({ method: 'PUT', url: `/api/v1/netmon/checks/${slug}`, headers, payload: body });

  it('checks HTTP, TCP and TLS services on a schedule, stores results as series, and warns before a certificate expires', async () => {
    expect(
      (await put('web', { kind: 'http', label: 'Web', scheme: 'http', host: '127.0.0.1', port: httpPort, path: '/' }))
        .statusCode,
    ).toBe(201);
    expect(
      (
        await put('web-fail', {
          kind: 'http',
          label: 'Broken',
          scheme: 'http',
          host: '127.0.0.1',
          port: httpPort,
          path: '/fail',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await put('web-500', {
          kind: 'http',
          label: 'Expects 500',
          scheme: 'http',
          host: '127.0.0.1',
          port: httpPort,
          path: '/fail',
          expectedStatus: 500,
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await put('nothing', { kind: 'tcp', label: 'Closed', host: '127.0.0.1', port: closedPort })).statusCode,
    ).toBe(201);
    expect(
      (await put('tcp-web', { kind: 'tcp', label: 'Web port', host: '127.0.0.1', port: httpPort })).statusCode,
    ).toBe(201);
    expect(
      (await put('cert', { kind: 'tls', label: 'Cert', host: '127.0.0.1', port: tlsPort, verifyTls: false }))
        .statusCode,
    ).toBe(201);
    expect(
      (
        await put('cert-short', {
          kind: 'tls',
          label: 'Cert, 3 days',
          host: '127.0.0.1',
          port: tlsPort,
          verifyTls: false,
          warnDays: 3,
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await put('cert-trusted', { kind: 'tls', label: 'Cert verified', host: '127.0.0.1', port: tlsPort })).statusCode,
    ).toBe(201);
    // A technician may not.
    expect((await put('x', { kind: 'tcp', label: 'X', host: '127.0.0.1', port: 1 }, tech)).statusCode).toBe(403);

    const outcomes = await runDueChecks(s.ctx);
    expect(outcomes.size).toBe(8);
    const list = await s.inject({ method: 'GET', url: '/api/v1/netmon/checks', headers: tech });
    const checks = new Map(list.json<{ checks: ServerCheckDto[] }>().checks.map((c) => [c.slug, c]));
    const summary = (slug: string) => [checks.get(slug)?.health, checks.get(slug)?.lastError];
    expect(summary('web')).toEqual(['ok', null]);
    expect(summary('web-fail')).toEqual(['down', 'status-500']);
    expect(summary('web-500')).toEqual(['ok', null]);
    expect(summary('nothing')).toEqual(['down', 'refused']);
    expect(summary('tcp-web')).toEqual(['ok', null]);
    expect(summary('cert')).toEqual(['degraded', 'cert-expiring']);
    expect(summary('cert-short')).toEqual(['ok', null]);
    expect(summary('cert-trusted')).toEqual(['down', 'tls-untrusted']);
    expect(checks.get('cert')?.certDaysLeft).toBeGreaterThanOrEqual(4);
    expect(checks.get('cert')?.certDaysLeft).toBeLessThanOrEqual(5);
    expect(checks.get('web')?.lastRttMs).toBeGreaterThan(0);

    // Not due again until its interval passed; then a second point in its series.
    expect((await runDueChecks(s.ctx)).size).toBe(0);
    s.clock.now += 61_000;
    expect((await runDueChecks(s.ctx)).has('web')).toBe(true);
    const series = await s.inject({
      method: 'GET',
      url: '/api/v1/netmon/checks/web/series?window=1h',
      headers: tech,
    });
    expect(series.statusCode, series.body).toBe(200);
    const body = series.json<{ targets: { target: string; points: { lossPct: number }[] }[] }>();
    expect(body.targets.map((t) => t.target)).toEqual(['check:web']);
    expect(body.targets[0]!.points.map((p) => p.lossPct)).toEqual([0, 0]);
    const failing = await s.inject({
      method: 'GET',
      url: '/api/v1/netmon/checks/nothing/series?window=1h',
      headers: tech,
    });
    expect(
      failing.json<{ targets: { points: { lossPct: number; error: string }[] }[] }>().targets[0]!.points[0],
    ).toMatchObject({ lossPct: 100, error: 'refused' });

    const removed = await s.inject({ method: 'DELETE', url: '/api/v1/netmon/checks/web', headers: admin });
    expect(removed.statusCode).toBe(204);
    const again = await s.inject({ method: 'DELETE', url: '/api/v1/netmon/checks/web', headers: admin });
    expect(again.statusCode).toBe(404);
    const actions = await s.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'netmon.check.%')
      .execute();
    expect(actions.filter((a) => a.action === 'netmon.check.saved')).toHaveLength(8);
    expect(actions.filter((a) => a.action === 'netmon.check.deleted')).toHaveLength(1);
  });
});
