import { actionByName } from '../../shared/actions/catalog';
import { COMMAND_CLOCK_SKEW_MS } from '../../shared/actions/command-signing';
import {
  COMMAND_NO_ANSWER_REASON,
  COMMAND_NO_RESULT_REASON,
  COMMAND_RESULT_GRACE_MS,
} from '../../shared/actions/command-status';
import { audit } from '../audit/audit.service';
import type { ServerContext } from '../context';
import { jobLock } from '../jobs/job-lock';
import { endWithoutResult } from './command-updates.service';
import { announceCommand } from './commands.service';
import { expireCommands, selectCommandsExpiredBefore } from './commands.repo';

/*
 * Commands that can no longer end on their own are ended, audited and announced:
 * - queued (never taken) or delivered (never answered) past their expiry → expired; the agent refuses an
 *   expired envelope on its own, this keeps the server's record and the consoles in step;
 * - awaiting consent past their expiry (and the device clock's tolerated skew: the agent's prompt closes
 *   at the expiry by its own clock) → expired, "no answer before the request expired", posted on the
 *   ticket; nobody's consent is recorded;
 * - running past their expiry, their action's timeout and COMMAND_RESULT_GRACE_MS → failed, "the device
 *   did not report a result" (it crashed, was switched off, or lost the answer), posted on the ticket.
 * A late answer for a command ended here is refused (and audited as such).
 */

type JobContext = Pick<ServerContext, 'db' | 'now' | 'bus'>;

/** The latest a running command's result can legitimately arrive. */
export function resultDeadline(row: { action: string; expires_at: number }): number {
  return row.expires_at + (actionByName(row.action)?.timeoutMs ?? 0) + COMMAND_RESULT_GRACE_MS;
}

/** One pass: ends what is due; answers how many. */
export async function expireDueCommands(ctx: JobContext): Promise<number> {
  const now = ctx.now();
  const expired = await expireCommands(ctx.db.kysely, now);
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
  let ended = expired.length;
  for (const row of await selectCommandsExpiredBefore(ctx.db.kysely, 'awaiting-consent', now - COMMAND_CLOCK_SKEW_MS))
    if (await endWithoutResult(ctx, row.id, ['awaiting-consent'], 'expired', COMMAND_NO_ANSWER_REASON)) ended++;
  // Every action's timeout is within the catalog's longest; the exact deadline is per action.
  for (const row of await selectCommandsExpiredBefore(ctx.db.kysely, 'running', now - COMMAND_RESULT_GRACE_MS)) {
    if (resultDeadline(row) > now) continue;
    const deadline = new Date(resultDeadline(row)).toISOString();
    if (await endWithoutResult(ctx, row.id, ['running'], 'failed', COMMAND_NO_RESULT_REASON, { deadline })) ended++;
  }
  return ended;
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
