import { staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { announcePresence, toStaffEvent } from './live.service';

/** Comment lines keep proxies from closing a quiet stream. */
const KEEPALIVE_MS = 25_000;

/** The consoles' live side: presence on a ticket, and the staff event stream (server-sent events). */
export async function liveRoutes(app: App, ctx: ServerContext): Promise<void> {
  const streams = new Set<(closing?: boolean) => void>();
  // Streams never end by themselves: closing the server ends them first.
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end(true);
  });

  serve(app, ctx, 'ticketPresence', async (request, reply) => {
    await announcePresence(ctx, staffOf(request), request.params.id, request.body);
    return reply.status(204).send(null);
  });

  serve(app, ctx, 'staffEvents', async (request, reply) => {
    // The stream is written by hand (SSE); the headers the security plugin would add are set here.
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // nginx: do not buffer the stream.
      'x-accel-buffering': 'no',
    });
    raw.write(': connected\n\n');
    const unsubscribe = ctx.bus.subscribe((event) => {
      const staffEvent = toStaffEvent(event);
      if (staffEvent) raw.write(`data: ${JSON.stringify(staffEvent)}\n\n`);
    });
    const keepalive = setInterval(() => raw.write(': keep-alive\n\n'), KEEPALIVE_MS).unref();
    const end = (closing = false) => {
      if (!streams.delete(end)) return;
      clearInterval(keepalive);
      unsubscribe();
      raw.end();
      // Shutting down: the connection goes too, so the listener's close does not wait on a kept-alive stream.
      if (closing) request.raw.socket?.destroy();
    };
    streams.add(end);
    request.raw.on('close', () => end());
  });
}
