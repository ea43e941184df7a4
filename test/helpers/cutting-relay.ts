import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP relay in front of the help-desk server that can cut its connections the way a network
 * does: everything passes untouched until `cutOn(marker)` is armed; then the first server-to-client chunk
 * holding the marker (the server's WebSocket frames are unmasked and uncompressed, so a frame's JSON is
 * readable on the wire) is dropped and the connection destroyed on both sides, as if the socket died right
 * after the server wrote the frame. `cutAll()` destroys every open connection at once.
 */
export interface CuttingRelay {
  /** http://127.0.0.1:port going through the relay. */
  url: string;
  /** Cuts the next connection whose server side sends `marker` (once), before the chunk reaches the client. */
  cutOn(marker: string): Promise<void>;
  cutAll(): void;
  /** Connections cut so far. */
  cuts(): number;
  close(): Promise<void>;
}

/** Starts a relay to `targetUrl` (an http://127.0.0.1:port address). */
export async function startCuttingRelay(targetUrl: string): Promise<CuttingRelay> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let armed: { marker: string; done(): void } | null = null;
  let cuts = 0;
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => {
        sockets.delete(s);
        cut();
      });
      s.on('error', cut);
    }
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (armed && chunk.includes(armed.marker)) {
        const { done } = armed;
        armed = null;
        cuts++;
        cut();
        done();
        return;
      }
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    cutOn: (marker) => new Promise<void>((resolve) => (armed = { marker, done: resolve })),
    cutAll() {
      for (const s of sockets) s.destroy();
    },
    cuts: () => cuts,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
