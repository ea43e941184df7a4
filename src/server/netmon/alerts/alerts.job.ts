import type { ServerContext } from '../../context';
import { jobLock } from '../../jobs/job-lock';
import { evaluateAlerts } from './alert-evaluate.service';

/** Evaluates the alert rules every `intervalMs` in the one instance holding the job; returns a stop function. */
export function startAlertsJob(ctx: ServerContext, intervalMs = 30_000): () => Promise<void> {
  const lock = jobLock(ctx.db, 'netmon-alerts', (err) =>
    ctx.log.warn({ err }, 'netmon alerts job lock: connection lost'),
  );
  let running = false;
  const pass = async () => {
    if (running || !(await lock.held())) return;
    running = true;
    try {
      const report = await evaluateAlerts(ctx);
      if (report.fired.length + report.resolved.length > 0)
        ctx.log.info(
          { fired: report.fired, resolved: report.resolved, ms: Math.round(report.durationMs) },
          'network alerts moved',
        );
    } catch (error) {
      ctx.log.error({ err: error }, 'netmon alerts pass failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await lock.release();
  };
}
