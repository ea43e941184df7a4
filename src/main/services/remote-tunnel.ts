import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { pathOf } from '../../shared/api/endpoint-routes';
import {
  REMOTE_BUFFER_HIGH_BYTES,
  REMOTE_BUFFER_LOW_BYTES,
  REMOTE_MAX_FRAME_BYTES,
  REMOTE_TOKEN_PROTOCOL_PREFIX,
  REMOTE_TUNNEL_CONTROL,
  REMOTE_TUNNEL_PROTOCOL,
  parseRemoteTunnelControl,
  remoteTunnelControlFrame,
} from '../../shared/remote/remote-limits';

/*
 * The agent's end of a remote session's tunnel: a WebSocket to the help desk (device token as Bearer, the
 * session's one-time token as a subprotocol) piped to the local VNC server's TCP socket, byte for byte,
 * with backpressure both ways (a slow side stops the other being read). When either end closes, both do —
 * except when the help desk says the console left (REMOTE_TUNNEL_CONTROL): the VNC connection is closed on
 * purpose and, when the console is back, a new one is piped in its place (a fresh RFB handshake for it).
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
    /** Backpressure on the tunnel: paused until the current VNC connection drains. */
    let wsHeld = false;
    const resumeWs = () => {
      if (wsHeld) {
        wsHeld = false;
        ws.resume();
      }
    };
    /** Connects to the VNC server and pipes that connection into the tunnel. */
    const pipe = (onConnect: () => void) => {
      const socket = connect({ host: options.vnc.host, port: options.vnc.port });
      tcp = socket;
      socket.setNoDelay(true);
      socket.once('connect', onConnect);
      const current = () => tcp === socket;
      socket.on('error', (error) => {
        if (current())
          finish(`the VNC server connection failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`);
      });
      socket.on('close', () => {
        if (current()) finish('the VNC server closed the connection');
      });
      let held = false;
      socket.on('data', (chunk: Buffer) => {
        if (!current()) return;
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
    };
    const control = (text: string) => {
      switch (parseRemoteTunnelControl(text)) {
        case REMOTE_TUNNEL_CONTROL.consoleLeft: {
          // Nothing of this connection may reach the next console: close it, then say so (ordered after its bytes).
          const old = tcp;
          tcp = null;
          old?.destroy();
          resumeWs();
          ws.send(remoteTunnelControlFrame(REMOTE_TUNNEL_CONTROL.vncClosed));
          return;
        }
        case REMOTE_TUNNEL_CONTROL.consoleJoined:
          if (tcp) return finish('the help desk sent console-joined while the VNC connection was open');
          return pipe(() => {});
        default:
          return finish('the help desk sent a text frame on the tunnel');
      }
    };
    ws.on('open', () => {
      pipe(() => {
        opened = true;
        resolve({ closed, close: finish });
      });
      ws.on('message', (data, isBinary) => {
        const chunk = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        if (!isBinary) return control(chunk.toString('utf8'));
        // Between console-left and console-joined there is no VNC connection: nothing should come.
        const socket = tcp;
        if (!socket) return;
        if (!socket.write(chunk) && !wsHeld) {
          wsHeld = true;
          ws.pause();
          socket.once('drain', () => {
            if (tcp === socket) resumeWs();
          });
        }
      });
    });
  });
}
