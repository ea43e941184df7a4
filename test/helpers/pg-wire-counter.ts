import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP relay in front of PostgreSQL that counts round trips as the wire shows them: every
 * ReadyForQuery ('Z') the server sends ends one exchange (a simple query, or an extended-protocol
 * Sync; BEGIN and COMMIT included), whatever the driver or the query builder does above it.
 * Only the server-to-client stream is parsed (type byte + int32 length per message); the
 * client-to-server bytes pass untouched. The benchmark counts on a separate, short run, so the relay's
 * own hop does not weigh on its throughput figures; tests count the round trips of one request.
 */
export interface PgWireCounter {
  /** postgres://… URL that goes through the relay (same user, database and parameters). */
  url: string;
  /** ReadyForQuery messages seen since start, minus the one that ends each connection's start-up. */
  roundTrips(): number;
  /** Connections opened through the relay. */
  connections(): number;
  close(): Promise<void>;
}

/** Starts a counting relay to the PostgreSQL server of `targetUrl`. */
export async function startPgWireCounter(targetUrl: string): Promise<PgWireCounter> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 5432);
  let readyForQuery = 0;
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    connections++;
    const upstream = createConnection({ host: target.hostname, port: targetPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    // Bytes still needed to finish the current message, and a partial header carried over between chunks.
    let skip = 0;
    let header = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      let at = 0;
      while (at < chunk.length) {
        if (skip > 0) {
          const n = Math.min(skip, chunk.length - at);
          skip -= n;
          at += n;
          continue;
        }
        const need = 5 - header.length;
        header = Buffer.concat([header, chunk.subarray(at, at + need)]);
        at += Math.min(need, chunk.length - at);
        if (header.length < 5) break;
        if (header[0] === 0x5a) readyForQuery++;
        skip = header.readInt32BE(1) - 4;
        header = Buffer.alloc(0);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('pg wire counter: no port');
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);
  return {
    url: url.toString(),
    roundTrips: () => readyForQuery - connections,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
