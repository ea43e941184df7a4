import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { CHANNEL_PATH, CHANNEL_PROTOCOL } from '../../shared/channel/channel-limits';
import { frame, parseUpFrame, type DownMessage, type UpMessage } from '../../shared/channel/messages';

/*
 * A small help-desk peer for the channel's tests: ws's own WebSocketServer on 127.0.0.1 (port 0),
 * speaking the protocol of messages.ts; every frame the agent sends is checked against the table. It
 * can refuse upgrades with an HTTP status, as a proxy would, and forward every other request to a real
 * server (so an agent core can use one URL for both). Not part of any bundle.
 */

export const TOKEN = 'device-token-1234';

/** One connection as the peer sees it: the frames the agent sent, and the peer's controls. */
export interface PeerConnection {
  ws: WebSocket;
  request: IncomingMessage;
  /** Resolves with the next frame the agent sends (already parsed against the table). */
  next(): Promise<UpMessage>;
  send(message: DownMessage): void;
  sendRaw(text: string): void;
  welcome(pingIntervalMs?: number): void;
  /** Resolves with the close code once the connection has closed. */
  closed: Promise<number>;
}

export interface Peer {
  url: string;
  /** Resolves with the next accepted connection. */
  connection(): Promise<PeerConnection>;
  accepted: number;
  /** Answers upgrades with this HTTP status instead of accepting them (null: accept). */
  refuse: number | null;
  /** Plain HTTP requests it received ("GET /api/v1/…?…"), in order. */
  requests: string[];
  close(): Promise<void>;
}

const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

/** Starts a peer; it is closed after the test. */
export async function startPeer(options: { forward?: string } = {}): Promise<Peer> {
  const server: Server = createServer((req, res) => {
    peer.requests.push(`${req.method} ${req.url}`);
    if (!options.forward) return void res.writeHead(404).end();
    const upstream = httpRequest(
      new URL(req.url ?? '/', options.forward),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.headersSent || res.writeHead(502).end());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(CHANNEL_PROTOCOL) ? CHANNEL_PROTOCOL : false),
  });
  const waiting: Array<(c: PeerConnection) => void> = [];
  const ready: PeerConnection[] = [];
  const peer: Peer = {
    url: '',
    accepted: 0,
    refuse: null,
    requests: [],
    connection: () =>
      new Promise((resolve) => {
        const c = ready.shift();
        if (c) resolve(c);
        else waiting.push(resolve);
      }),
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('upgrade', (request, socket, head) => {
    const status = request.url !== CHANNEL_PATH ? 404 : peer.refuse;
    if (status !== null) {
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      peer.accepted++;
      const frames: UpMessage[] = [];
      const readers: Array<(m: UpMessage) => void> = [];
      ws.on('message', (data) => {
        const parsed = parseUpFrame(String(data));
        if (!parsed.ok) throw new Error(`the agent sent a bad frame: ${parsed.detail}`);
        const reader = readers.shift();
        if (reader) reader(parsed.message);
        else frames.push(parsed.message);
      });
      const connection: PeerConnection = {
        ws,
        request,
        next: () =>
          new Promise((resolve) => {
            const f = frames.shift();
            if (f) resolve(f);
            else readers.push(resolve);
          }),
        send: (message) => ws.send(frame(message)),
        sendRaw: (text) => ws.send(text),
        welcome: (pingIntervalMs = 25_000) =>
          ws.send(frame({ type: 'welcome', deviceId: 'dev-1', serverTime: new Date().toISOString(), pingIntervalMs })),
        closed: new Promise((resolve) => ws.on('close', (code) => resolve(code))),
      };
      const waiter = waiting.shift();
      if (waiter) waiter(connection);
      else ready.push(connection);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  peers.push(peer);
  return peer;
}
