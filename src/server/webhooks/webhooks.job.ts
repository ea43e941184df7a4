import type { ServerContext } from '../context';
import { createTicketEventFeed } from '../events/ticket-event-feed';
import { jobLock } from '../jobs/job-lock';
import { runDueDeliveries, type DeliveryOptions } from './webhook-delivery.service';
import { enqueueTicketEvents } from './webhook-ticket-events';

/*
 * The webhook job: turns ticket history into deliveries (the ticket event feed, consumer `webhooks`) and
 * sends what is due. One server instance sends (a job lock); device and alert events are enqueued where
 * they happen, by whichever instance handles them, and sent from here.
 */

export interface WebhookJobOptions extends DeliveryOptions {
  intervalMs?: number;
}

/** Starts the job; returns its stop function. */
export function startWebhookJob(ctx: ServerContext, options: WebhookJobOptions = {}): () => Promise<void> {
  const lock = jobLock(ctx.db, 'webhook-deliveries', (err) =>
    ctx.log.warn({ err }, 'webhook job lock: connection lost'),
  );
  let stopped = false;
  let sending: Promise<void> | null = null;
  const send = () =>
    (sending ??= (async () => {
      try {
        if (!(await lock.held())) return;
        // A full batch: more may be due; keep going (bounded).
        for (let i = 0; i < 20 && !stopped && (await runDueDeliveries(ctx, options)) > 0; i++);
      } catch (err) {
        ctx.log.error({ err }, 'webhook delivery pass failed');
      } finally {
        sending = null;
      }
    })());
  const feed = createTicketEventFeed(ctx, {
    consumer: 'webhooks',
    handle: async (events) => {
      if ((await enqueueTicketEvents(ctx, events)) > 0) void send();
    },
  });
  const stopFeed = feed.start(options.intervalMs);
  const timer = setInterval(() => void send(), options.intervalMs ?? 5_000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await stopFeed();
    await sending;
    await lock.release();
  };
}
