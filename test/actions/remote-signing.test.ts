import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ed25519Verifier } from '../../src/main/services/command-verifier';
import { ed25519Signer, generateCommandKeyPair } from '../../src/server/actions/command-crypto';
import { signCommand, verifyCommand } from '../../src/shared/actions/command-signing';
import {
  signRemoteRequest,
  verifyRemoteRequest,
  type RemoteEnvelope,
  type RemoteVerifyOptions,
} from '../../src/shared/remote/remote-signing';

/*
 * Remote-session requests across the real signer and verifier: every field is covered by the signature, the
 * device and the validity window are checked, a request is taken once, and a command's signature can never
 * pass for a session request (nor the other way round: each has its own signing context).
 */

const server = generateCommandKeyPair();
const NOW = Date.parse('2026-03-02T09:00:00.000Z');

function envelope(overrides: Partial<RemoteEnvelope> = {}): RemoteEnvelope {
  return {
    id: randomUUID(),
    deviceId: 'device-1',
    kind: 'control',
    tunnelToken: randomBytes(32).toString('base64url'),
    issuedAt: new Date(NOW).toISOString(),
    expiresAt: new Date(NOW + 120_000).toISOString(),
    requestedBy: { id: 7, name: 'Tess Technician' },
    ticketId: 42,
    ...overrides,
  };
}

function options(overrides: Partial<RemoteVerifyOptions> = {}): RemoteVerifyOptions {
  const seen = new Set<string>();
  return {
    publicKeyPem: server.publicKeyPem,
    deviceId: 'device-1',
    now: NOW,
    verifier: ed25519Verifier,
    seen: (id) => (seen.has(id) ? true : (seen.add(id), false)),
    ...overrides,
  };
}

const code = (result: ReturnType<typeof verifyRemoteRequest>) => (result.ok ? 'ok' : result.error.code);

describe('remote session requests: signed by the server, verified by the agent', () => {
  it('accepts a good request once; a second delivery is replayed', () => {
    const signed = signRemoteRequest(envelope(), server.privateKeyPem, ed25519Signer);
    const opts = options();
    expect(code(verifyRemoteRequest(signed, opts))).toBe('ok');
    expect(code(verifyRemoteRequest(signed, opts))).toBe('replayed');
  });

  it('refuses a tampered kind or token, another key, another device, an expired or future request', () => {
    const signed = signRemoteRequest(envelope({ kind: 'view' }), server.privateKeyPem, ed25519Signer);
    expect(code(verifyRemoteRequest({ ...signed, envelope: { ...signed.envelope, kind: 'control' } }, options()))).toBe(
      'bad-signature',
    );
    expect(
      code(
        verifyRemoteRequest({ ...signed, envelope: { ...signed.envelope, tunnelToken: 'x'.repeat(43) } }, options()),
      ),
    ).toBe('bad-signature');
    expect(code(verifyRemoteRequest(signed, options({ publicKeyPem: generateCommandKeyPair().publicKeyPem })))).toBe(
      'bad-signature',
    );
    expect(code(verifyRemoteRequest(signed, options({ deviceId: 'device-2' })))).toBe('wrong-device');
    expect(code(verifyRemoteRequest(signed, options({ now: NOW + 10 * 60_000 })))).toBe('expired');
    expect(code(verifyRemoteRequest(signed, options({ now: NOW - 10 * 60_000 })))).toBe('not-yet-valid');
    expect(code(verifyRemoteRequest('nope', options()))).toBe('malformed');
  });

  it("a command's signature does not pass for a session request, nor a session's for a command", () => {
    const remote = envelope();
    const signed = signRemoteRequest(remote, server.privateKeyPem, ed25519Signer);
    const command = signCommand(
      {
        id: randomUUID(),
        deviceId: 'device-1',
        action: 'net.ping',
        params: { host: '127.0.0.1', count: 2 },
        issuedAt: new Date(NOW).toISOString(),
        expiresAt: new Date(NOW + 60_000).toISOString(),
        nonce: randomBytes(24).toString('base64url'),
        requestedBy: { id: 7, name: 'Tess Technician' },
        ticketId: 42,
      },
      server.privateKeyPem,
      ed25519Signer,
    );
    expect(code(verifyRemoteRequest(command, options()))).toBe('bad-signature');
    const asCommand = verifyCommand(signed, {
      publicKeyPem: server.publicKeyPem,
      deviceId: 'device-1',
      now: NOW,
      verifier: ed25519Verifier,
      seenNonce: () => false,
    });
    expect(asCommand.ok ? 'ok' : asCommand.error.code).toBe('bad-signature');
  });

  it('the server signs nothing malformed (a lifetime over the request TTL)', () => {
    expect(() =>
      signRemoteRequest(
        envelope({ expiresAt: new Date(NOW + 60 * 60_000).toISOString() }),
        server.privateKeyPem,
        ed25519Signer,
      ),
    ).toThrow(/malformed/);
  });
});
