import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiTokenDto, CreatedApiTokenDto } from '../../src/shared/api/api-tokens';
import { ENDPOINT_NAMES } from '../../src/shared/api/endpoint-routes';
import type { DeclaredEndpointName } from '../../src/shared/api/endpoints';
import { isStaffEndpoint, tokenScopeOf } from '../../src/shared/api/token-scopes';
import { API_SCOPES } from '../../src/shared/integrations';
import { createTestServer, describeEachDatabase, type TestServer } from './harness';
import { fileTicket } from './ticket-helpers';

/*
 * API tokens: created (shown once, stored as a hash only), used as `Authorization: Bearer dsk_…` on the
 * staff API with their scopes (403 outside them), refused when expired or revoked (401), never able to
 * manage tokens, service tokens attributed as `token:<name>`, device tokens unaffected, and the OpenAPI
 * document's scheme and per-operation scope.
 */

const DAY = 86_400_000;

describe('token scopes of the endpoint table', () => {
  it('gives every staff endpoint a scope or a reason to be session-only', () => {
    const missing = ENDPOINT_NAMES.filter(
      (name) => isStaffEndpoint(name) && tokenScopeOf(name as DeclaredEndpointName) === null,
    );
    expect(missing).toEqual([]);
    expect(tokenScopeOf('listTickets')).toBe('tickets:read');
    expect(tokenScopeOf('updateTicket')).toBe('tickets:write');
    expect(tokenScopeOf('createArticle')).toBe('content:write');
    expect(tokenScopeOf('createWebhook')).toBe('admin');
    expect(tokenScopeOf('createMyToken')).toBe('session-only');
    expect(tokenScopeOf('logout')).toBe('session-only');
    expect(tokenScopeOf('enroll')).toBeNull();
  });
});

describeEachDatabase('API tokens', (dialect) => {
  let s: TestServer;
  let admin: Record<string, string>;
  let tech: Record<string, string>;
  beforeAll(async () => (s = await createTestServer(dialect)));
  beforeEach(async () => {
    admin = (await s.login(s.admin.email)).headers;
    tech = (await s.login(s.tech.email)).headers;
  });
  afterAll(() => s?.close());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const mine = async (headers: Record<string, string>, payload: Record<string, unknown>) =>
    s.inject({ method: 'POST', url: '/api/v1/me/tokens', headers, payload });
  const createMine = async (headers: Record<string, string>, payload: Record<string, unknown>) => {
    const res = await mine(headers, payload);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<CreatedApiTokenDto>();
  };

  it('authenticates a personal token with its scopes, without CSRF, stored only as a hash', async () => {
    const created = await createMine(tech, { name: 'my script', scopes: ['tickets:read'], expiresInDays: 30 });
    expect(created.token).toMatch(/^dsk_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(`${created.token.slice(0, 10)}…`);
    // Read allowed; writes and other families refused with the scope named.
    const list = await s.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer(created.token) });
    expect(list.statusCode, list.body).toBe(200);
    const device = await s.enroll();
    const ticketId = await fileTicket(s, device);
    const patch = await s.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticketId}`,
      headers: bearer(created.token),
      payload: { status: 'open' },
    });
    expect(patch.statusCode).toBe(403);
    expect(patch.json()).toMatchObject({ error: { code: 'insufficient_scope' } });
    expect(patch.json().error.message).toContain('tickets:write');
    const devices = await s.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(created.token) });
    expect(devices.statusCode).toBe(403);

    // A writer token changes the ticket with no CSRF header and no cookie.
    const writer = await createMine(tech, { name: 'bot', scopes: ['tickets:read', 'tickets:write'], expiresInDays: 1 });
    const ok = await s.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticketId}`,
      headers: bearer(writer.token),
      payload: { status: 'open' },
    });
    expect(ok.statusCode, ok.body).toBe(200);

    // The database never holds the token, only its SHA-256; last use is recorded.
    const rows = await s.db.kysely.selectFrom('api_tokens').selectAll().execute();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(created.token);
    expect(dump).not.toContain(created.token.slice(10));
    const listed = await s.inject({ method: 'GET', url: '/api/v1/me/tokens', headers: tech });
    const dto = listed.json<{ tokens: ApiTokenDto[] }>().tokens.find((t) => t.id === created.id)!;
    expect(dto.lastUsedAt).not.toBeNull();
    expect(listed.body).not.toContain(created.token);
    // The device's own token still works.
    expect((await s.inject({ method: 'GET', url: '/api/v1/device/tickets', headers: device.headers })).statusCode).toBe(
      200,
    );
  });

  it('refuses expired, revoked, unknown and malformed tokens with 401', async () => {
    const t = await createMine(tech, { name: 'short', scopes: ['tickets:read'], expiresInDays: 1 });
    const get = (token: string) => s.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer(token) });
    expect((await get(t.token)).statusCode).toBe(200);
    s.clock.advance(DAY);
    expect((await get(t.token)).json()).toMatchObject({ error: { code: 'api_token_expired' } });
    tech = (await s.login(s.tech.email)).headers;
    const u = await createMine(tech, { name: 'revoke me', scopes: ['tickets:read'], expiresInDays: 7 });
    const revoked = await s.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${u.id}`, headers: tech });
    expect(revoked.json<ApiTokenDto>().revokedAt).not.toBeNull();
    const after = await get(u.token);
    expect([after.statusCode, after.json().error.code]).toEqual([401, 'api_token_revoked']);
    const forged = `dsk_${'A'.repeat(43)}`;
    expect((await get(forged)).json()).toMatchObject({ error: { code: 'invalid_api_token' } });
    expect((await get('dsk_short')).json()).toMatchObject({ error: { code: 'invalid_api_token' } });
    expect((await get(`${u.token}x`)).statusCode).toBe(401);
    // Someone else's token id is not found (not "forbidden": its existence is not told).
    admin = (await s.login(s.admin.email)).headers;
    const other = await s.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${u.id}`, headers: admin });
    expect(other.statusCode).toBe(404);
  });

  it('never lets a token manage tokens, and keeps scopes within the role', async () => {
    const everything = await createMine(admin, { name: 'all', scopes: [...API_SCOPES], expiresInDays: 365 });
    for (const [method, url] of [
      ['GET', '/api/v1/me/tokens'],
      ['POST', '/api/v1/me/tokens'],
      ['DELETE', `/api/v1/me/tokens/${everything.id}`],
      ['GET', '/api/v1/service-tokens'],
      ['POST', '/api/v1/service-tokens'],
    ] as const) {
      const res = await s.inject({
        method,
        url,
        headers: bearer(everything.token),
        ...(method === 'POST' ? { payload: { name: 'x', scopes: ['admin'], expiresInDays: 1 } } : {}),
      });
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 403, 'session_only']);
    }
    // An admin token can do admin things (webhooks), a technician cannot grant admin or content:write.
    expect(
      (await s.inject({ method: 'GET', url: '/api/v1/webhooks', headers: bearer(everything.token) })).statusCode,
    ).toBe(200);
    const beyond = await mine(tech, { name: 'x', scopes: ['admin'], expiresInDays: 1 });
    expect([beyond.statusCode, beyond.json().error.code]).toEqual([422, 'scope_not_allowed']);
    for (const bad of [
      { name: 'x', scopes: ['tickets:read'], expiresInDays: 366 },
      { name: 'x', scopes: ['tickets:read'], expiresInDays: 0 },
      { name: 'x', scopes: ['tickets:read'], expiresInDays: null },
      { name: 'x', scopes: ['tickets:read'] },
      { name: 'x', scopes: [], expiresInDays: 1 },
      { name: 'x', scopes: ['root'], expiresInDays: 1 },
      { name: '', scopes: ['tickets:read'], expiresInDays: 1 },
    ])
      expect((await mine(tech, bad)).statusCode, JSON.stringify(bad)).toBe(400);
    // Technicians cannot reach service tokens at all.
    expect((await s.inject({ method: 'GET', url: '/api/v1/service-tokens', headers: tech })).statusCode).toBe(403);
  });

  it('service tokens act as token:<name>, may have no expiry, and stop when revoked', async () => {
    const res = await s.inject({
      method: 'POST',
      url: '/api/v1/service-tokens',
      headers: admin,
      payload: { name: 'ci-bot', scopes: ['tickets:read', 'tickets:write'], expiresInDays: null },
    });
    expect(res.statusCode, res.body).toBe(201);
    const svc = res.json<CreatedApiTokenDto>();
    expect(svc).toMatchObject({ kind: 'service', expiresAt: null });
    const dup = await s.inject({
      method: 'POST',
      url: '/api/v1/service-tokens',
      headers: admin,
      payload: { name: 'ci-bot', scopes: ['tickets:read'], expiresInDays: 30 },
    });
    expect(dup.statusCode).toBe(409);
    const badName = await s.inject({
      method: 'POST',
      url: '/api/v1/service-tokens',
      headers: admin,
      payload: { name: 'CI Bot!', scopes: ['tickets:read'], expiresInDays: 30 },
    });
    expect(badName.statusCode).toBe(400);

    const device = await s.enroll();
    const ticketId = await fileTicket(s, device);
    const reply = await s.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/messages`,
      headers: bearer(svc.token),
      payload: { body: 'Automated: the VPN gateway was restarted.' },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    expect(reply.json()).toMatchObject({ author: { name: 'token:ci-bot' } });
    // The service account is not a person: not in the staff list, cannot sign in.
    const staff = await s.inject({ method: 'GET', url: '/api/v1/staff', headers: admin });
    expect(staff.body).not.toContain('token:ci-bot');
    const audit = await s.inject({ method: 'GET', url: '/api/v1/audit?action=api_token.', headers: admin });
    expect(audit.body).toContain('token:ci-bot');
    // Admin-only endpoints stay closed to a technician-level service token.
    expect((await s.inject({ method: 'GET', url: '/api/v1/audit', headers: bearer(svc.token) })).statusCode).toBe(403);

    const revoke = await s.inject({ method: 'DELETE', url: `/api/v1/service-tokens/${svc.id}`, headers: admin });
    expect(revoke.statusCode).toBe(200);
    const after = await s.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer(svc.token) });
    expect(after.statusCode).toBe(401);
  });

  it('documents the apiToken scheme and each operation’s scope in the OpenAPI document', async () => {
    const doc = (await s.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(doc.components.securitySchemes.apiToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    const listTickets = doc.paths['/api/v1/tickets'].get;
    expect(listTickets.security).toContainEqual({ apiToken: [] });
    expect(listTickets.description).toContain('API token scope: `tickets:read`');
    const createToken = doc.paths['/api/v1/me/tokens'].post;
    expect(createToken.security).not.toContainEqual({ apiToken: [] });
    expect(createToken.description).toContain('Session only');
    expect(doc.paths['/api/v1/enroll'].post.security).toBeUndefined();
  });
});
