import { z } from 'zod';
import { text } from '../text/text-schema';
import { findingCodeSchema } from '../health/finding';
import { impactSchema, prioritySchema, urgencySchema } from '../priority';
import {
  ATTACHMENTS_MAX,
  DEFAULT_IMPACT,
  DEFAULT_URGENCY,
  MESSAGE_BODY_MAX,
  RATING_COMMENT_MAX,
  TICKET_CATEGORIES,
  TICKET_DESCRIPTION_MAX,
  TICKET_SUBJECT_MAX,
  UPDATES_MAX_WAIT_SECONDS,
} from '../ticket-fields';
import { endpointGroup } from './endpoint';

/*
 * The ticket API shared by the server, the tray agent and the console. One resource, two views:
 * a device sees its own tickets without internal notes; staff see everything.
 */

export const ticketStatusSchema = z.enum(['new', 'open', 'pending', 'resolved', 'closed']);
export type TicketStatus = z.infer<typeof ticketStatusSchema>;

export const slaStateSchema = z.enum(['none', 'ok', 'warning', 'breached', 'met']);

export { TICKET_CATEGORIES };
export const ticketCategorySchema = z.enum(TICKET_CATEGORIES);

/** An attachment as uploaded inside a JSON request (base64). */
export const attachmentUploadSchema = z.object({
  kind: z.enum(['screenshot', 'file']),
  filename: text().trim().min(1).max(255),
  contentType: text()
    .regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type like image/png')
    .max(100),
  dataBase64: text()
    .min(1)
    .max(12 * 1024 * 1024)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
});

export const attachmentSchema = z.object({
  id: z.number(),
  kind: z.enum(['screenshot', 'file']),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
});

/** POST /api/v1/tickets (device). The snapshot is validated separately against snapshotSchema. */
export const createTicketRequestSchema = z.object({
  subject: text().trim().min(1, 'must not be empty').max(TICKET_SUBJECT_MAX),
  description: text().max(TICKET_DESCRIPTION_MAX).default(''),
  /** Absent: the help desk files it under its default category (see defaultTicketCategory on the server). */
  category: ticketCategorySchema.optional(),
  urgency: urgencySchema.default(DEFAULT_URGENCY),
  /** Who is affected: just me (low), my team (medium), everyone (high). */
  impact: impactSchema.default(DEFAULT_IMPACT),
  requester: z
    .object({ name: text().trim().min(1).max(120), email: z.email().max(254).nullable().default(null) })
    .nullable()
    .default(null),
  snapshot: z.unknown().optional(),
  attachments: z.array(attachmentUploadSchema).max(ATTACHMENTS_MAX).default([]),
});
export type CreateTicketRequest = z.input<typeof createTicketRequestSchema>;

export const messageSchema = z.object({
  id: z.number(),
  ticketId: z.number(),
  author: z.object({ type: z.enum(['device', 'staff', 'system']), name: z.string().nullable() }),
  body: z.string(),
  internal: z.boolean(),
  createdAt: z.string(),
  attachments: z.array(attachmentSchema),
  /**
   * Staff messages: when the employee's computer received it (live channel) and when they opened it.
   * The server always sends both (null until then); optional so older answers and fixtures still parse.
   */
  deliveredAt: z.string().nullable().optional(),
  readAt: z.string().nullable().optional(),
});
export type MessageDto = z.infer<typeof messageSchema>;

export const slaSchema = z.object({
  policyId: z.number().nullable(),
  firstResponseDueAt: z.string().nullable(),
  resolutionDueAt: z.string().nullable(),
  state: slaStateSchema,
});

/** A ticket as staff see it. */
export const ticketSchema = z.object({
  id: z.number(),
  subject: z.string(),
  description: z.string(),
  category: z.string(),
  urgency: urgencySchema,
  impact: impactSchema,
  priority: prioritySchema,
  status: ticketStatusSchema,
  requester: z.object({ name: z.string().nullable(), email: z.string().nullable() }),
  device: z.object({ id: z.string(), hostname: z.string() }).nullable(),
  assignee: z.object({ id: z.number(), name: z.string() }).nullable(),
  group: z.string().nullable(),
  snapshotId: z.number().nullable(),
  findingCodes: z.array(findingCodeSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  firstResponseAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  lastMessageAt: z.string(),
  sla: slaSchema,
  escalationLevel: z.number(),
  satisfaction: z.number().nullable(),
  satisfactionComment: z.string().nullable(),
});
export type TicketDto = z.infer<typeof ticketSchema>;

/** A ticket as its device sees it: no internal data. */
export const deviceTicketSchema = ticketSchema
  .pick({
    id: true,
    subject: true,
    description: true,
    category: true,
    urgency: true,
    priority: true,
    status: true,
    createdAt: true,
    updatedAt: true,
    resolvedAt: true,
    lastMessageAt: true,
    satisfaction: true,
  })
  .extend({ assigneeName: z.string().nullable(), lastStaffMessageId: z.number().nullable() });
export type DeviceTicketDto = z.infer<typeof deviceTicketSchema>;

/** POST /api/v1/tickets/:id/messages — staff may mark a message internal; devices may not. */
export const postMessageRequestSchema = z.object({
  body: text().trim().min(1, 'must not be empty').max(MESSAGE_BODY_MAX),
  internal: z.boolean().default(false),
  attachments: z.array(attachmentUploadSchema).max(ATTACHMENTS_MAX).default([]),
});

/** Opaque-looking but simple cursors: the last message id seen. */
export const cursorSchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** `:id` of a ticket or attachment: a positive safe integer, so 'abc', -1 and 1e20 are 400s, never SQL errors. */
export const idParamsSchema = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** `?after=` message cursor. */
export const afterQuerySchema = z.object({ after: cursorSchema.default(0) });

/** GET /api/v1/tickets/updates query: the cursor, and how long to wait for a reply when there is none yet. */
export const updatesQuerySchema = z.object({
  after: cursorSchema.default(0),
  wait: z.coerce.number().int().min(0).max(UPDATES_MAX_WAIT_SECONDS).default(0),
});

/** GET /api/v1/tickets/:id/messages?after= and GET /api/v1/tickets/updates?after=&wait= */
export const messagesResponseSchema = z.object({ messages: z.array(messageSchema), cursor: z.number() });

/** POST /api/v1/tickets/:id/rating (device) */
export const rateTicketRequestSchema = z.object({
  satisfaction: z.number().int().min(1).max(5),
  comment: text().trim().max(RATING_COMMENT_MAX).nullable().default(null),
});

/** POST /api/v1/tickets (device): the ticket as its device sees it, plus the stored snapshot's id. */
export const createTicketResponseSchema = deviceTicketSchema.extend({ snapshotId: z.number().nullable() });
export type CreateTicketResponse = z.infer<typeof createTicketResponseSchema>;

/** GET /api/v1/tickets/:id/attachments: what was filed with the ticket itself (e.g. the agent's screenshot). */
export const ticketAttachmentsResponseSchema = z.object({ attachments: z.array(attachmentSchema) });

/** GET /api/v1/device/tickets: the device's own tickets, newest first. */
export const deviceTicketListSchema = z.object({ tickets: z.array(deviceTicketSchema) });

/** Device and conversation endpoints (OpenAPI tag "tickets"). */
export const ticketEndpoints = endpointGroup('tickets', {
  createTicket: {
    summary: 'File a ticket from a device, with its snapshot and attachments (exactly once per Idempotency-Key)',
    body: createTicketRequestSchema,
    // 201 for a new ticket; 200 (with Idempotent-Replay: true) for a retry of one already filed.
    responses: { 201: createTicketResponseSchema, 200: createTicketResponseSchema },
    errors: [404, 409, 413, 415, 422],
  },
  listDeviceTickets: {
    summary: "The calling device's tickets, newest first",
    responses: { 200: deviceTicketListSchema },
  },
  getDeviceTicket: {
    summary: "One of the calling device's tickets",
    params: idParamsSchema,
    responses: { 200: deviceTicketSchema },
    errors: [404, 409],
  },
  solveTicket: {
    summary: 'The employee marks their ticket solved',
    params: idParamsSchema,
    responses: { 200: deviceTicketSchema },
    errors: [404, 409],
  },
  reopenTicket: {
    summary: 'The employee reopens a resolved ticket, or one closed in the last 14 days',
    params: idParamsSchema,
    responses: { 200: deviceTicketSchema },
    errors: [404, 409],
  },
  rateTicket: {
    summary: 'The employee rates a resolved ticket (1-5)',
    params: idParamsSchema,
    body: rateTicketRequestSchema,
    responses: { 200: deviceTicketSchema },
    errors: [404, 409],
  },
  listMessages: {
    summary: 'Messages of a ticket after a cursor, oldest first (devices never see internal notes)',
    params: idParamsSchema,
    query: afterQuerySchema,
    responses: { 200: messagesResponseSchema },
    errors: [404],
  },
  listTicketAttachments: {
    summary:
      'Attachments filed with the ticket itself, such as the screenshot (message attachments come with their messages)',
    params: idParamsSchema,
    responses: { 200: ticketAttachmentsResponseSchema },
    errors: [404],
  },
  postMessage: {
    summary: 'Reply on a ticket; staff may post internal notes',
    params: idParamsSchema,
    body: postMessageRequestSchema,
    responses: { 201: messageSchema },
    errors: [404, 409, 413, 415],
  },
  ticketUpdates: {
    summary: `Long poll: replies on any of the device's tickets after a cursor, waiting up to \`wait\` seconds (max ${UPDATES_MAX_WAIT_SECONDS})`,
    query: updatesQuerySchema,
    responses: { 200: messagesResponseSchema },
  },
  getAttachment: {
    summary: "An attachment's bytes, always as a download",
    params: idParamsSchema,
    produces: 'application/octet-stream',
    responses: { 200: z.unknown().describe('The file, with its own Content-Type') },
    errors: [404],
  },
});

/** The technician's queue (OpenAPI tag "queue"). */
/** A technician on a ticket: there (the page is open) and whether they are typing. */
export const presenceRequestSchema = z.object({ present: z.boolean(), typing: z.boolean().default(false) });

export const liveEndpoints = endpointGroup('live', {
  ticketPresence: {
    summary: "A technician has the ticket open or is typing: the employee's tray window shows it (renew every 20 s)",
    params: idParamsSchema,
    body: presenceRequestSchema,
    responses: { 204: z.null() },
    errors: [404],
  },
  staffEvents: {
    summary: 'Server-sent events for the console: ticket activity, the employee typing, delivered and read marks',
    description: 'An `text/event-stream`; each `data:` line is a JSON StaffEvent (src/shared/channel/staff-events.ts).',
    produces: 'text/event-stream',
    responses: { 200: z.unknown().describe('The event stream') },
  },
});
