import type { ServerContext } from '../context';
import { createTicketEventFeed } from '../events/ticket-event-feed';
import { jobLock } from '../jobs/job-lock';
import { handleMailEvents, sendDueReplies } from './notify.service';
import { sendDueMail } from './outbox.service';

/** One pass of the outbox side: replies whose wait is over, then the mail that is due. */
export async function mailPass(ctx: ServerContext): Promise<{ sent: number; failed: number }> {
  await sendDueReplies(ctx);
  return sendDueMail(ctx);
}

/** The `mail-notify` feed consumer (exported for tests, which pump it by hand). */
export function mailNotifyFeed(ctx: ServerContext, settleMs?: number) {
  return createTicketEventFeed(ctx, {
    consumer: 'mail-notify',
    handle: (events) => handleMailEvents(ctx, events),
    ...(settleMs !== undefined ? { settleMs } : {}),
  });
}

/**
 * Email out, in the one instance holding the job: notifications from the ticket feed, and every
 * `intervalMs` the pending replies and the outbox. Returns the stop function.
 */
export function startMailJob(ctx: ServerContext, intervalMs = 15_000): () => Promise<void> {
  const stopFeed = mailNotifyFeed(ctx).start();
  const lock = jobLock(ctx.db, 'mail-outbox', (err) => ctx.log.warn({ err }, 'mail job lock: connection lost'));
  let running = false;
  const pass = async () => {
    if (running || !(await lock.held())) return;
    running = true;
    try {
      const result = await mailPass(ctx);
      if (result.sent + result.failed > 0) ctx.log.info(result, 'mail sent');
    } catch (error) {
      ctx.log.error({ err: error }, 'mail pass failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await stopFeed();
    await lock.release();
  };
}
