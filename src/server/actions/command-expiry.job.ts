import { audit } from '../audit/audit.service';
import type { ServerContext } from '../context';
import { jobLock } from '../jobs/job-lock';
import { announceCommand } from './commands.service';
import { expireCommands } from './commands.repo';

/*
 * Commands a device never took (queued) or never answered (delivered) before their expiry are marked
 * expired, audited and announced; the agent refuses an expired envelope on its own, this keeps the
 * server's record and the consoles in step. A late result for an expired command is refused.
 */

/** One pass: expires what is due; answers how many. */
export async function expireDueCommands(ctx: Pick<ServerContext, 'db' | 'now' | 'bus'>): Promise<number> {
  const expired = await expireCommands(ctx.db.kysely, ctx.now());
  for (const row of expired) {
    await audit(ctx, {
      actorType: 'system',
      actorId: null,
      action: 'command.expired',
      targetType: 'command',
      targetId: row.id,
      details: {
        deviceId: row.device_id,
        ticketId: row.ticket_id,
        action: row.action,
        expiresAt: new Date(row.expires_at).toISOString(),
      },
    });
    announceCommand(ctx, row);
  }
  return expired.length;
}

/**
 * Runs the expiry pass now and then every `intervalMs`, in the one server instance holding the job;
 * returns a stop function. Failures are logged and retried at the next interval.
 */
export function startCommandExpiryJob(ctx: ServerContext, intervalMs = 30_000): () => Promise<void> {
  // In one server instance only: the one holding the job's lock (jobs/job-lock.ts).
  const lock = jobLock(ctx.db, 'command-expiry', (err) =>
    ctx.log.warn({ err }, 'command expiry job lock: connection lost'),
  );
  let running: Promise<unknown> | null = null;
  const pass = () => {
    if (running) return;
    running = (async () => {
      try {
        if (!(await lock.held())) return;
        const expired = await expireDueCommands(ctx);
        if (expired > 0) ctx.log.debug({ expired }, 'command expiry pass');
      } catch (error) {
        ctx.log.error({ err: error }, 'command expiry pass failed');
      }
    })().finally(() => {
      running = null;
    });
  };
  pass();
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
    await lock.release();
  };
}
