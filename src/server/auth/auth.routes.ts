import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { login, logout } from './auth.service';
import { clearSignedInHint, findStaffSession, SESSION_COOKIE, setSignedInHint, staffOf } from './guards';
import { toStaffDto } from './staff.service';

/** Staff sign-in, sign-out and the current session. */
export async function authRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'login', async (request, reply) => {
    const result = await login(ctx, {
      email: request.body.email,
      password: request.body.password,
      ip: request.ip,
      userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300) || null,
    });
    if (!('token' in result)) return result.state;
    void reply.setCookie(SESSION_COOKIE, result.token, {
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
    return result.state;
  });

  serve(app, ctx, 'getSession', async (request, reply) => {
    const session = await findStaffSession(ctx, request, reply);
    if (!session) return { signedIn: false as const };
    return { signedIn: true as const, user: toStaffDto(session.user), csrfToken: session.csrfToken };
  });

  serve(app, ctx, 'logout', async (request, reply) => {
    if (request.auth?.kind === 'staff')
      await logout(ctx, { sessionId: request.auth.sessionId, staffId: staffOf(request).id, ip: request.ip });
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    clearSignedInHint(reply);
    return reply.status(204).send(null);
  });
}
