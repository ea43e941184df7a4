// A minimal RFB 3.8 client for the remote-control bench, over either a remote session's console tunnel (a
// WebSocket of binary frames, as noVNC speaks it) or a plain TCP connection to the same VNC server: the
// version, VNC authentication (DES as noVNC does it, from @novnc/novnc's own cipher), ClientInit, then
// SetPixelFormat (32 bits, true colour) and SetEncodings (raw only), and FramebufferUpdateRequests. Received
// bytes are counted and skipped in place, never gathered, so the client costs little beside what it measures.
import { connect } from 'node:net';
import type WebSocket from 'ws';

/** Bytes in, bytes out: what the client needs from a WebSocket or a TCP socket. */
interface Transport {
  send(bytes: Buffer): void;
  close(): void;
}

/** Received bytes in arrival order: exact reads for headers, skips for pixel data. */
class ByteQueue {
  private chunks: Buffer[] = [];
  private length = 0;
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  /** Every byte received since the connection opened. */
  total = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.total += chunk.length;
    this.notify();
  }

  fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private more(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve) => (this.wake = resolve));
  }

  /** Exactly n bytes, copied out. */
  async read(n: number): Promise<Buffer> {
    while (this.length < n) await this.more();
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    while (at < n) {
      const head = this.chunks[0]!;
      const take = Math.min(head.length, n - at);
      head.copy(out, at, 0, take);
      at += take;
      this.consume(take);
    }
    return out;
  }

  /** Drops n bytes as they arrive. */
  async skip(n: number): Promise<void> {
    let left = n;
    for (;;) {
      while (left > 0 && this.length > 0) {
        const take = Math.min(this.chunks[0]!.length, left);
        this.consume(take);
        left -= take;
      }
      if (left === 0) return;
      await this.more();
    }
  }

  private consume(n: number): void {
    const head = this.chunks[0]!;
    if (n === head.length) this.chunks.shift();
    else this.chunks[0] = head.subarray(n);
    this.length -= n;
  }
}

export interface RfbClient {
  width: number;
  height: number;
  /** Bytes received so far (handshake included). */
  received(): number;
  /** Sends a FramebufferUpdateRequest and resolves with the update's size in bytes when all of it is in. */
  update(region?: { x: number; y: number; width: number; height: number }, incremental?: boolean): Promise<number>;
  /** Sends a PointerEvent (the technician moving the mouse). */
  pointer(x: number, y: number): void;
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

/** Handshakes and sets a 32-bit true-colour pixel format with raw encoding; rejects on anything unexpected. */
async function handshake(queue: ByteQueue, transport: Transport, password: string | null): Promise<RfbClient> {
  const send = (bytes: Buffer | number[]) => transport.send(Buffer.from(bytes));
  const version = (await queue.read(12)).toString('latin1');
  if (!/^RFB 003\.00\d\n$/.test(version)) throw new Error(`not an RFB server: ${JSON.stringify(version)}`);
  send(Buffer.from('RFB 003.008\n', 'latin1'));
  const count = (await queue.read(1))[0]!;
  if (count === 0) throw new Error('the VNC server refused the connection');
  const types = [...(await queue.read(count))];
  if (password !== null && types.includes(2)) {
    send([2]);
    send(await vncAuthResponse(password, await queue.read(16)));
  } else if (types.includes(1)) send([1]);
  else throw new Error(`no security type this client speaks: ${types.join(',')}`);
  if ((await queue.read(4)).readUInt32BE(0) !== 0) throw new Error('VNC authentication failed');
  send([1]); // ClientInit: shared
  const init = await queue.read(24);
  const width = init.readUInt16BE(0);
  const height = init.readUInt16BE(2);
  await queue.read(init.readUInt32BE(20)); // the desktop's name

  const pixelFormat = Buffer.alloc(20);
  pixelFormat[0] = 0; // SetPixelFormat
  pixelFormat.set([32, 24, 0, 1], 4); // bits per pixel, depth, big-endian, true colour
  pixelFormat.writeUInt16BE(255, 8);
  pixelFormat.writeUInt16BE(255, 10);
  pixelFormat.writeUInt16BE(255, 12);
  pixelFormat.set([16, 8, 0], 14); // red, green, blue shifts
  send(pixelFormat);
  const encodings = Buffer.alloc(8);
  encodings[0] = 2; // SetEncodings
  encodings.writeUInt16BE(1, 2);
  encodings.writeInt32BE(0, 4); // raw
  send(encodings);

  /** Reads server messages until a whole FramebufferUpdate is in; answers its size. */
  const nextUpdate = async (): Promise<number> => {
    for (;;) {
      const type = (await queue.read(1))[0]!;
      if (type === 0) {
        const rects = (await queue.read(3)).readUInt16BE(1);
        let bytes = 4;
        for (let i = 0; i < rects; i++) {
          const header = await queue.read(12);
          const encoding = header.readInt32BE(8);
          if (encoding !== 0) throw new Error(`unexpected encoding ${encoding} (only raw was offered)`);
          const pixels = header.readUInt16BE(4) * header.readUInt16BE(6) * 4;
          await queue.skip(pixels);
          bytes += 12 + pixels;
        }
        return bytes;
      } else if (type === 1) {
        const colours = (await queue.read(5)).readUInt16BE(3);
        await queue.skip(colours * 6);
      } else if (type === 3) {
        await queue.skip((await queue.read(7)).readUInt32BE(3));
      } else if (type !== 2) throw new Error(`unexpected server message ${type}`);
    }
  };

  let pending = Promise.resolve(0);
  return {
    width,
    height,
    received: () => queue.total,
    update(region = { x: 0, y: 0, width, height }, incremental = false) {
      const request = Buffer.alloc(10);
      request[0] = 3;
      request[1] = incremental ? 1 : 0;
      request.writeUInt16BE(region.x, 2);
      request.writeUInt16BE(region.y, 4);
      request.writeUInt16BE(region.width, 6);
      request.writeUInt16BE(region.height, 8);
      send(request);
      pending = pending.then(nextUpdate, nextUpdate);
      return pending;
    },
    pointer(x, y) {
      const event = Buffer.alloc(6);
      event[0] = 5;
      event.writeUInt16BE(x, 2);
      event.writeUInt16BE(y, 4);
      send(event);
    },
    close: () => transport.close(),
  };
}

/** RFB over a remote session's console tunnel (a WebSocket already open). */
export function rfbOverWebSocket(ws: WebSocket, password: string | null): Promise<RfbClient> {
  const queue = new ByteQueue();
  ws.on('message', (data: Buffer) => queue.push(data));
  ws.on('close', (code, reason) => queue.fail(new Error(`tunnel closed (${code} ${reason.toString()})`)));
  ws.on('error', (error) => queue.fail(error));
  return handshake(queue, { send: (b) => ws.send(b, { binary: true }), close: () => ws.close() }, password);
}

/** RFB over TCP, straight to the VNC server (the baseline). */
export function rfbOverTcp(host: string, port: number, password: string | null): Promise<RfbClient> {
  const queue = new ByteQueue();
  const socket = connect({ host, port });
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => queue.push(chunk));
  socket.on('close', () => queue.fail(new Error('the VNC server closed the connection')));
  socket.on('error', (error) => queue.fail(error));
  return handshake(queue, { send: (b) => socket.write(b), close: () => socket.destroy() }, password);
}
