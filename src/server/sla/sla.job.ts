import type { ServerContext } from '../context';
import { jobLock } from '../jobs/job-lock';
import { evaluateSla } from './sla-evaluate.service';
import { ensureDefaultSlaPolicies } from './sla.service';

export { evaluateSla } from './sla-evaluate.service';

/**
 * Periodic SLA evaluation: warning and breach states, escalation rules. The first pass runs at once
 * (after seeding default policies on a fresh install); a pass never overlaps the previous one.
 * Returns a stop function that waits for a running pass to finish.
 */
export function startSlaJob(ctx: ServerContext, intervalMs = 15_000): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  const lock = jobLock(ctx.db, 'sla', (err) => ctx.log.warn({ err }, 'SLA job lock: connection lost'));

  const pass = async () => {
    try {
      // In one server instance only: the one holding the job's lock (jobs/job-lock.ts).
      if (!(await lock.held())) return;
      await ensureDefaultSlaPolicies(ctx.db, ctx.now());
      const changed = await evaluateSla(ctx);
      if (changed > 0) ctx.log.debug({ changed }, 'SLA pass changed tickets');
    } catch (err) {
      // A failed pass (database restarting, say) is retried at the next interval rather than stopping the job.
      ctx.log.error({ err }, 'SLA evaluation failed');
    }
  };
  const run = () => {
    running = pass().finally(() => {
      running = null;
      if (stopped) return;
      timer = setTimeout(run, intervalMs);
      // The HTTP server keeps the process alive; this timer alone must not.
      timer.unref();
    });
  };
  run();

  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
    await lock.release();
  };
}
