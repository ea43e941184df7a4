import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import {
  connect,
  createServer as createTcpServer,
  type AddressInfo,
  type Server as TcpServer,
  type Socket,
} from 'node:net';
import { afterEach } from 'vitest';

/*
 * Loopback targets for network monitoring's tests: everything listens on 127.0.0.1 and is closed after each
 * test, so no probe leaves the machine. A DNS responder (hand-written packets, RFC 1035 §4), an HTTP server
 * with a slow route, a port with nothing listening, a listener whose accept queue is full (connects time out),
 * and a TCP proxy that drops or delays connections (loss and jitter for HTTP). Not part of any bundle.
 */

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const portOf = (server: { address(): AddressInfo | string | null }) => (server.address() as AddressInfo).port;

/** An HTTP server: `/healthz` and `/fast` answer at once, `/slow` after `slowMs`, `/fail` with 503. */
export async function startHttp(slowMs = 200): Promise<{ port: number; hits: string[] }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/slow') return void setTimeout(() => res.end('slow'), slowMs);
    if (req.url === '/fail') return void res.writeHead(503).end('down');
    res.end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: portOf(server), hits };
}

/** A loopback port nobody listens on (bound then closed; the kernel answers RST). */
export async function refusedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = portOf(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A listener that accepts connections and never says anything (an HTTP request to it times out). */
export async function startSilent(): Promise<number> {
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return portOf(server);
}

/**
 * A listening socket that never accepts, with its accept queue filled (Python's socket, listen(0)): the
 * kernel drops further SYNs, so a TCP connect times out. Null when python3 is missing.
 */
export async function startFullBacklog(): Promise<number | null> {
  const script =
    'import socket,sys,time\ns=socket.socket();s.bind(("127.0.0.1",0));s.listen(0)\n' +
    'print(s.getsockname()[1],flush=True)\ntime.sleep(120)\n';
  let child: ChildProcess;
  try {
    child = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
  const port = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.stdout?.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
  });
  const fillers: Socket[] = [];
  cleanups.push(() => {
    for (const f of fillers) f.destroy();
    child.kill('SIGKILL');
  });
  if (!port) return null;
  // listen(0) leaves room for one or two queued connections: fill them so the next SYN is dropped.
  for (let i = 0; i < 3; i++) {
    const f = connect({ host: '127.0.0.1', port });
    f.on('error', () => {});
    fillers.push(f);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  return port;
}

export interface DnsRule {
  /** Answer with this IPv4 address; absent: NXDOMAIN. */
  address?: string;
}

/**
 * A DNS responder on 127.0.0.1 (UDP): A questions for names in `zone` get one answer, others NXDOMAIN.
 * `delays` (ms, used in turn per query) add latency; a delay of -1 drops that query (loss).
 */
export async function startDns(
  zone: Record<string, string>,
  delays: number[] = [0],
): Promise<{ server: string; queries: string[] }> {
  const socket: UdpSocket = createSocket('udp4');
  const queries: string[] = [];
  let turn = 0;
  socket.on('message', (msg, rinfo) => {
    const { name, end } = readName(msg, 12);
    queries.push(name);
    const delay = delays[turn++ % delays.length] ?? 0;
    if (delay < 0) return;
    const question = msg.subarray(12, end + 4);
    const address = zone[name.toLowerCase()];
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(0x8180 | (address ? 0 : 3), 2); // response, RD+RA, rcode 0 or 3 (NXDOMAIN)
    header.writeUInt16BE(1, 4); // QDCOUNT
    header.writeUInt16BE(address ? 1 : 0, 6); // ANCOUNT
    const answer = address
      ? Buffer.concat([
          Buffer.from([0xc0, 0x0c]), // the name: a pointer to the question
          Buffer.from([0, 1, 0, 1, 0, 0, 0, 60, 0, 4]), // A, IN, TTL 60, 4 bytes
          Buffer.from(address.split('.').map(Number)),
        ])
      : Buffer.alloc(0);
    const reply = Buffer.concat([header, question, answer]);
    setTimeout(() => socket.send(reply, rinfo.port, rinfo.address), delay);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { server: `127.0.0.1:${socket.address().port}`, queries };
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = offset;
  while (i < msg.length && msg[i] !== 0) {
    const len = msg[i] ?? 0;
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('ascii'));
    i += len + 1;
  }
  return { name: labels.join('.'), end: i + 1 };
}

/**
 * A TCP proxy to 127.0.0.1:`port`: connection n (from 0) is dropped at once (reset) when `drop(n)`, else
 * forwarded after `delay(n)` ms (the request waits, so the first byte comes that much later).
 */
export async function startProxy(
  port: number,
  drop: (n: number) => boolean,
  delay: (n: number) => number,
): Promise<number> {
  let n = 0;
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    const i = n++;
    sockets.add(client);
    client.on('error', () => {});
    if (drop(i)) return void client.resetAndDestroy();
    client.pause();
    setTimeout(() => {
      const upstream = connect({ host: '127.0.0.1', port });
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.pipe(upstream).pipe(client);
      client.resume();
    }, delay(i));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return portOf(server);
}
