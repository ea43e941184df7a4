import type { Socket } from 'node:net';
import type { App } from './types';

/**
 * At shutdown, closes the connections that never sent a request. Node's `server.close()` waits for them
 * (until headersTimeout, 60 s) and Fastify's close of idle connections does not count them, so a client
 * that opened a socket and said nothing held a server's close for a minute (seen in the test suite, where
 * a client's pool left such sockets behind; in production, any scanner or half-open client could).
 * Registered last, so it runs after the other preClose hooks (the channel's writes among them).
 */
export function closeSilentConnectionsAtShutdown(app: App): void {
  const silent = new Set<Socket>();
  // Over TLS a request's socket is the TLS socket, which 'secureConnection' gives.
  const event = 'setSecureContext' in app.server ? 'secureConnection' : 'connection';
  app.server.on(event, (socket: Socket) => {
    silent.add(socket);
    socket.once('close', () => silent.delete(socket));
  });
  app.server.on('request', (request: { socket: Socket }) => silent.delete(request.socket));
  app.server.on('upgrade', (request: { socket: Socket }) => silent.delete(request.socket));
  app.addHook('preClose', async () => {
    for (const socket of silent) socket.destroy();
    silent.clear();
  });
}
