import { z } from 'zod';
import { text } from '../text/text-schema';
import { impactSchema, prioritySchema, urgencySchema } from '../priority';
import { escalateTicketRequestSchema, ticketEventsQuerySchema, ticketEventsResponseSchema } from './sla';
import { endpointGroup } from './endpoint';
import { idParamsSchema, slaStateSchema, ticketCategorySchema, ticketSchema, ticketStatusSchema } from './tickets';

/*
 * The ticket queue as staff work it (OpenAPI tag "queue"): list, read, change, escalate, history.
 * Kept apart from tickets.ts, which the agent loads, so the agent does not build these schemas (nor the
 * SLA module's).
 */

/** PATCH /api/v1/tickets/:id (staff) */
export const updateTicketRequestSchema = z
  .object({
    status: ticketStatusSchema,
    assigneeId: z.number().int().positive().nullable(),
    group: text().trim().min(1).max(64).nullable(),
    priority: prioritySchema,
    category: ticketCategorySchema,
    urgency: urgencySchema,
    impact: impactSchema,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');

/** GET /api/v1/tickets (staff queue) query. */
export const queueQuerySchema = z.object({
  status: z
    .array(ticketStatusSchema)
    .or(ticketStatusSchema.transform((s) => [s]))
    .optional(),
  priority: z
    .array(prioritySchema)
    .or(prioritySchema.transform((p) => [p]))
    .optional(),
  group: text().max(64).optional(),
  assignee: z.union([z.literal('me'), z.literal('none'), z.coerce.number().int().positive()]).optional(),
  sla: slaStateSchema.optional(),
  device: z.uuid().optional(),
  /** Tickets whose device is online now (seen within ONLINE_WINDOW_MS), or is not. */
  online: z.enum(['true', 'false']).optional(),
  q: text().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque continuation token from the previous page. */
  cursor: text().max(200).optional(),
});

export const queueResponseSchema = z.object({
  tickets: z.array(ticketSchema),
  nextCursor: z.string().nullable(),
  total: z.number(),
});

export const queueEndpoints = endpointGroup('queue', {
  listTickets: {
    summary: 'The ticket queue: filtered, sorted by resolution due time (none last), priority and id, paged by cursor',
    query: queueQuerySchema,
    responses: { 200: queueResponseSchema },
    errors: [404],
  },
  getTicket: {
    summary: 'A ticket as staff see it',
    params: idParamsSchema,
    responses: { 200: ticketSchema },
    errors: [404],
  },
  updateTicket: {
    summary: 'Change status, assignee, group, priority, category, urgency or impact',
    params: idParamsSchema,
    body: updateTicketRequestSchema,
    responses: { 200: ticketSchema },
    errors: [404, 409, 422],
  },
  escalateTicket: {
    summary: 'Escalate one level, optionally to another group and one priority higher',
    params: idParamsSchema,
    body: escalateTicketRequestSchema,
    responses: { 200: ticketSchema },
    errors: [404, 409],
  },
  listTicketEvents: {
    summary: "A ticket's history, oldest first",
    params: idParamsSchema,
    query: ticketEventsQuerySchema,
    responses: { 200: ticketEventsResponseSchema },
    errors: [404],
  },
});
