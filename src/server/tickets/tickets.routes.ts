import { apiErrorSchema } from '../../shared/api/errors';
import {
  createTicketRequestSchema,
  createTicketResponseSchema,
  deviceTicketListSchema,
  deviceTicketSchema,
  rateTicketRequestSchema,
} from '../../shared/api/tickets';
import { deviceOf, requireDevice } from '../auth/guards';
import type { ServerContext } from '../context';
import type { App } from '../http/types';
import { defaultTicketCategory } from '../settings/categories.store';
import { conversationRoutes } from './conversation.routes';
import { hashRequestBody, idempotencyKeyOf, requestHashOf } from './idempotency';
import { createTicket } from './ticket-create.service';
import { findDeviceTicket, idParamsSchema, selectDeviceTickets, toDeviceTicketDto } from './ticket-dto';
import { rateTicket, reopenTicket, solveTicket } from './ticket-lifecycle.service';

/** A tray shows recent tickets; older ones stay in the help desk. */
const DEVICE_TICKET_LIMIT = 200;

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema };

/** Device and staff ticket endpoints: create with snapshot, conversation, updates, rating. */
export async function ticketRoutes(app: App, ctx: ServerContext): Promise<void> {
  // Authentication runs on request, before the body is parsed: an unknown caller gets 401, not a validation error.
  const device = requireDevice(ctx);

  app.post(
    '/api/v1/tickets',
    {
      // Credentials and the key are checked before a large body is read, let alone parsed.
      onRequest: [device, async (request) => void idempotencyKeyOf(request)],
      preParsing: hashRequestBody,
      schema: {
        tags: ['tickets'],
        summary: 'File a ticket from a device, with its snapshot and attachments (exactly once per Idempotency-Key)',
        security: [{ device: [] }],
        body: createTicketRequestSchema,
        response: {
          200: createTicketResponseSchema,
          201: createTicketResponseSchema,
          ...errors,
          413: apiErrorSchema,
          415: apiErrorSchema,
          422: apiErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const key = idempotencyKeyOf(request);
      const body = { ...request.body, category: request.body.category ?? (await defaultTicketCategory(ctx.db)) };
      const { ticket, replay } = await createTicket(ctx, deviceOf(request), body, key, requestHashOf(request));
      if (replay) return reply.status(200).header('idempotent-replay', 'true').send(ticket);
      return reply.status(201).send(ticket);
    },
  );

  app.get(
    '/api/v1/device/tickets',
    {
      onRequest: device,
      schema: {
        tags: ['tickets'],
        summary: "The calling device's tickets, newest first",
        security: [{ device: [] }],
        response: { 200: deviceTicketListSchema, 401: apiErrorSchema },
      },
    },
    async (request) => {
      const rows = await selectDeviceTickets(ctx.db.kysely)
        .where('tickets.device_id', '=', deviceOf(request).id)
        .orderBy('tickets.id', 'desc')
        .limit(DEVICE_TICKET_LIMIT)
        .execute();
      return { tickets: rows.map(toDeviceTicketDto) };
    },
  );

  app.get(
    '/api/v1/device/tickets/:id',
    {
      onRequest: device,
      schema: {
        tags: ['tickets'],
        summary: "One of the calling device's tickets",
        security: [{ device: [] }],
        params: idParamsSchema,
        response: { 200: deviceTicketSchema, ...errors },
      },
    },
    async (request) =>
      toDeviceTicketDto(await findDeviceTicket(ctx.db.kysely, deviceOf(request).id, request.params.id)),
  );

  app.post(
    '/api/v1/tickets/:id/solve',
    {
      onRequest: device,
      schema: {
        tags: ['tickets'],
        summary: 'The employee marks their ticket solved',
        security: [{ device: [] }],
        params: idParamsSchema,
        response: { 200: deviceTicketSchema, ...errors },
      },
    },
    async (request) => solveTicket(ctx, deviceOf(request), request.params.id),
  );

  app.post(
    '/api/v1/tickets/:id/reopen',
    {
      onRequest: device,
      schema: {
        tags: ['tickets'],
        summary: 'The employee reopens a resolved ticket, or one closed in the last 14 days',
        security: [{ device: [] }],
        params: idParamsSchema,
        response: { 200: deviceTicketSchema, ...errors },
      },
    },
    async (request) => reopenTicket(ctx, deviceOf(request), request.params.id),
  );

  app.post(
    '/api/v1/tickets/:id/rating',
    {
      onRequest: device,
      schema: {
        tags: ['tickets'],
        summary: 'The employee rates a resolved ticket (1-5)',
        security: [{ device: [] }],
        params: idParamsSchema,
        body: rateTicketRequestSchema,
        response: { 200: deviceTicketSchema, ...errors },
      },
    },
    async (request) =>
      rateTicket(ctx, deviceOf(request), request.params.id, request.body.satisfaction, request.body.comment),
  );

  await conversationRoutes(app, ctx);
}
