import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { pathOf } from '../../shared/api/endpoint-routes';
import {
  REMOTE_BUFFER_HIGH_BYTES,
  REMOTE_BUFFER_LOW_BYTES,
  REMOTE_MAX_FRAME_BYTES,
  REMOTE_TOKEN_PROTOCOL_PREFIX,
  REMOTE_TUNNEL_PROTOCOL,
} from '../../shared/remote/remote-limits';

/*
 * The agent's end of a remote session's tunnel: a WebSocket to the help desk (device token as Bearer, the
 * session's one-time token as a subprotocol) piped to the local VNC server's TCP socket, byte for byte,
 * with backpressure both ways (a slow side stops the other being read). When either end closes, both do.
 */

/** The tunnel's WebSocket URL on the help desk (ws: or wss:, keeping a path prefix), or null. */
export function remoteTunnelUrl(serverUrl: string, sessionId: string): string | null {
  let url: URL;
  try {
    url = new URL(
      pathOf('remoteDeviceTunnel', { id: sessionId }).slice(1),
      serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`,
    );
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export interface Tunnel {
  /** Resolves once, when the tunnel is over, with why. */
  readonly closed: Promise<string>;
  /** Closes both ends; `code` tells the help desk why (REMOTE_CLOSE; 1000 by default). */
  close(reason: string, code?: number): void;
}

/** Opens the WebSocket, then connects to the VNC server and pipes the two. Rejects when either cannot open. */
export function openRemoteTunnel(options: {
  url: string;
  deviceToken: string;
  sessionToken: string;
  vnc: { host: string; port: number };
  userAgent?: string;
  openTimeoutMs?: number;
}): Promise<Tunnel> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(
      options.url,
      [REMOTE_TUNNEL_PROTOCOL, REMOTE_TOKEN_PROTOCOL_PREFIX + options.sessionToken],
      {
        headers: {
          authorization: `Bearer ${options.deviceToken}`,
          ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
        },
        handshakeTimeout: options.openTimeoutMs ?? 15_000,
        maxPayload: 64 * 1024 * 1024,
        perMessageDeflate: false,
        followRedirects: false,
        // The screen's bytes go out unmasked (a zero masking key, which ws then skips on both ends). Masking
        // (RFC 6455 §5.3) protects intermediaries from a browser script's chosen bytes; this stream is the VNC
        // server's output, not a page's, and it goes to our own server (TLS in production). Masking in
        // JavaScript (ws without the native bufferutil, which the agent cannot ship) cost a third of the
        // agent's CPU and held the tunnel to about an eighth of a direct connection (BENCH_ONLY=remote).
        generateMask: (mask: Buffer) => void mask.fill(0),
      },
    );
    let tcp: Socket | null = null;
    let opened = false;
    let finished = false;
    let settle: (reason: string) => void = () => {};
    const closed = new Promise<string>((r) => (settle = r));

    const finish = (reason: string, code = 1000) => {
      if (finished) return;
      finished = true;
      tcp?.destroy();
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)
        ws.close(code, reason.slice(0, 120));
      settle(reason);
      if (!opened) reject(new Error(reason));
    };

    ws.on('unexpected-response', (_request, response) => {
      response.resume();
      finish(`the help desk refused the tunnel (HTTP ${response.statusCode ?? 0})`);
    });
    ws.on('error', (error) => finish(`the tunnel failed: ${error.message}`));
    ws.on('close', (code, reason) =>
      finish(`the help desk closed the tunnel (${code}${reason.length ? `: ${reason.toString()}` : ''})`),
    );
    ws.on('open', () => {
      const socket = connect({ host: options.vnc.host, port: options.vnc.port });
      tcp = socket;
      socket.setNoDelay(true);
      socket.once('connect', () => {
        opened = true;
        resolve({ closed, close: finish });
      });
      socket.on('error', (error) =>
        finish(`the VNC server connection failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`),
      );
      socket.on('close', () => finish('the VNC server closed the connection'));
      let held = false;
      socket.on('data', (chunk: Buffer) => {
        for (let at = 0; at < chunk.length; at += REMOTE_MAX_FRAME_BYTES)
          ws.send(chunk.subarray(at, at + REMOTE_MAX_FRAME_BYTES), { binary: true }, () => {
            if (held && ws.bufferedAmount <= REMOTE_BUFFER_LOW_BYTES) {
              held = false;
              socket.resume();
            }
          });
        if (ws.bufferedAmount > REMOTE_BUFFER_HIGH_BYTES && !held) {
          held = true;
          socket.pause();
        }
      });
      ws.on('message', (data, isBinary) => {
        if (!isBinary) return finish('the help desk sent a text frame on the tunnel');
        const chunk = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        if (!socket.write(chunk)) {
          ws.pause();
          socket.once('drain', () => ws.resume());
        }
      });
    });
  });
}
