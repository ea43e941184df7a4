import { deviceOf, type Auth } from '../auth/guards';
import type { ServerContext } from '../context';
import { unauthorized } from '../errors';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { contentDisposition, loadAttachment } from './attachments.service';
import { listMessages, listTicketAttachments, postMessage } from './messages.service';
import { pollUpdates } from './updates.service';

function authOf(auth: Auth | null): Auth {
  if (!auth) throw unauthorized();
  return auth;
}

/** The conversation on a ticket, the agent's long poll for replies, and attachment downloads. */
export async function conversationRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'listMessages', async (request) =>
    listMessages(ctx, authOf(request.auth), request.params.id, request.query.after),
  );

  serve(app, ctx, 'listTicketAttachments', async (request) =>
    listTicketAttachments(ctx, authOf(request.auth), request.params.id),
  );

  serve(app, ctx, 'postMessage', async (request, reply) =>
    reply.status(201).send(await postMessage(ctx, authOf(request.auth), request.params.id, request.body)),
  );

  serve(app, ctx, 'ticketUpdates', async (request) => {
    const { after, wait } = request.query;
    const gone = new AbortController();
    const abort = () => gone.abort();
    // The agent hung up (sleep, network change): stop waiting on its behalf.
    request.raw.once('close', abort);
    try {
      return await pollUpdates(ctx, deviceOf(request).id, after, wait, gone.signal);
    } finally {
      request.raw.off('close', abort);
    }
  });

  serve(app, ctx, 'getAttachment', async (request, reply) => {
    const file = await loadAttachment(ctx, authOf(request.auth), request.params.id);
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
  });
}
