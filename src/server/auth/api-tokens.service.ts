import type { z } from 'zod';
import type {
  ApiTokenDto,
  CreatedApiTokenDto,
  createPersonalTokenRequestSchema,
  createServiceTokenRequestSchema,
} from '../../shared/api/api-tokens';
import { API_TOKEN_PREFIX, ROLE_SCOPES, type ApiScope } from '../../shared/integrations';
import type { ServerContext } from '../context';
import { parseStringArray } from '../db/json-columns';
import { conflict, notFound, unprocessable } from '../errors';
import {
  insertToken,
  revokeTokenRow,
  selectPersonalTokens,
  selectServiceTokens,
  selectTokenById,
  serviceTokenNameTaken,
  type ApiTokenListRow,
} from './api-tokens.repo';
import { hashToken, randomToken } from './crypto';
import type { StaffUser } from './guards';
import { insertStaff, updateStaffRow } from './staff.repo';

/*
 * Personal and service API tokens. A token is `dsk_` + 32 random bytes (base64url), shown once; the
 * database keeps its SHA-256 and its first characters (to tell tokens apart in a list).
 */

const DAY_MS = 86_400_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function tokenDto(r: ApiTokenListRow): ApiTokenDto {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    prefix: `${r.prefix}…`,
    scopes: parseStringArray(r.scopes) as ApiScope[],
    createdAt: iso(r.created_at)!,
    expiresAt: iso(r.expires_at),
    revokedAt: iso(r.revoked_at),
    lastUsedAt: iso(r.last_used_at),
    createdBy: r.created_by_name,
  };
}

function newToken(): { token: string; hash: string; prefix: string } {
  const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
  return { token, hash: hashToken(token), prefix: token.slice(0, API_TOKEN_PREFIX.length + 6) };
}

/** 422 when a scope is beyond what the role may do. */
function checkScopes(role: StaffUser['role'], scopes: readonly ApiScope[]): void {
  const beyond = scopes.filter((s) => !ROLE_SCOPES[role].includes(s));
  if (beyond.length > 0)
    throw unprocessable('scope_not_allowed', `Your role (${role}) cannot grant: ${beyond.join(', ')}`, {
      scopes: beyond,
    });
}

export async function listPersonalTokens(ctx: ServerContext, user: StaffUser): Promise<ApiTokenDto[]> {
  return (await selectPersonalTokens(ctx.db.kysely, user.id)).map(tokenDto);
}

export async function createPersonalToken(
  ctx: ServerContext,
  user: StaffUser,
  body: z.output<typeof createPersonalTokenRequestSchema>,
): Promise<CreatedApiTokenDto> {
  checkScopes(user.role, body.scopes);
  const now = ctx.now();
  const { token, hash, prefix } = newToken();
  const row = await insertToken(ctx.db.kysely, {
    kind: 'personal',
    name: body.name,
    staff_id: user.id,
    token_hash: hash,
    prefix,
    scopes: JSON.stringify(body.scopes),
    created_by: user.id,
    created_at: now,
    expires_at: now + body.expiresInDays * DAY_MS,
  });
  return { ...tokenDto({ ...row, created_by_name: user.name }), token };
}

/** Revokes one of `user`'s personal tokens (404 for anyone else's: not known to exist). */
export async function revokePersonalToken(ctx: ServerContext, user: StaffUser, id: number): Promise<ApiTokenDto> {
  const row = await selectTokenById(ctx.db.kysely, id);
  if (!row || row.kind !== 'personal' || row.staff_id !== user.id) throw notFound('Token', 'token_not_found');
  await revokeTokenRow(ctx.db.kysely, id, ctx.now());
  return tokenDto((await selectTokenById(ctx.db.kysely, id))!);
}

export async function listServiceTokens(ctx: ServerContext): Promise<ApiTokenDto[]> {
  return (await selectServiceTokens(ctx.db.kysely)).map(tokenDto);
}

/**
 * A service token and its own service account (`token:<name>`, no usable password, left out of staff
 * lists): what the token does is attributed to it, with the role its scopes need.
 */
export async function createServiceToken(
  ctx: ServerContext,
  admin: StaffUser,
  body: z.output<typeof createServiceTokenRequestSchema>,
): Promise<CreatedApiTokenDto> {
  checkScopes(admin.role, body.scopes);
  if (await serviceTokenNameTaken(ctx.db.kysely, body.name))
    throw conflict('token_name_taken', `A live service token is already named ${body.name}`);
  const now = ctx.now();
  const { token, hash, prefix } = newToken();
  const staffId = await insertStaff(ctx.db.kysely, {
    email: `token-${hash.slice(0, 16)}@service.invalid`,
    name: `token:${body.name}`,
    role: body.scopes.includes('admin') || body.scopes.includes('content:write') ? 'admin' : 'technician',
    // Not a scrypt hash: verifyPassword refuses it, so the account can never sign in.
    password_hash: '!service-account',
    group_name: null,
    active: 1,
    created_at: now,
    last_login_at: null,
    service: 1,
  });
  const row = await insertToken(ctx.db.kysely, {
    kind: 'service',
    name: body.name,
    staff_id: staffId,
    token_hash: hash,
    prefix,
    scopes: JSON.stringify(body.scopes),
    created_by: admin.id,
    created_at: now,
    expires_at: body.expiresInDays === null ? null : now + body.expiresInDays * DAY_MS,
  });
  return { ...tokenDto({ ...row, created_by_name: admin.name }), token };
}

export async function revokeServiceToken(ctx: ServerContext, id: number): Promise<ApiTokenDto> {
  const row = await selectTokenById(ctx.db.kysely, id);
  if (!row || row.kind !== 'service') throw notFound('Token', 'token_not_found');
  await revokeTokenRow(ctx.db.kysely, id, ctx.now());
  // The account goes with its token (its name stays on what it did).
  await updateStaffRow(ctx.db.kysely, row.staff_id, { active: 0 });
  return tokenDto((await selectTokenById(ctx.db.kysely, id))!);
}
