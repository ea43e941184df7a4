import { afterEach, expect, it } from 'vitest';
import { loadServerConfig } from '../../src/server/config';
import { createTestServer, describeEachDatabase, type TestServer } from './harness';

/* Behind a reverse proxy (deploy/nginx): the client's address comes from X-Forwarded-For, from trusted proxies only. */
describeEachDatabase('trusted proxies', (dialect) => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  const failedLoginKeys = async (server: TestServer) => {
    const res = await server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-forwarded-for': '203.0.113.7' },
      payload: { email: 'nobody@example.com', password: 'wrong password, surely' },
    });
    expect(res.statusCode).toBe(200);
    return (await server.db.kysely.selectFrom('login_attempts').select('key').execute()).map((r) => r.key);
  };

  it("counts sign-ins by the proxy's client address when the proxy is trusted", async () => {
    s = await createTestServer(dialect, { trustProxy: '127.0.0.1' });
    expect(await failedLoginKeys(s)).toContain('ip:203.0.113.7');
  });

  it('ignores X-Forwarded-For from anyone not trusted (the default)', async () => {
    s = await createTestServer(dialect);
    const keys = await failedLoginKeys(s);
    expect(keys).not.toContain('ip:203.0.113.7');
    expect(keys).toContain('ip:127.0.0.1');
  });
});

it('refuses a trust-proxy setting that is not a list of addresses', () => {
  expect(loadServerConfig({ trustProxy: '127.0.0.1, 10.0.0.0/8' }, {})).toMatchObject({ ok: true });
  expect(loadServerConfig({}, { DESKSIDE_TRUST_PROXY: 'loopback' })).toMatchObject({ ok: true });
  const bad = loadServerConfig({ trustProxy: 'everyone; rm -rf' }, {});
  expect(bad).toMatchObject({ ok: false, message: expect.stringContaining('DESKSIDE_TRUST_PROXY') });
});
