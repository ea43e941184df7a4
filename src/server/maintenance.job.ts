import { deleteAttemptsBefore } from './auth/login-attempts.repo';
import { deleteDeadSessions } from './auth/sessions.repo';
import type { ServerContext } from './context';
import { jobLock } from './jobs/job-lock';
import { deleteIdempotencyKeysBefore } from './tickets/tickets.repo';

/** How long an Idempotency-Key is honoured: far beyond any agent's retry horizon. */
export const IDEMPOTENCY_RETENTION_MS = 90 * 24 * 3_600_000;
const LOGIN_WINDOW_MS = 15 * 60_000;

/** What one maintenance pass removed. */
export interface MaintenanceResult {
  sessions: number;
  loginAttempts: number;
  idempotencyKeys: number;
}

/**
 * Removes what can no longer matter: expired or idle sessions, login attempts outside the rate-limit
 * window, and idempotency keys older than 90 days (an agent retrying a ticket after that long would
 * create a new one; its outbox gives up far sooner). Idempotent, safe from several processes.
 */
export async function runMaintenance(ctx: Pick<ServerContext, 'db' | 'now' | 'config'>): Promise<MaintenanceResult> {
  const now = ctx.now();
  const idleMs = ctx.config.sessionIdleMinutes * 60_000;
  const db = ctx.db.kysely;
  return {
    sessions: await deleteDeadSessions(db, now, now - idleMs),
    loginAttempts: await deleteAttemptsBefore(db, now - LOGIN_WINDOW_MS),
    idempotencyKeys: await deleteIdempotencyKeysBefore(db, now - IDEMPOTENCY_RETENTION_MS),
  };
}

/**
 * Runs maintenance now and then every `intervalMs`, in the one server instance holding the job; returns a
 * stop function. Failures are logged, never thrown.
 */
export function startMaintenanceJob(ctx: ServerContext, intervalMs = 3_600_000): () => Promise<void> {
  // In one server instance only: the one holding the job's lock (jobs/job-lock.ts).
  const lock = jobLock(ctx.db, 'maintenance', (err) => ctx.log.warn({ err }, 'maintenance job lock: connection lost'));
  const pass = async () =>
    (await lock.held()) &&
    runMaintenance(ctx).then(
      (removed) => ctx.log.debug({ removed }, 'maintenance pass'),
      (error: unknown) => ctx.log.error({ err: error }, 'maintenance pass failed'),
    );
  void pass();
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await lock.release();
  };
}
