import { createRequire } from 'node:module';
import type naclType from 'tweetnacl';

let loaded: typeof naclType | undefined;
/** Required on first use, a RustDesk ID to open: loading tweetnacl would cost every snapshot ~10 ms. */
const nacl = (): typeof naclType => (loaded ??= createRequire(import.meta.url)('tweetnacl') as typeof naclType);

/**
 * NaCl's secretbox (XSalsa20-Poly1305) open, as libsodium's crypto_secretbox_open_easy, which RustDesk uses
 * to keep its ID in RustDesk.toml (`enc_id`). From tweetnacl (audited, pure JavaScript: nothing native in the
 * agent). Null when the box does not authenticate under this key and nonce.
 */
export function secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  const { secretbox } = nacl();
  if (nonce.length !== secretbox.nonceLength || key.length !== secretbox.keyLength) return null;
  return secretbox.open(box, nonce, key);
}
