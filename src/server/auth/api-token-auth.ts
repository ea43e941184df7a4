import type { FastifyRequest } from 'fastify';
import { tokenScopeOf } from '../../shared/api/token-scopes';
import type { DeclaredEndpointName } from '../../shared/api/endpoints';
import { API_TOKEN_PREFIX, ROLE_SCOPES, type ApiScope } from '../../shared/integrations';
import type { ServerContext } from '../context';
import { parseStringArray } from '../db/json-columns';
import { forbidden, unauthorized } from '../errors';
import { selectTokenWithStaff, touchToken } from './api-tokens.repo';
import { hashToken, safeEqual } from './crypto';

/*
 * `Authorization: Bearer dsk_…` on the staff API: the request acts as the token's staff member (or service
 * account) with the token's scopes. No CSRF token: CSRF rides on cookies a browser sends by itself, and a
 * bearer header is never sent by itself. Device tokens have no prefix, so the two never mix.
 */

const TOKEN_PATTERN = new RegExp(`^Bearer\\s+(${API_TOKEN_PREFIX}[A-Za-z0-9_-]{43})$`);
const TOUCH_EVERY_MS = 60_000;

/** Whether an Authorization header carries an API token (rather than a device token). */
export function isApiTokenHeader(header: string | undefined): boolean {
  return typeof header === 'string' && /^Bearer\s+dsk_/.test(header);
}

export interface TokenCaller {
  user: { id: number; email: string; name: string; role: 'admin' | 'technician'; group_name: string | null };
  token: { id: number; name: string; kind: 'personal' | 'service'; scopes: ApiScope[] };
}

/** The endpoint's scope check: 403 when the token may not call it. */
function requireScope(request: FastifyRequest, role: 'admin' | 'technician', scopes: readonly ApiScope[]): void {
  const name = request.routeOptions.config.endpoint as DeclaredEndpointName | undefined;
  const needed = name ? tokenScopeOf(name) : null;
  if (needed === 'session-only')
    throw forbidden('This needs a signed-in session; API tokens cannot call it', 'session_only');
  if (needed === null) throw forbidden('API tokens cannot call this endpoint', 'token_not_allowed');
  // A scope the role has since lost (a demoted admin's token) no longer counts.
  if (!scopes.includes(needed) || !ROLE_SCOPES[role].includes(needed))
    throw forbidden(`This API token lacks the scope ${needed}`, 'insufficient_scope');
}

/** Authenticates an API token for a staff endpoint (role and scope); throws 401/403. */
export async function authenticateApiToken(
  ctx: ServerContext,
  request: FastifyRequest,
  role: 'technician' | 'admin',
): Promise<TokenCaller> {
  const match = TOKEN_PATTERN.exec(request.headers.authorization ?? '');
  if (!match?.[1]) throw unauthorized('The API token is malformed', 'invalid_api_token');
  const hash = hashToken(match[1]);
  const row = await selectTokenWithStaff(ctx.db.kysely, hash);
  // The lookup is by hash (an index); the comparison after it is constant-time all the same.
  if (!row || !safeEqual(row.token_hash, hash)) throw unauthorized('The API token is not valid', 'invalid_api_token');
  const now = ctx.now();
  if (row.revoked_at !== null) throw unauthorized('The API token has been revoked', 'api_token_revoked');
  if (row.expires_at !== null && now >= row.expires_at)
    throw unauthorized('The API token has expired', 'api_token_expired');
  if (row.active !== 1) throw unauthorized('The account of this API token is deactivated', 'account_inactive');
  const scopes = parseStringArray(row.scopes) as ApiScope[];
  if (role === 'admin' && row.role !== 'admin') throw forbidden('Only administrators can do this', 'admin_only');
  requireScope(request, row.role, scopes);
  if (row.last_used_at === null || now - row.last_used_at > TOUCH_EVERY_MS)
    await touchToken(ctx.db.kysely, row.token_id, now);
  return {
    user: { id: row.id, email: row.email, name: row.name, role: row.role, group_name: row.group_name },
    token: { id: row.token_id, name: row.token_name, kind: row.kind, scopes },
  };
}
