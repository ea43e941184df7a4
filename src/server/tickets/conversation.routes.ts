import { z } from 'zod';
import { apiErrorSchema } from '../../shared/api/errors';
import {
  cursorSchema,
  messageSchema,
  messagesResponseSchema,
  postMessageRequestSchema,
  ticketAttachmentsResponseSchema,
} from '../../shared/api/tickets';
import { deviceOf, requireDevice, requireDeviceOrStaff, type Auth } from '../auth/guards';
import type { ServerContext } from '../context';
import { unauthorized } from '../errors';
import type { App } from '../http/types';
import { contentDisposition, loadAttachment } from './attachments';
import { listMessages, listTicketAttachments, postMessage } from './messages.service';
import { afterQuerySchema, idParamsSchema } from './ticket-dto';
import { waitForUpdates } from './updates.service';

/** Longest a long poll may wait, in seconds. */
export const MAX_WAIT_SECONDS = 30;

const updatesQuerySchema = z.object({
  after: cursorSchema.default(0),
  wait: z.coerce.number().int().min(0).max(MAX_WAIT_SECONDS).default(0),
});

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema };
const security: Array<Record<string, string[]>> = [{ device: [] }, { staff: [] }];

function authOf(auth: Auth | null): Auth {
  if (!auth) throw unauthorized();
  return auth;
}

/** The conversation on a ticket, the agent's long poll for replies, and attachment downloads. */
export async function conversationRoutes(app: App, ctx: ServerContext): Promise<void> {
  const deviceOrStaff = requireDeviceOrStaff(ctx);

  app.get(
    '/api/v1/tickets/:id/messages',
    {
      onRequest: deviceOrStaff,
      schema: {
        tags: ['tickets'],
        summary: 'Messages of a ticket after a cursor, oldest first (devices never see internal notes)',
        security,
        params: idParamsSchema,
        querystring: afterQuerySchema,
        response: { 200: messagesResponseSchema, ...errors },
      },
    },
    async (request) => listMessages(ctx, authOf(request.auth), request.params.id, request.query.after),
  );

  app.get(
    '/api/v1/tickets/:id/attachments',
    {
      onRequest: deviceOrStaff,
      schema: {
        tags: ['tickets'],
        summary:
          'Attachments filed with the ticket itself, such as the screenshot (message attachments come with their messages)',
        security,
        params: idParamsSchema,
        response: { 200: ticketAttachmentsResponseSchema, ...errors },
      },
    },
    async (request) => listTicketAttachments(ctx, authOf(request.auth), request.params.id),
  );

  app.post(
    '/api/v1/tickets/:id/messages',
    {
      onRequest: deviceOrStaff,
      schema: {
        tags: ['tickets'],
        summary: 'Reply on a ticket; staff may post internal notes',
        security,
        params: idParamsSchema,
        body: postMessageRequestSchema,
        response: { 201: messageSchema, ...errors, 409: apiErrorSchema, 413: apiErrorSchema, 415: apiErrorSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await postMessage(ctx, authOf(request.auth), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/tickets/updates',
    {
      onRequest: requireDevice(ctx),
      schema: {
        tags: ['tickets'],
        summary: `Long poll: replies on any of the device's tickets after a cursor, waiting up to \`wait\` seconds (max ${MAX_WAIT_SECONDS})`,
        security: [{ device: [] }],
        querystring: updatesQuerySchema,
        response: { 200: messagesResponseSchema, 400: apiErrorSchema, 401: apiErrorSchema },
      },
    },
    async (request) => {
      const { after, wait } = request.query;
      const gone = new AbortController();
      const abort = () => gone.abort();
      // The agent hung up (sleep, network change): stop waiting on its behalf.
      request.raw.once('close', abort);
      try {
        const messages = await waitForUpdates(ctx, deviceOf(request).id, after, wait * 1000, gone.signal);
        return { messages, cursor: messages.at(-1)?.id ?? after };
      } finally {
        request.raw.off('close', abort);
      }
    },
  );

  app.get(
    '/api/v1/attachments/:id',
    {
      onRequest: deviceOrStaff,
      schema: {
        tags: ['tickets'],
        summary: "An attachment's bytes, always as a download",
        security,
        params: idParamsSchema,
        response: {
          200: z.unknown().describe('The file, with its own Content-Type'),
          400: apiErrorSchema,
          401: apiErrorSchema,
          404: apiErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const file = await loadAttachment(ctx.db.kysely, authOf(request.auth), request.params.id);
      return (
        reply
          .header('content-type', file.contentType)
          .header('content-disposition', contentDisposition(file.filename))
          .header('x-content-type-options', 'nosniff')
          // Served from the console's origin: even if a browser renders it, it runs nothing.
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, no-store')
          .send(file.data)
      );
    },
  );
}
