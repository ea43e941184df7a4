import websocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import { CHANNEL_MAX_FRAME_BYTES, CHANNEL_PROTOCOL, CLOSE } from '../../shared/channel/channel-limits';
import { REMOTE_TUNNEL_PROTOCOL } from '../../shared/remote/remote-limits';
import { SHARE_SIGNAL_PROTOCOL } from '../../shared/remote/share-limits';
import { deviceOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { badRequest } from '../errors';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { ChannelHub, type ChannelHubOptions } from './channel-hub';

/*
 * The live channel's endpoint: a WebSocket upgrade on the endpoint table's `deviceChannel`. Before the
 * upgrade: the subprotocol, admission control (over the limit the socket is closed at once with 1013 and
 * the delay to wait, before any database work), then the device token (401 like every device route).
 * After it, the hub.
 */

/** Offered subprotocols, from the Sec-WebSocket-Protocol header. */
function offeredProtocols(request: FastifyRequest): string[] {
  return (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
}

export async function channelRoutes(
  app: App,
  ctx: ServerContext,
  options: ChannelHubOptions = {},
): Promise<ChannelHub> {
  const hub = new ChannelHub(ctx, options);
  await app.register(websocket, {
    options: {
      maxPayload: CHANNEL_MAX_FRAME_BYTES,
      // The live channel's, or a remote session's tunnel (src/server/remote), which also offers its token.
      handleProtocols: (protocols) =>
        protocols.has(CHANNEL_PROTOCOL)
          ? CHANNEL_PROTOCOL
          : protocols.has(REMOTE_TUNNEL_PROTOCOL)
            ? REMOTE_TUNNEL_PROTOCOL
            : protocols.has(SHARE_SIGNAL_PROTOCOL)
              ? SHARE_SIGNAL_PROTOCOL
              : false,
      // Frames are small JSON; compression would cost memory per socket (10,000 of them).
      perMessageDeflate: false,
    },
  });
  // Before Fastify closes the listener: agents get 1001 and reconnect elsewhere or later.
  app.addHook('preClose', async () => hub.shutdown());

  /** Upgrades refused by admission control, with the delay to tell the agent (ms). */
  const refused = new WeakMap<FastifyRequest, number>();
  const admission = async (request: FastifyRequest) => {
    if (!request.ws) return;
    if (!offeredProtocols(request).includes(CHANNEL_PROTOCOL))
      throw badRequest('channel_protocol', `Offer the subprotocol ${CHANNEL_PROTOCOL} (Sec-WebSocket-Protocol)`);
    const delay = hub.admit();
    // Over the limit: upgraded without looking at the token, then closed at once with 1013 and the delay
    // (an answer, not an error: no 5xx in a reconnect storm, and no database work for it).
    if (delay !== null) refused.set(request, delay);
  };

  serve(
    app,
    ctx,
    'deviceChannel',
    async (_request, reply) =>
      reply
        .status(426)
        .header('upgrade', 'websocket')
        .send({
          error: { code: 'upgrade_required', message: 'This endpoint is a WebSocket: send Upgrade: websocket' },
        }),
    {
      beforeGuard: [admission],
      skipGuard: (request) => refused.has(request),
      websocket: (socket, request) => {
        const delay = refused.get(request);
        if (delay !== undefined) socket.close(CLOSE.tryAgainLater, String(delay));
        else hub.attach(socket, deviceOf(request).id);
      },
    },
  );
  return hub;
}
