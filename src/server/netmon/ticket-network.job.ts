import type { ServerContext } from '../context';
import { createTicketEventFeed } from '../events/ticket-event-feed';
import { devicesOfTickets } from '../tickets/tickets.repo';
import { captureTicketNetwork } from './netmon-history.service';

/*
 * The device's last 24 hours of network, stored with each new ticket that has a device, off the filing's
 * request path: a consumer of the ticket event feed (one instance, at least once; the store ignores a second
 * copy) reads `created` events and captures the window that ends when the ticket was filed. Until it ran
 * (seconds), the ticket's view falls back to the live history, which still holds the same hours.
 */

/** The `netmon-ticket-network` feed consumer (exported for tests, which pump it by hand). */
export function ticketNetworkFeed(ctx: ServerContext, settleMs?: number) {
  return createTicketEventFeed(ctx, {
    consumer: 'netmon-ticket-network',
    handle: async (events) => {
      const created = events.filter((e) => e.type === 'created');
      if (created.length === 0) return;
      const devices = await devicesOfTickets(
        ctx.db.kysely,
        created.map((e) => e.ticketId),
      );
      for (const event of created) {
        const deviceId = devices.get(event.ticketId);
        if (!deviceId) continue;
        // One ticket's failure must not hold back the others' (nor come again for ever): logged, skipped.
        await captureTicketNetwork(ctx, deviceId, event.ticketId, event.at).catch((err: unknown) =>
          ctx.log.warn({ err, ticketId: event.ticketId }, 'storing the ticket’s network summary failed'),
        );
      }
    },
    ...(settleMs !== undefined ? { settleMs } : {}),
  });
}

/** Starts the consumer; returns the stop function. */
export function startTicketNetworkJob(ctx: ServerContext): () => Promise<void> {
  return ticketNetworkFeed(ctx).start();
}
