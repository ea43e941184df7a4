import WebSocket from 'ws';
import { CHANNEL_PATH, CHANNEL_PROTOCOL } from '../../src/shared/channel/channel-limits';
import { frame, type DownMessage, type UpMessage } from '../../src/shared/channel/messages';

/** A raw channel peer for server tests: speaks the protocol by hand, so tests can also speak it badly. */
export interface TestPeer {
  ws: WebSocket;
  /** The next frame of a type (earlier frames of other types are kept for later calls). */
  next<T extends DownMessage['type']>(type: T, timeoutMs?: number): Promise<Extract<DownMessage, { type: T }>>;
  /** Every frame received so far. */
  received: DownMessage[];
  send(message: UpMessage): void;
  sendRaw(data: string | Buffer): void;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a channel socket; rejects with the HTTP status when the upgrade is refused. */
export function openPeer(
  baseUrl: string,
  token: string | null,
  options: { protocols?: string[] } = {},
): Promise<TestPeer> {
  const ws = new WebSocket(
    `${baseUrl.replace(/^http/, 'ws')}${CHANNEL_PATH}`,
    options.protocols ?? [CHANNEL_PROTOCOL],
    token ? { headers: { authorization: `Bearer ${token}` } } : {},
  );
  const received: DownMessage[] = [];
  const waiters: { type: string; resolve: (m: DownMessage) => void }[] = [];
  const taken = new Set<DownMessage>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as DownMessage;
    received.push(message);
    const waiter = waiters.findIndex((w) => w.type === message.type);
    if (waiter >= 0) {
      taken.add(message);
      waiters.splice(waiter, 1)[0]!.resolve(message);
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => {
      reject(
        Object.assign(new Error(`upgrade refused: ${res.statusCode}`), {
          status: res.statusCode,
          headers: res.headers,
        }),
      );
      ws.terminate();
    });
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        received,
        closed,
        send: (message) => ws.send(frame(message)),
        sendRaw: (data) => ws.send(data),
        next: (type, timeoutMs = 5000) =>
          new Promise((res, rej) => {
            const early = received.find((m) => m.type === type && !taken.has(m));
            if (early) {
              taken.add(early);
              return res(early as never);
            }
            const timer = setTimeout(() => rej(new Error(`no ${type} frame within ${timeoutMs} ms`)), timeoutMs);
            waiters.push({
              type,
              resolve: (m) => {
                clearTimeout(timer);
                res(m as never);
              },
            });
          }),
      }),
    );
  });
}
