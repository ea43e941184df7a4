import type { SessionState } from '../../shared/api/auth';
import { audit } from '../audit/audit.service';
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import { hashToken, randomToken, verifyPassword } from './crypto';
import { countAttemptsSince, deleteAttempts, insertAttempts } from './login-attempts.repo';
import { deleteSession, insertSession } from './sessions.repo';
import { toStaffDto } from './staff.service';
import { selectStaffByEmail, updateStaffLastLogin } from './staff.repo';

const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_IP = 20;
// Compared against when the email is unknown, so timing does not reveal which accounts exist.
const DUMMY_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export interface LoginRequest {
  email: string;
  password: string;
  ip: string;
  userAgent: string | null;
}

/** What a sign-in yields: the answer, and on success the session cookie's token (the only copy). */
export type LoginResult = { state: SessionState & { signedIn: false } } | { state: SessionState; token: string };

/**
 * Checks the credentials and opens a session. A wrong email or password is an answer (signedIn:
 * false, counted against the account and the address), not an error; too many failures in the
 * window are 429 too_many_attempts with Retry-After.
 */
export async function login(ctx: ServerContext, input: LoginRequest): Promise<LoginResult> {
  const db = ctx.db.kysely;
  const email = input.email.toLowerCase();
  const now = ctx.now();
  const keys = [`email:${email}`, `ip:${input.ip}`];
  await enforceRateLimit(ctx, keys, now);
  const user = await selectStaffByEmail(db, email);
  const valid = await verifyPassword(input.password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !valid || user.active !== 1) {
    await insertAttempts(db, keys, now);
    return {
      state: { signedIn: false, error: { code: 'invalid_credentials', message: 'Wrong email or password' } },
    };
  }
  await deleteAttempts(db, `email:${email}`);
  const token = randomToken();
  const csrfToken = randomToken();
  await insertSession(db, {
    id: hashToken(token),
    user_id: user.id,
    csrf_token: csrfToken,
    created_at: now,
    last_seen_at: now,
    expires_at: now + ctx.config.sessionAbsoluteHours * 3_600_000,
    ip: input.ip,
    user_agent: input.userAgent,
  });
  await updateStaffLastLogin(db, user.id, now);
  await audit(ctx, { actorType: 'staff', actorId: user.id, action: 'auth.login', ip: input.ip });
  return { state: { signedIn: true, user: toStaffDto(user), csrfToken }, token };
}

/** Ends a session (audited). */
export async function logout(
  ctx: ServerContext,
  session: { sessionId: string; staffId: number; ip: string },
): Promise<void> {
  await deleteSession(ctx.db.kysely, session.sessionId);
  await audit(ctx, { actorType: 'staff', actorId: session.staffId, action: 'auth.logout', ip: session.ip });
}

async function enforceRateLimit(ctx: ServerContext, keys: string[], now: number): Promise<void> {
  // Only the window counts; older rows are pruned hourly by the maintenance job, not on every sign-in.
  const rows = await countAttemptsSince(ctx.db.kysely, keys, now - WINDOW_MS);
  for (const row of rows) {
    const limit = row.key.startsWith('email:') ? MAX_FAILURES_PER_ACCOUNT : MAX_FAILURES_PER_IP;
    if (row.count >= limit) {
      const retry = Math.max(1, Math.ceil((row.first + WINDOW_MS - now) / 1000));
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
