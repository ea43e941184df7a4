import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context';
import type { DevicesTable, StaffUsersTable } from '../db/schema';
import type { Selectable } from 'kysely';
import { forbidden, unauthorized } from '../errors';
import { selectDeviceByTokenHash, touchDevice } from '../devices/devices.repo';
import { hashToken, safeEqual } from './crypto';
import { deviceAuthCacheOf } from './device-auth-cache';
import { SESSION_COOKIE, SIGNED_IN_HINT_COOKIE } from '../../shared/api/session-cookies';
import { deleteSession, selectSessionWithStaff, touchSession } from './sessions.repo';
import { authenticateApiToken, isApiTokenHeader } from './api-token-auth';

export type StaffUser = Pick<Selectable<StaffUsersTable>, 'id' | 'email' | 'name' | 'role' | 'group_name'>;
export type DeviceIdentity = Pick<
  Selectable<DevicesTable>,
  'id' | 'hostname' | 'os_platform' | 'groups' | 'machine_id'
>;

/** Who is calling: an enrolled device or a signed-in staff member. */
export type Auth =
  | { kind: 'device'; device: DeviceIdentity }
  | {
      kind: 'staff';
      user: StaffUser;
      sessionId: string;
      csrfToken: string;
      /** Set when the request came with an API token instead of a session (then sessionId and csrfToken are ''). */
      token?: { id: number; name: string; kind: 'personal' | 'service' };
    };

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth | null;
  }
}

export { SESSION_COOKIE };
export const CSRF_HEADER = 'x-csrf-token';
// Touching a session or device on every request would turn every read into a write.
const TOUCH_EVERY_MS = 60_000;

/** Guards run as `onRequest` hooks: a caller is authenticated before its body is even read. */
type PreHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** Requires `Authorization: Bearer <device token>` of an enrolled, non-revoked device. */
export function requireDevice(ctx: ServerContext): PreHandler {
  return async (request) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header);
    if (!match?.[1])
      throw unauthorized('Send the device token as Authorization: Bearer <token>', 'device_token_required');
    const tokenHash = hashToken(match[1]);
    const cache = deviceAuthCacheOf<DeviceIdentity>(ctx.bus);
    let device = cache.get(tokenHash, ctx.now());
    if (!device) {
      const generation = cache.generation;
      const row = await selectDeviceByTokenHash(ctx.db, tokenHash);
      if (!row || row.token_revoked_at !== null)
        throw unauthorized('The device token is invalid or revoked; enroll again', 'invalid_device_token');
      const identity = {
        id: row.id,
        hostname: row.hostname,
        os_platform: row.os_platform,
        groups: row.groups,
        machine_id: row.machine_id,
      };
      device = cache.remember(tokenHash, row.id, { identity, lastSeenAt: row.last_seen_at }, ctx.now(), generation);
    }
    const now = ctx.now();
    if (now - device.lastSeenAt > TOUCH_EVERY_MS) {
      device.lastSeenAt = now;
      await touchDevice(ctx.db.kysely, device.identity.id, now);
    }
    request.auth = { kind: 'device', device: device.identity };
  };
}

/** A live staff session as found by `findStaffSession`. */
export interface StaffSession {
  user: StaffUser;
  sessionId: string;
  csrfToken: string;
}

/**
 * The live session of the request's cookie, or null (no cookie, unknown, idle or past its absolute
 * lifetime, or the account deactivated; a dead session row is deleted). Touches the session at most
 * once a minute and refreshes the readable hint cookie so it expires with the session.
 */
export async function findStaffSession(
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<(StaffSession & { role: string }) | null> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  const id = hashToken(token);
  const now = ctx.now();
  const row = await selectSessionWithStaff(ctx.db.kysely, id);
  const idleMs = ctx.config.sessionIdleMinutes * 60_000;
  if (!row || row.active !== 1 || now >= row.expires_at || now - row.last_seen_at >= idleMs) {
    if (row) await deleteSession(ctx.db.kysely, id);
    clearSignedInHint(reply);
    return null;
  }
  if (now - row.last_seen_at > TOUCH_EVERY_MS) {
    await touchSession(ctx.db.kysely, id, now);
    setSignedInHint(ctx, reply, Math.min(now + idleMs, row.expires_at) - now);
  }
  return {
    user: { id: row.id, email: row.email, name: row.name, role: row.role, group_name: row.group_name },
    role: row.role,
    sessionId: id,
    csrfToken: row.csrf_token,
  };
}

/** Sets the readable hint cookie (value "1", no secret) to live `ms` more, like the session. */
export function setSignedInHint(ctx: ServerContext, reply: FastifyReply, ms: number): void {
  void reply.setCookie(SIGNED_IN_HINT_COOKIE, '1', {
    httpOnly: false,
    sameSite: 'strict',
    secure: Boolean(ctx.config.tlsCert),
    path: '/',
    maxAge: Math.max(0, Math.floor(ms / 1000)),
  });
}

/** Removes the hint cookie: the session is gone. */
export function clearSignedInHint(reply: FastifyReply): void {
  void reply.clearCookie(SIGNED_IN_HINT_COOKIE, { path: '/' });
}

/** Requires a live staff session (idle and absolute expiry), the role, and a CSRF token on writes. */
export function requireStaff(ctx: ServerContext, role: 'technician' | 'admin' = 'technician'): PreHandler {
  return async (request, reply) => {
    if (isApiTokenHeader(request.headers.authorization)) {
      const { user, token } = await authenticateApiToken(ctx, request, role);
      request.auth = { kind: 'staff', user, sessionId: '', csrfToken: '', token };
      return;
    }
    if (!request.cookies[SESSION_COOKIE]) throw unauthorized('Sign in first', 'session_required');
    const session = await findStaffSession(ctx, request, reply);
    if (!session) throw unauthorized('Your session has expired; sign in again', 'session_expired');
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken))
        throw forbidden('Missing or wrong CSRF token (X-CSRF-Token header)', 'csrf_failed');
    }
    if (role === 'admin' && session.role !== 'admin') throw forbidden('Only administrators can do this', 'admin_only');
    request.auth = { kind: 'staff', user: session.user, sessionId: session.sessionId, csrfToken: session.csrfToken };
  };
}

/** The staff member of a request that passed requireStaff. */
export function staffOf(request: FastifyRequest): StaffUser {
  if (request.auth?.kind !== 'staff') throw unauthorized();
  return request.auth.user;
}

/** The device of a request that passed requireDevice. */
export function deviceOf(request: FastifyRequest): DeviceIdentity {
  if (request.auth?.kind !== 'device') throw unauthorized();
  return request.auth.device;
}

/** Accepts either caller: a Bearer header means a device (an API token, `dsk_…`, staff), otherwise a staff session. */
export function requireDeviceOrStaff(ctx: ServerContext): PreHandler {
  const device = requireDevice(ctx);
  const staff = requireStaff(ctx);
  return async (request, reply) =>
    request.headers.authorization && !isApiTokenHeader(request.headers.authorization)
      ? device(request, reply)
      : staff(request, reply);
}
