import { timingSafeEqual } from 'node:crypto';

/*
 * NaCl's crypto_secretbox_open (XSalsa20 + Poly1305), the primitive RustDesk encrypts its ID with
 * (sodiumoxide's secretbox, i.e. libsodium's crypto_secretbox_easy: the 16-byte tag, then the ciphertext).
 * Node's crypto has neither XSalsa20 nor a bare Poly1305, and this is all the agent needs of them: opening
 * one short value. Written from the specifications (Bernstein, "Extending the Salsa20 nonce" and
 * "The Poly1305-AES message-authentication code"; RFC 8439 §2.5 for Poly1305's clamping), and tested
 * against values sealed by libsodium itself (test/fixtures/linux/rustdesk/README.md).
 */

const KEY_BYTES = 32;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]; // "expand 32-byte k"

const rotl = (v: number, n: number) => (v << n) | (v >>> (32 - n));
const word = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

/** The 16-word Salsa20 input: constants, key, and the 16 bytes of nonce and counter (or HSalsa20's input). */
function salsaInput(key: Uint8Array, input16: Uint8Array): Uint32Array {
  const x = new Uint32Array(16);
  x[0] = SIGMA[0]!;
  x[5] = SIGMA[1]!;
  x[10] = SIGMA[2]!;
  x[15] = SIGMA[3]!;
  for (let i = 0; i < 4; i++) {
    x[1 + i] = word(key, i * 4);
    x[11 + i] = word(key, 16 + i * 4);
    x[6 + i] = word(input16, i * 4);
  }
  return x;
}

/** Twenty rounds (ten double rounds) of the Salsa20 permutation, in place. */
function rounds(x: Uint32Array): void {
  const q = (a: number, b: number, c: number, d: number) => {
    x[b] = x[b]! ^ rotl((x[a]! + x[d]!) | 0, 7);
    x[c] = x[c]! ^ rotl((x[b]! + x[a]!) | 0, 9);
    x[d] = x[d]! ^ rotl((x[c]! + x[b]!) | 0, 13);
    x[a] = x[a]! ^ rotl((x[d]! + x[c]!) | 0, 18);
  };
  for (let i = 0; i < 10; i++) {
    q(0, 4, 8, 12);
    q(5, 9, 13, 1);
    q(10, 14, 2, 6);
    q(15, 3, 7, 11);
    q(0, 1, 2, 3);
    q(5, 6, 7, 4);
    q(10, 11, 8, 9);
    q(15, 12, 13, 14);
  }
}

/** HSalsa20: the XSalsa20 subkey from the key and the nonce's first 16 bytes. */
function hsalsa20(key: Uint8Array, nonce16: Uint8Array): Uint8Array {
  const x = salsaInput(key, nonce16);
  rounds(x);
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  [0, 5, 10, 15, 6, 7, 8, 9].forEach((w, i) => view.setUint32(i * 4, x[w]!, true));
  return out;
}

/** `length` bytes of the XSalsa20 keystream for this key and 24-byte nonce. */
function xsalsa20Stream(key: Uint8Array, nonce: Uint8Array, length: number): Uint8Array {
  const subkey = hsalsa20(key, nonce.subarray(0, 16));
  const input = new Uint8Array(16);
  input.set(nonce.subarray(16, 24), 0);
  const out = new Uint8Array(length);
  const block = new Uint8Array(64);
  const blockView = new DataView(block.buffer);
  for (let counter = 0, at = 0; at < length; counter++, at += 64) {
    new DataView(input.buffer).setUint32(8, counter, true);
    const start = salsaInput(subkey, input);
    const x = start.slice();
    rounds(x);
    for (let i = 0; i < 16; i++) blockView.setUint32(i * 4, (x[i]! + start[i]!) >>> 0, true);
    out.set(block.subarray(0, Math.min(64, length - at)), at);
  }
  return out;
}

const le = (bytes: Uint8Array): bigint => {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
};

/** Poly1305 of `message` under a one-time 32-byte key (BigInt: a few 16-byte blocks, speed does not matter). */
function poly1305(message: Uint8Array, key: Uint8Array): Uint8Array {
  const p = (1n << 130n) - 5n;
  const r = le(key.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = le(key.subarray(16, 32));
  let acc = 0n;
  for (let i = 0; i < message.length; i += 16) {
    const chunk = message.subarray(i, i + 16);
    acc = ((acc + le(chunk) + (1n << BigInt(8 * chunk.length))) * r) % p;
  }
  let tag = (acc + s) & ((1n << 128n) - 1n);
  const out = new Uint8Array(TAG_BYTES);
  for (let i = 0; i < TAG_BYTES; i++, tag >>= 8n) out[i] = Number(tag & 0xffn);
  return out;
}

/**
 * Opens a secretbox (`tag ‖ ciphertext`, libsodium's "easy" layout): the plaintext, or null when the
 * key or nonce is wrong or the box was altered.
 */
export function secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  if (key.length !== KEY_BYTES || nonce.length !== NONCE_BYTES || box.length < TAG_BYTES) return null;
  const tag = box.subarray(0, TAG_BYTES);
  const ciphertext = box.subarray(TAG_BYTES);
  // The first 32 bytes of the stream are Poly1305's one-time key; the message is XORed from byte 32 on.
  const stream = xsalsa20Stream(key, nonce, 32 + ciphertext.length);
  const expected = poly1305(ciphertext, stream.subarray(0, 32));
  if (!timingSafeEqual(expected, tag)) return null;
  const plain = new Uint8Array(ciphertext.length);
  for (let i = 0; i < ciphertext.length; i++) plain[i] = ciphertext[i]! ^ stream[32 + i]!;
  return plain;
}
