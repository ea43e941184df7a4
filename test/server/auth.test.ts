import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, describeEachDatabase, PASSWORD, type TestServer } from './harness';

describeEachDatabase('staff auth', (dialect) => {
  let s: TestServer;
  beforeAll(async () => (s = await createTestServer(dialect)));
  afterAll(() => s.close());

  it('signs in with an HttpOnly SameSite=Strict cookie and returns the CSRF token', async () => {
    const res = await s.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: s.tech.email.toUpperCase(), password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'deskside_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(res.json()).toMatchObject({
      signedIn: true,
      user: { email: s.tech.email, role: 'technician', group: 'tier1' },
      csrfToken: expect.any(String),
    });
    const session = await s.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: `deskside_session=${cookie?.value}` },
    });
    expect(session.json().user.email).toBe(s.tech.email);
    // The readable hint cookie carries no secret and lives as long as the session may stay idle.
    const hint = res.cookies.find((c) => c.name === 'deskside_signed_in');
    expect(hint).toMatchObject({ value: '1', sameSite: 'Strict', path: '/', maxAge: 30 * 60 });
    expect(hint?.httpOnly).toBeFalsy();
  });

  it('answers the session probe with signedIn: false, not an error, when signed out', async () => {
    const none = await s.inject({ method: 'GET', url: '/api/v1/auth/session' });
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({ signedIn: false });
    const unknown = await s.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: `deskside_session=${'x'.repeat(43)}; deskside_signed_in=1` },
    });
    expect(unknown.json()).toEqual({ signedIn: false });
    expect(unknown.cookies.find((c) => c.name === 'deskside_signed_in')).toMatchObject({ value: '' });
  });

  it('rejects wrong passwords and unknown accounts alike', async () => {
    const wrong = await s.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: s.tech.email, password: 'nope' },
    });
    const unknown = await s.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ghost@example.com', password: 'nope' },
    });
    // A failed sign-in is an answer, not an HTTP error: the console has no failed request to log.
    expect(wrong.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    expect(wrong.json()).toEqual({
      signedIn: false,
      error: { code: 'invalid_credentials', message: 'Wrong email or password' },
    });
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.cookies).toEqual([]);
  });

  it('locks an account after 5 failures for 15 minutes, with Retry-After', async () => {
    const victim = await s.staff('technician');
    for (let i = 0; i < 5; i++)
      await s.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: victim.email, password: 'wrong' },
      });
    const locked = await s.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: victim.email, password: PASSWORD },
    });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('too_many_attempts');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    s.clock.advance(15 * 60_000 + 1);
    const later = await s.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: victim.email, password: PASSWORD },
    });
    expect(later.statusCode).toBe(200);
  });

  it('requires the CSRF token on state-changing requests', async () => {
    const noCsrf = await s.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: s.tech.headers.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf_failed');
    const badCsrf = await s.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { ...s.tech.headers, 'x-csrf-token': 'x'.repeat(43) },
    });
    expect(badCsrf.statusCode).toBe(403);
  });

  it('expires sessions after idle time and after the absolute lifetime', async () => {
    const idle = await s.staff('technician');
    s.clock.advance(29 * 60_000);
    expect((await s.inject({ method: 'GET', url: '/api/v1/auth/session', headers: idle.headers })).statusCode).toBe(
      200,
    );
    s.clock.advance(30 * 60_000 + 1);
    const expired = await s.inject({ method: 'GET', url: '/api/v1/tickets', headers: idle.headers });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('session_expired');
    expect(expired.cookies.find((c) => c.name === 'deskside_signed_in')).toMatchObject({ value: '' });
    expect((await s.inject({ method: 'GET', url: '/api/v1/auth/session', headers: idle.headers })).json()).toEqual({
      signedIn: false,
    });

    const busy = await s.staff('technician');
    for (let hour = 0; hour < 12; hour++) {
      s.clock.advance(20 * 60_000);
      await s.inject({ method: 'GET', url: '/api/v1/auth/session', headers: busy.headers });
      s.clock.advance(20 * 60_000);
      await s.inject({ method: 'GET', url: '/api/v1/auth/session', headers: busy.headers });
      s.clock.advance(20 * 60_000);
      await s.inject({ method: 'GET', url: '/api/v1/auth/session', headers: busy.headers });
    }
    expect((await s.inject({ method: 'GET', url: '/api/v1/auth/session', headers: busy.headers })).json()).toEqual({
      signedIn: false,
    });
  });

  it('logs out: the cookie stops working', async () => {
    const me = await s.staff('technician');
    const out = await s.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: me.headers });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'deskside_signed_in')).toMatchObject({ value: '' });
    expect((await s.inject({ method: 'GET', url: '/api/v1/auth/session', headers: me.headers })).json()).toEqual({
      signedIn: false,
    });
    expect((await s.inject({ method: 'GET', url: '/api/v1/tickets', headers: me.headers })).statusCode).toBe(401);
  });

  it('lets only admins manage staff, and a deactivated account loses its sessions', async () => {
    // Fresh sessions: earlier tests moved the clock past the shared ones' idle limit.
    const [admin, tech] = await Promise.all([s.staff('admin'), s.staff('technician')]);
    const create = {
      email: 'new.tech@example.com',
      name: 'New Tech',
      role: 'technician',
      password: PASSWORD,
      group: 'tier2',
    };
    expect(
      (await s.inject({ method: 'POST', url: '/api/v1/staff', headers: tech.headers, payload: create })).statusCode,
    ).toBe(403);
    const created = await s.inject({ method: 'POST', url: '/api/v1/staff', headers: admin.headers, payload: create });
    expect(created.statusCode).toBe(201);
    expect(
      (await s.inject({ method: 'POST', url: '/api/v1/staff', headers: admin.headers, payload: create })).statusCode,
    ).toBe(409);
    const session = await s.login('new.tech@example.com');
    const id = created.json().id as number;
    expect(
      (
        await s.inject({
          method: 'PATCH',
          url: `/api/v1/staff/${id}`,
          headers: admin.headers,
          payload: { active: false },
        })
      ).statusCode,
    ).toBe(200);
    expect((await s.inject({ method: 'GET', url: '/api/v1/auth/session', headers: session.headers })).json()).toEqual({
      signedIn: false,
    });
    expect(
      (
        await s.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: 'new.tech@example.com', password: PASSWORD },
        })
      ).json(),
    ).toMatchObject({ signedIn: false, error: { code: 'invalid_credentials' } });
  });
});

describeEachDatabase('enrollment', (dialect) => {
  let s: TestServer;
  beforeAll(async () => (s = await createTestServer(dialect)));
  afterAll(() => s.close());

  it('enrolls with a valid secret, gives a long random token, and re-enrolling rotates it', async () => {
    const a = await s.enroll({ machineId: 'machine-fixed-0001' });
    expect(a.token.length).toBeGreaterThanOrEqual(43);
    const row = await s.db.kysely
      .selectFrom('devices')
      .select(['token_hash'])
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).not.toContain(a.token);
    const b = await s.enroll({ machineId: 'machine-fixed-0001' });
    expect(b.id).toBe(a.id);
    const beat = {
      agentVersion: '0.1.1',
      health: { status: 'warning', findings: [{ code: 'uptime.long', severity: 'warning' }] },
    };
    expect(
      (await s.inject({ method: 'POST', url: '/api/v1/devices/heartbeat', headers: a.headers, payload: beat }))
        .statusCode,
    ).toBe(401);
    expect(
      (await s.inject({ method: 'POST', url: '/api/v1/devices/heartbeat', headers: b.headers, payload: beat }))
        .statusCode,
    ).toBe(200);
  });

  it('refuses bad and revoked secrets; revoked device tokens stop working', async () => {
    const bad = await s.inject({
      method: 'POST',
      url: '/api/v1/enroll',
      payload: {
        enrollSecret: 'x'.repeat(20),
        machineId: 'machine-x-1',
        hostname: 'h',
        os: { platform: 'linux' },
        agentVersion: '1',
      },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('invalid_enroll_secret');
    const device = await s.enroll();
    expect(
      (await s.inject({ method: 'POST', url: `/api/v1/devices/${device.id}/revoke`, headers: s.tech.headers }))
        .statusCode,
    ).toBe(403);
    expect(
      (await s.inject({ method: 'POST', url: `/api/v1/devices/${device.id}/revoke`, headers: s.admin.headers }))
        .statusCode,
    ).toBe(204);
    const beat = await s.inject({
      method: 'POST',
      url: '/api/v1/devices/heartbeat',
      headers: device.headers,
      payload: { agentVersion: '1', health: { status: 'healthy', findings: [] } },
    });
    expect(beat.json().error.code).toBe('invalid_device_token');
    const secrets = await s.inject({ method: 'GET', url: '/api/v1/enroll-secrets', headers: s.admin.headers });
    const id = secrets.json().secrets[0].id as number;
    expect(
      (await s.inject({ method: 'DELETE', url: `/api/v1/enroll-secrets/${id}`, headers: s.admin.headers })).statusCode,
    ).toBe(204);
    await expect(s.enroll()).rejects.toThrow(/401/);
  });
});
