import websocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import { CHANNEL_MAX_FRAME_BYTES, CHANNEL_PROTOCOL } from '../../shared/channel/channel-limits';
import { deviceOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { ApiError, badRequest } from '../errors';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { ChannelHub, type ChannelHubOptions } from './channel-hub';

/*
 * The live channel's endpoint: a WebSocket upgrade on the endpoint table's `deviceChannel`. Before the
 * upgrade: admission control (503 + Retry-After when this process takes too many at once, before any
 * database work), the subprotocol, then the device token (401 like every device route). After it, the hub.
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
      handleProtocols: (protocols) => (protocols.has(CHANNEL_PROTOCOL) ? CHANNEL_PROTOCOL : false),
      // Frames are small JSON; compression would cost memory per socket (10,000 of them).
      perMessageDeflate: false,
    },
  });
  // Before Fastify closes the listener: agents get 1001 and reconnect elsewhere or later.
  app.addHook('preClose', async () => hub.shutdown());

  const admission = async (request: FastifyRequest) => {
    if (!request.ws) return;
    const delay = hub.admit();
    if (delay !== null) {
      const seconds = Math.ceil(delay / 1000);
      throw new ApiError(
        503,
        'channel_busy',
        `The help desk is taking many connections; try again in ${seconds} s`,
        undefined,
        {
          'retry-after': String(seconds),
        },
      );
    }
    if (!offeredProtocols(request).includes(CHANNEL_PROTOCOL))
      throw badRequest('channel_protocol', `Offer the subprotocol ${CHANNEL_PROTOCOL} (Sec-WebSocket-Protocol)`);
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
      websocket: (socket, request) => hub.attach(socket, deviceOf(request).id),
    },
  );
  return hub;
}
