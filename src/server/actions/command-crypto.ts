import { generateKeyPairSync, sign } from 'node:crypto';
import type { CommandSigner } from '../../shared/actions/command-signing';

/* Ed25519 for the server's side of signed commands (src/shared/actions/command-signing.ts): key pairs and signing. */

/** A command-signing key pair, both halves PEM (public: SPKI, private: PKCS#8). */
export interface CommandKeyPair {
  publicKeyPem: string;
  privateKeyPem: string;
}

/** A new Ed25519 key pair. */
export function generateCommandKeyPair(): CommandKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/** Signs with Node's Ed25519 (no digest: Ed25519 hashes the message itself). */
export const ed25519Signer: CommandSigner = {
  sign: (message, privateKeyPem) => sign(null, Buffer.from(message, 'utf8'), privateKeyPem).toString('base64'),
};
