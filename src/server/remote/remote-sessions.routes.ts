import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { REMOTE_CLOSE, REMOTE_TOKEN_PROTOCOL_PREFIX, REMOTE_TUNNEL_PROTOCOL } from '../../shared/remote/remote-limits';
import { deviceOf, staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { badRequest, forbidden } from '../errors';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { RemoteRelay, type RemoteRelayOptions } from './remote-relay';
import {
  admitConsoleTunnel,
  admitDeviceTunnel,
  getRemoteSession,
  listDeviceRemoteSessions,
  rejoinRemoteSession,
  requestRemoteSession,
  stopRemoteSession,
  type TunnelRefusal,
} from './remote-sessions.service';

/*
 * Remote sessions' endpoints: the technicians' request, read, list and stop, and the two tunnels (WebSocket
 * upgrades on GET; the WebSocket plugin is registered by the live channel's routes, which run first). A
 * tunnel is admitted after the upgrade (the caller's guard ran before it): a refusal closes it with 4103
 * and a reason, and nothing is relayed.
 */

export const protocolsOf = (request: FastifyRequest): string[] =>
  (request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);

/** The session token offered as `deskside-token.<token>`, or null. */
export function tokenOf(request: FastifyRequest): string | null {
  const offered = protocolsOf(request).find((p) => p.startsWith(REMOTE_TOKEN_PROTOCOL_PREFIX));
  const token = offered?.slice(REMOTE_TOKEN_PROTOCOL_PREFIX.length) ?? '';
  return /^[A-Za-z0-9_-]{20,200}$/.test(token) ? token : null;
}

export const REFUSALS: Record<TunnelRefusal, string> = {
  'not-found': 'no such session for you',
  'bad-token': 'wrong session token',
  'not-open': 'the session is not open to join (ended, expired, not accepted, or already joined)',
  role: "IT's policy does not let your role join this session",
};

export async function remoteRoutes(
  app: App,
  ctx: ServerContext,
  options: RemoteRelayOptions = {},
): Promise<RemoteRelay> {
  const relay = new RemoteRelay(ctx, options);
  app.addHook('preClose', async () => relay.shutdown());

  serve(app, ctx, 'requestRemoteSession', async (request, reply) =>
    reply
      .status(201)
      .send(await requestRemoteSession(ctx, staffOf(request), request.params.id, request.body, request.ip)),
  );
  serve(app, ctx, 'listDeviceRemoteSessions', async (request) =>
    listDeviceRemoteSessions(ctx, staffOf(request), request.params.id),
  );
  serve(app, ctx, 'getRemoteSession', async (request) => getRemoteSession(ctx, staffOf(request), request.params.id));
  serve(app, ctx, 'stopRemoteSession', async (request) =>
    stopRemoteSession(ctx, staffOf(request), request.params.id, request.ip),
  );

  serve(app, ctx, 'rejoinRemoteSession', async (request) =>
    rejoinRemoteSession(ctx, staffOf(request), request.params.id, request.ip),
  );

  /** Before the guard: only upgrades that speak the tunnel's subprotocol, and (consoles) from this origin. */
  const tunnelUpgrade = (checkOrigin: boolean) => async (request: FastifyRequest) => {
    if (!request.ws) return;
    if (!protocolsOf(request).includes(REMOTE_TUNNEL_PROTOCOL))
      throw badRequest('remote_protocol', `Offer the subprotocol ${REMOTE_TUNNEL_PROTOCOL} (Sec-WebSocket-Protocol)`);
    // A page of another site cannot open a technician's tunnel with their cookie.
    const origin = request.headers.origin;
    if (checkOrigin && origin !== undefined) {
      let host: string | null;
      try {
        host = new URL(origin).host;
      } catch {
        host = null;
      }
      if (host !== request.headers.host) throw forbidden('A tunnel may only be opened from the console', 'bad_origin');
    }
  };
  const upgradeRequired = async (
    _request: unknown,
    reply: { status(n: number): { header(k: string, v: string): { send(b: unknown): unknown } } },
  ) =>
    reply
      .status(426)
      .header('upgrade', 'websocket')
      .send({ error: { code: 'upgrade_required', message: 'This endpoint is a WebSocket: send Upgrade: websocket' } });

  const admitted = (
    socket: WebSocket,
    sessionId: string,
    side: 'device' | 'console',
    admission: Promise<unknown>,
  ): void => {
    // Nothing is read until the session is admitted and the other side is there.
    socket.pause();
    admission.then(
      (result) => {
        if (typeof result === 'string') {
          ctx.log.info({ sessionId, side, refusal: result }, 'remote tunnel refused');
          // Read again, or the peer's closing frame is never read and the close waits for its timeout.
          socket.resume();
          socket.close(REMOTE_CLOSE.refused, REFUSALS[result as TunnelRefusal]);
        } else relay.attach(sessionId, side, socket);
      },
      (error: unknown) => {
        ctx.log.error({ err: error, sessionId, side }, 'remote tunnel admission failed');
        socket.resume();
        socket.close(1011, 'server error');
      },
    );
  };

  serve(app, ctx, 'remoteDeviceTunnel', upgradeRequired as never, {
    beforeGuard: [tunnelUpgrade(false)],
    websocket: (socket, request) => {
      const sessionId = (request.params as { id: string }).id;
      admitted(socket, sessionId, 'device', admitDeviceTunnel(ctx, deviceOf(request).id, sessionId, tokenOf(request)));
    },
  });
  serve(app, ctx, 'remoteConsoleTunnel', upgradeRequired as never, {
    beforeGuard: [tunnelUpgrade(true)],
    websocket: (socket, request) => {
      const sessionId = (request.params as { id: string }).id;
      admitted(socket, sessionId, 'console', admitConsoleTunnel(ctx, staffOf(request), sessionId, tokenOf(request)));
    },
  });
  return relay;
}
