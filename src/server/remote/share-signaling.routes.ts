import type { FastifyRequest } from 'fastify';
import { REMOTE_CLOSE } from '../../shared/remote/remote-limits';
import { SHARE_SIGNAL_PROTOCOL } from '../../shared/remote/share-limits';
import { staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { badRequest, forbidden } from '../errors';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { protocolsOf, REFUSALS, tokenOf } from './remote-sessions.routes';
import { selectRemoteSession } from './remote-sessions.repo';
import { ShareSignaling } from './share-signaling';

/*
 * The console's signaling socket of a screen-share session (a WebSocket upgrade on GET; the WebSocket plugin
 * is registered by the live channel's routes). Before the guard: the subprotocol, and the page's origin (a
 * page of another site cannot use a technician's cookie here). After the upgrade, admission (share-signaling.ts):
 * a refusal closes with 4103 and a reason, and nothing is sent.
 */

export async function shareRoutes(
  app: App,
  ctx: ServerContext,
  options: { maxDurationMs?: number } = {},
): Promise<ShareSignaling> {
  const signaling = new ShareSignaling(ctx, options);
  app.addHook('preClose', async () => signaling.shutdown());

  const upgrade = async (request: FastifyRequest) => {
    if (!request.ws) return;
    if (!protocolsOf(request).includes(SHARE_SIGNAL_PROTOCOL))
      throw badRequest('share_protocol', `Offer the subprotocol ${SHARE_SIGNAL_PROTOCOL} (Sec-WebSocket-Protocol)`);
    const origin = request.headers.origin;
    if (origin !== undefined) {
      let host: string | null;
      try {
        host = new URL(origin).host;
      } catch {
        host = null;
      }
      if (host !== request.headers.host) throw forbidden('Signaling may only be opened from the console', 'bad_origin');
    }
  };

  serve(
    app,
    ctx,
    'shareConsoleSignaling',
    async (_request, reply) =>
      reply
        .status(426)
        .header('upgrade', 'websocket')
        .send({
          error: { code: 'upgrade_required', message: 'This endpoint is a WebSocket: send Upgrade: websocket' },
        }),
    {
      beforeGuard: [upgrade],
      websocket: (socket, request) => {
        const sessionId = (request.params as { id: string }).id;
        const staff = staffOf(request);
        socket.pause();
        const refuse = (code: number, reason: string) => {
          socket.resume();
          socket.close(code, reason);
        };
        signaling.admit(staff, sessionId, tokenOf(request)).then(
          async (result) => {
            if (result !== 'ok') {
              ctx.log.info({ sessionId, refusal: result }, 'share signaling refused');
              return refuse(REMOTE_CLOSE.refused, REFUSALS[result]);
            }
            const row = await selectRemoteSession(ctx.db.kysely, sessionId);
            signaling.attach(sessionId, row!.device_id, staff, socket);
          },
          (error: unknown) => {
            ctx.log.error({ err: error, sessionId }, 'share signaling admission failed');
            refuse(1011, 'server error');
          },
        );
      },
    },
  );
  return signaling;
}
