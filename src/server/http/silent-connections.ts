import type { Socket } from 'node:net';
import type { App } from './types';

/**
 * At shutdown, closes the connections that never sent a byte. Node's `server.close()` waits for them
 * (until headersTimeout, 60 s) and Fastify's close of idle connections does not count them, so a client
 * that opened a socket and said nothing held a server's close for a minute (seen in the test suite, where
 * a client's pool left such sockets behind; in production, any scanner or half-open client could).
 * Registered last, so it runs after the other preClose hooks (the channel's writes among them).
 *
 * Silence is read from the socket's own byte count, not from the server's 'request' and 'upgrade'
 * events: listening to 'upgrade' would itself be the bug. The WebSocket plugin removes its 'upgrade'
 * listener when the server starts closing; with none left, Node answers a late upgrade request as an
 * ordinary request (Fastify's 503 while closing), but with any listener Node hands the socket to it, and
 * a listener that only watches leaves it open forever — and the server's close waiting on it (a restart
 * under reconnecting agents never finished).
 */
export function closeSilentConnectionsAtShutdown(app: App): void {
  const open = new Set<Socket>();
  // Over TLS a request's socket is the TLS socket, which 'secureConnection' gives.
  const event = 'setSecureContext' in app.server ? 'secureConnection' : 'connection';
  app.server.on(event, (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  app.addHook('preClose', async () => {
    for (const socket of open) if (socket.bytesRead === 0) socket.destroy();
    open.clear();
  });
}
