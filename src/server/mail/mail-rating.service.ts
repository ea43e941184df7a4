import type { ServerContext } from '../context';
import { conflict, notFound } from '../errors';
import { recordTicketEvents } from '../tickets/ticket-events.repo';
import { updateTicketRow } from '../tickets/tickets.repo';
import { mailDb } from './mail-db';
import { verifyMailLink } from './mail-links';
import { selectTicketForMail } from './mail-recipients.repo';
import { mailSettingsRow } from './mail-settings.service';

/*
 * Rating from the link in the "resolved" mail: the same satisfaction (1-5) and comment the tray records,
 * with a `rated` event; the token names the ticket and the requester's address it was sent to.
 */

async function ratedTicket(ctx: ServerContext, token: string) {
  const claims = verifyMailLink((await mailSettingsRow(ctx)).link_secret, token, 'rate', ctx.now());
  const ticket = await mailDb(ctx.db)
    .selectFrom('tickets')
    .select(['id', 'subject', 'status', 'satisfaction', 'requester_email'])
    .where('id', '=', claims.t)
    .executeTakeFirst();
  if (!ticket || (ticket.requester_email ?? '').toLowerCase() !== claims.e) throw notFound('Ticket');
  return { ticket, claims };
}

export async function ratingInvite(ctx: ServerContext, token: string) {
  const { ticket } = await ratedTicket(ctx, token);
  return { ticketId: ticket.id, subject: ticket.subject, satisfaction: ticket.satisfaction };
}

export async function rateFromMail(ctx: ServerContext, token: string, satisfaction: number, comment: string | null) {
  const { ticket, claims } = await ratedTicket(ctx, token);
  if (ticket.status !== 'resolved' && ticket.status !== 'closed')
    throw conflict('not_resolved', 'This ticket was reopened; it can be rated once it is resolved again');
  const now = ctx.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await updateTicketRow(trx, ticket.id, { satisfaction, satisfaction_comment: comment, updated_at: now });
    await recordTicketEvents(trx, [
      {
        ticketId: ticket.id,
        type: 'rated',
        actorType: 'system',
        actorId: `mail:${claims.e}`,
        data: { satisfaction, via: 'email' },
        at: now,
      },
    ]);
  });
  ctx.bus.notify(ticket.id, { changed: true });
  const fresh = await selectTicketForMail(mailDb(ctx.db), ticket.id);
  return { ticketId: ticket.id, subject: fresh?.subject ?? ticket.subject, satisfaction };
}
