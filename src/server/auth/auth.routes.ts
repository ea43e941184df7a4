import { z } from 'zod';
import { loginRequestSchema, sessionStateSchema } from '../../shared/api/auth';
import { apiErrorSchema } from '../../shared/api/errors';
import { audit } from '../audit/audit.service';
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import type { App } from '../http/types';
import { hashToken, randomToken, verifyPassword } from './crypto';
import {
  clearSignedInHint,
  findStaffSession,
  requireStaff,
  SESSION_COOKIE,
  setSignedInHint,
  staffOf,
  type StaffUser,
} from './guards';

const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_IP = 20;
// Compared against when the email is unknown, so timing does not reveal which accounts exist.
const DUMMY_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** Staff sign-in, sign-out and the current session. */
export async function authRoutes(app: App, ctx: ServerContext): Promise<void> {
  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in (staff)',
        description:
          'Answers 200 either way: `signedIn: true` with the session, or `signedIn: false` with the reason ' +
          '(`invalid_credentials`) when the email and password do not match an active account.',
        body: loginRequestSchema,
        response: { 200: sessionStateSchema, 429: apiErrorSchema },
      },
    },
    async (request, reply) => {
      const email = request.body.email.toLowerCase();
      const now = ctx.now();
      await enforceRateLimit(ctx, [`email:${email}`, `ip:${request.ip}`], now);
      const user = await ctx.db.kysely
        .selectFrom('staff_users')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirst();
      const valid = await verifyPassword(request.body.password, user?.password_hash ?? DUMMY_HASH);
      if (!user || !valid || user.active !== 1) {
        await ctx.db.kysely
          .insertInto('login_attempts')
          .values([
            { key: `email:${email}`, at: now },
            { key: `ip:${request.ip}`, at: now },
          ])
          .execute();
        return {
          signedIn: false as const,
          error: { code: 'invalid_credentials', message: 'Wrong email or password' },
        };
      }
      await ctx.db.kysely.deleteFrom('login_attempts').where('key', '=', `email:${email}`).execute();
      const token = randomToken();
      const csrfToken = randomToken();
      await ctx.db.kysely
        .insertInto('sessions')
        .values({
          id: hashToken(token),
          user_id: user.id,
          csrf_token: csrfToken,
          created_at: now,
          last_seen_at: now,
          expires_at: now + ctx.config.sessionAbsoluteHours * 3_600_000,
          ip: request.ip,
          user_agent: String(request.headers['user-agent'] ?? '').slice(0, 300) || null,
        })
        .execute();
      await ctx.db.kysely.updateTable('staff_users').set({ last_login_at: now }).where('id', '=', user.id).execute();
      await audit(ctx, { actorType: 'staff', actorId: user.id, action: 'auth.login', ip: request.ip });
      void reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: Boolean(ctx.config.tlsCert),
        path: '/',
        maxAge: ctx.config.sessionAbsoluteHours * 3600,
      });
      setSignedInHint(
        ctx,
        reply,
        Math.min(ctx.config.sessionIdleMinutes * 60_000, ctx.config.sessionAbsoluteHours * 3_600_000),
      );
      return { signedIn: true as const, user: toStaffDto(user), csrfToken };
    },
  );

  app.get(
    '/api/v1/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in staff member, if any',
        description:
          'Public: answers `signedIn: false` without a live session cookie (none, expired, idle, revoked), ' +
          'else the staff member and the CSRF token for writes.',
        response: { 200: sessionStateSchema },
      },
    },
    async (request, reply) => {
      const session = await findStaffSession(ctx, request, reply);
      if (!session) return { signedIn: false as const };
      return { signedIn: true as const, user: toStaffDto(session.user), csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      onRequest: requireStaff(ctx),
      schema: {
        tags: ['auth'],
        summary: 'Sign out',
        response: { 204: z.null(), 401: apiErrorSchema, 403: apiErrorSchema },
      },
    },
    async (request, reply) => {
      if (request.auth?.kind === 'staff') {
        await ctx.db.kysely.deleteFrom('sessions').where('id', '=', request.auth.sessionId).execute();
        await audit(ctx, { actorType: 'staff', actorId: staffOf(request).id, action: 'auth.logout', ip: request.ip });
      }
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      clearSignedInHint(reply);
      return reply.status(204).send(null);
    },
  );
}

async function enforceRateLimit(ctx: ServerContext, keys: string[], now: number): Promise<void> {
  const since = now - WINDOW_MS;
  // Only the window counts; older rows are pruned hourly by the maintenance job, not on every sign-in.
  const rows = await ctx.db.kysely
    .selectFrom('login_attempts')
    .select(['key', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('at').as('first')])
    .where('key', 'in', keys)
    .where('at', '>=', since)
    .groupBy('key')
    .execute();
  for (const row of rows) {
    const limit = row.key.startsWith('email:') ? MAX_FAILURES_PER_ACCOUNT : MAX_FAILURES_PER_IP;
    if (Number(row.n) >= limit) {
      const retry = Math.max(1, Math.ceil((Number(row.first) + WINDOW_MS - now) / 1000));
      throw new ApiError(
        429,
        'too_many_attempts',
        `Too many failed sign-ins; try again in ${Math.ceil(retry / 60)} min`,
        undefined,
        { 'retry-after': String(retry) },
      );
    }
  }
}

/** The public shape of a staff member. */
export function toStaffDto(user: StaffUser) {
  return { id: user.id, email: user.email, name: user.name, role: user.role, group: user.group_name };
}
