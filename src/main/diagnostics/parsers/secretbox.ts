import nacl from 'tweetnacl';

/**
 * NaCl's secretbox (XSalsa20-Poly1305) open, as libsodium's crypto_secretbox_open_easy, which RustDesk uses
 * to keep its ID in RustDesk.toml (`enc_id`). From tweetnacl (audited, pure JavaScript: nothing native in the
 * agent). Null when the box does not authenticate under this key and nonce.
 */
export function secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  if (nonce.length !== nacl.secretbox.nonceLength || key.length !== nacl.secretbox.keyLength) return null;
  return nacl.secretbox.open(box, nonce, key);
}
