import { apiErrorSchema } from '../../shared/api/errors';
import { escalateTicketRequestSchema, ticketEventsQuerySchema, ticketEventsResponseSchema } from '../../shared/api/sla';
import {
  queueQuerySchema,
  queueResponseSchema,
  ticketSchema,
  updateTicketRequestSchema,
} from '../../shared/api/tickets';
import { requireStaff, staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import type { App } from '../http/types';
import { queuePage } from './queue-query';
import { findTicketDto, idParamsSchema, ticketNotFound } from './ticket-dto';
import { listTicketEvents } from './ticket-history';
import { escalateTicket, updateTicket } from './ticket-update.service';

const security = [{ staff: [] }];
const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema };

/** Staff queue, ticket view and updates, manual escalation, ticket history. */
export async function queueRoutes(app: App, ctx: ServerContext): Promise<void> {
  // On request, before the body is parsed: an unknown caller gets 401, not a validation error.
  const staff = requireStaff(ctx);

  app.get(
    '/api/v1/tickets',
    {
      onRequest: staff,
      schema: {
        tags: ['queue'],
        summary:
          'The ticket queue: filtered, sorted by resolution due time (none last), priority and id, paged by cursor',
        security,
        querystring: queueQuerySchema,
        response: { 200: queueResponseSchema, ...errors },
      },
    },
    async (request) => queuePage(ctx.db, request.query, staffOf(request).id),
  );

  app.get(
    '/api/v1/tickets/:id',
    {
      onRequest: staff,
      schema: {
        tags: ['queue'],
        summary: 'A ticket as staff see it',
        security,
        params: idParamsSchema,
        response: { 200: ticketSchema, ...errors },
      },
    },
    async (request) => {
      const dto = await findTicketDto(ctx.db, request.params.id);
      if (!dto) throw ticketNotFound();
      return dto;
    },
  );

  app.patch(
    '/api/v1/tickets/:id',
    {
      onRequest: staff,
      schema: {
        tags: ['queue'],
        summary: 'Change status, assignee, group, priority, category, urgency or impact',
        security,
        params: idParamsSchema,
        body: updateTicketRequestSchema,
        response: { 200: ticketSchema, ...errors, 409: apiErrorSchema, 422: apiErrorSchema },
      },
    },
    async (request) => updateTicket(ctx, request.params.id, request.body, staffOf(request), request.ip),
  );

  app.post(
    '/api/v1/tickets/:id/escalate',
    {
      onRequest: staff,
      schema: {
        tags: ['queue'],
        summary: 'Escalate one level, optionally to another group and one priority higher',
        security,
        params: idParamsSchema,
        body: escalateTicketRequestSchema,
        response: { 200: ticketSchema, ...errors, 409: apiErrorSchema },
      },
    },
    async (request) => escalateTicket(ctx, request.params.id, request.body, staffOf(request), request.ip),
  );

  app.get(
    '/api/v1/tickets/:id/events',
    {
      onRequest: staff,
      schema: {
        tags: ['queue'],
        summary: "A ticket's history, oldest first",
        security,
        params: idParamsSchema,
        querystring: ticketEventsQuerySchema,
        response: { 200: ticketEventsResponseSchema, ...errors },
      },
    },
    async (request) => listTicketEvents(ctx.db, request.params.id, request.query.after, request.query.limit),
  );
}
