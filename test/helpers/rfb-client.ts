import type WebSocket from 'ws';

/*
 * A minimal RFB 3.8 client for tests, over a remote session's console tunnel (a WebSocket of binary frames):
 * the version, VNC authentication (DES as noVNC does it, from @novnc/novnc's own cipher), ClientInit and
 * ServerInit, then key and pointer events. Enough to prove that a real VNC server is at the other end.
 */

/** Reads exact byte counts from a WebSocket's binary frames. */
class ByteReader {
  private buffer = Buffer.alloc(0);
  private waiting: { n: number; resolve(b: Buffer): void; reject(e: Error): void } | null = null;
  private closed: Error | null = null;
  total = 0;

  constructor(ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.total += data.length;
      this.buffer = Buffer.concat([this.buffer, data]);
      this.pump();
    });
    ws.on('close', (code, reason) => {
      this.closed = new Error(`tunnel closed (${code} ${reason.toString()})`);
      this.pump();
    });
  }

  read(n: number, timeoutMs = 10_000): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${n} bytes`)), timeoutMs);
      this.waiting = {
        n,
        resolve: (b) => (clearTimeout(timer), resolve(b)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      this.pump();
    });
  }

  private pump(): void {
    const w = this.waiting;
    if (!w) return;
    if (this.buffer.length >= w.n) {
      this.waiting = null;
      const out = this.buffer.subarray(0, w.n);
      this.buffer = this.buffer.subarray(w.n);
      w.resolve(Buffer.from(out));
    } else if (this.closed) {
      this.waiting = null;
      w.reject(this.closed);
    }
  }
}

export interface RfbSession {
  width: number;
  height: number;
  name: string;
  key(keysym: number): void;
  pointer(x: number, y: number, buttons?: number): void;
  close(): void;
}

/** VNC authentication's response: the challenge encrypted with DES keyed by the password (noVNC's cipher). */
async function vncAuthResponse(password: string, challenge: Buffer): Promise<Buffer> {
  const desPath = new URL('../../node_modules/@novnc/novnc/core/crypto/des.js', import.meta.url).href;
  const { DESECBCipher } = (await import(desPath)) as {
    DESECBCipher: { importKey(key: number[]): { encrypt(alg: unknown, data: Uint8Array): Uint8Array } };
  };
  const key = DESECBCipher.importKey(password.split('').map((c) => c.charCodeAt(0)));
  return Buffer.from(key.encrypt({ name: 'DES-ECB' }, new Uint8Array(challenge)));
}

/** Handshakes RFB 3.8 over an open tunnel; rejects on anything unexpected. */
export async function rfbHandshake(ws: WebSocket, password: string | null): Promise<RfbSession> {
  const reader = new ByteReader(ws);
  const send = (bytes: Buffer | number[]) => ws.send(Buffer.from(bytes), { binary: true });
  const version = (await reader.read(12)).toString('latin1');
  if (!/^RFB 003\.00\d\n$/.test(version)) throw new Error(`not an RFB server: ${JSON.stringify(version)}`);
  send(Buffer.from('RFB 003.008\n', 'latin1'));
  const count = (await reader.read(1))[0]!;
  if (count === 0) throw new Error('the server refused the connection');
  const types = [...(await reader.read(count))];
  if (password !== null && types.includes(2)) {
    send([2]);
    send(await vncAuthResponse(password, await reader.read(16)));
  } else if (types.includes(1)) send([1]);
  else throw new Error(`no security type this client speaks: ${types.join(',')}`);
  const result = (await reader.read(4)).readUInt32BE(0);
  if (result !== 0) throw new Error(`security handshake failed (${result})`);
  send([1]); // ClientInit: shared
  const init = await reader.read(24);
  const width = init.readUInt16BE(0);
  const height = init.readUInt16BE(2);
  const name = (await reader.read(init.readUInt32BE(20))).toString('utf8');
  return {
    width,
    height,
    name,
    key(keysym) {
      for (const down of [1, 0]) {
        const msg = Buffer.alloc(8);
        msg[0] = 4;
        msg[1] = down;
        msg.writeUInt32BE(keysym, 4);
        send(msg);
      }
    },
    pointer(x, y, buttons = 0) {
      const msg = Buffer.alloc(6);
      msg[0] = 5;
      msg[1] = buttons;
      msg.writeUInt16BE(x, 2);
      msg.writeUInt16BE(y, 4);
      send(msg);
    },
    close: () => ws.close(),
  };
}
