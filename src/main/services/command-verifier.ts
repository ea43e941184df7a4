import { createHash, createPublicKey, verify } from 'node:crypto';
import type { SignatureVerifier } from '../../shared/actions/command-signing';

/*
 * Ed25519 for the agent's side of signed commands (src/shared/actions/command-signing.ts): checking the
 * server's signatures with the key pinned at enrollment. The agent never holds a private key.
 */

/** Verifies with Node's Ed25519; a malformed key or signature is a failed verification, never a throw. */
export const ed25519Verifier: SignatureVerifier = {
  verify(message, signature, publicKeyPem) {
    try {
      const key = createPublicKey({ key: publicKeyPem, format: 'pem' });
      if (key.asymmetricKeyType !== 'ed25519') return false;
      return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  },
};

/**
 * SHA-256 of an Ed25519 public key's DER form, hex: the same key in any PEM layout has the same
 * fingerprint. Null for anything but an Ed25519 public key.
 */
export function publicKeyFingerprint(pem: string): string | null {
  try {
    const key = createPublicKey({ key: pem, format: 'pem' });
    if (key.asymmetricKeyType !== 'ed25519') return null;
    return createHash('sha256')
      .update(key.export({ type: 'spki', format: 'der' }))
      .digest('hex');
  } catch {
    return null;
  }
}
