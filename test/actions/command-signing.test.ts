import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ed25519Verifier } from '../../src/main/services/command-verifier';
import { ed25519Signer, generateCommandKeyPair } from '../../src/server/actions/command-crypto';
import {
  canonicalJson,
  COMMAND_CLOCK_SKEW_MS,
  commandSigningMessage,
  signCommand,
  verifyCommand,
  type CommandEnvelope,
  type VerifyOptions,
} from '../../src/shared/actions/command-signing';

/*
 * Signed commands across the two real halves: the server's signer (src/server/actions/command-crypto.ts)
 * and the agent's verifier (src/main/services/command-verifier.ts), over the shared envelope.
 */

const server = generateCommandKeyPair();
const NOW = Date.parse('2026-03-02T09:00:00.000Z');
const DEVICE = 'device-1';

function envelope(overrides: Partial<CommandEnvelope> = {}): CommandEnvelope {
  return {
    id: randomUUID(),
    deviceId: DEVICE,
    action: 'net.ping',
    params: { host: '127.0.0.1', count: 2 },
    issuedAt: new Date(NOW).toISOString(),
    expiresAt: new Date(NOW + 10 * 60_000).toISOString(),
    nonce: randomBytes(24).toString('base64url'),
    requestedBy: { id: 7, name: 'Tess Technician' },
    ticketId: 42,
    ...overrides,
  };
}

/** The agent's side: a nonce store that records what it accepts. */
function agent(overrides: Partial<VerifyOptions> = {}) {
  const nonces = new Map<string, number>();
  const asked: string[] = [];
  const options: VerifyOptions = {
    publicKeyPem: server.publicKeyPem,
    deviceId: DEVICE,
    now: NOW,
    seenNonce(nonce, expiresAt) {
      asked.push(nonce);
      if (nonces.has(nonce)) return true;
      nonces.set(nonce, expiresAt);
      return false;
    },
    verifier: ed25519Verifier,
    ...overrides,
  };
  return {
    verify: (signed: unknown, at: Partial<VerifyOptions> = {}) => verifyCommand(signed, { ...options, ...at }),
    asked,
  };
}

/** As it travels: JSON text, parsed again on the other side. */
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Signs anything, bypassing signCommand's checks: what a server with a newer catalog (or a bug) could send. */
function signRaw(env: unknown, privateKeyPem = server.privateKeyPem) {
  return { envelope: env, signature: ed25519Signer.sign(commandSigningMessage(env)!, privateKeyPem) };
}

const refusal = (code: string, message?: RegExp) => ({
  ok: false,
  error: { code, ...(message ? { message: expect.stringMatching(message) } : {}) },
});

describe('signed commands', () => {
  it('round trip: the server signs, the agent verifies over the wire and gets the validated action', () => {
    const env = envelope();
    const signed = signCommand(env, server.privateKeyPem, ed25519Signer);
    expect(signed.signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    const result = agent().verify(wire(signed));
    expect(result).toEqual({
      ok: true,
      value: { envelope: env, action: { name: 'net.ping', params: { host: '127.0.0.1', count: 2 } } },
    });
    // Key order on the wire does not matter: the signature covers the canonical form.
    const reordered = Object.fromEntries(Object.entries(env).reverse());
    expect(agent().verify({ envelope: reordered, signature: signed.signature }).ok).toBe(true);
  });

  it('applies the catalog defaults to the verified parameters', () => {
    const signed = signCommand(
      envelope({ params: { host: 'intranet.example.com' } }),
      server.privateKeyPem,
      ed25519Signer,
    );
    expect(agent().verify(wire(signed))).toMatchObject({
      ok: true,
      value: { action: { params: { host: 'intranet.example.com', count: 4 } } },
    });
  });

  it('refuses a tampered parameter, an added field and a tampered signature as bad-signature', () => {
    const signed = wire(signCommand(envelope(), server.privateKeyPem, ed25519Signer)) as {
      envelope: Record<string, unknown> & { params: Record<string, unknown> };
      signature: string;
    };
    const a = agent();
    expect(
      a.verify({ ...signed, envelope: { ...signed.envelope, params: { host: '10.9.9.9', count: 2 } } }),
    ).toMatchObject(refusal('bad-signature'));
    expect(a.verify({ ...signed, envelope: { ...signed.envelope, ticketId: 43 } })).toMatchObject(
      refusal('bad-signature'),
    );
    expect(a.verify({ ...signed, envelope: { ...signed.envelope, extra: true } })).toMatchObject(
      refusal('bad-signature'),
    );
    const bytes = Buffer.from(signed.signature, 'base64');
    bytes[10] = bytes[10]! ^ 0x01;
    expect(a.verify({ ...signed, signature: bytes.toString('base64') })).toMatchObject(refusal('bad-signature'));
    expect(a.verify({ envelope: signed.envelope })).toMatchObject(refusal('bad-signature'));
    expect(a.verify({ ...signed, signature: 'AAAA' })).toMatchObject(refusal('bad-signature'));
    // Signed with another key (a compromised proxy's own): refused.
    const forged = signRaw(signed.envelope, generateCommandKeyPair().privateKeyPem);
    expect(a.verify(forged)).toMatchObject(refusal('bad-signature', /does not match/));
    // Nothing refused consumed a nonce: the nonce store was never asked.
    expect(a.asked).toEqual([]);
    expect(a.verify(signed).ok).toBe(true);
  });

  it('checks the signature before any field: a forged command for another device with an unknown action is bad-signature', () => {
    const forged = signRaw(
      envelope({ deviceId: 'device-2', action: 'shell.exec', params: { command: 'id' } }),
      generateCommandKeyPair().privateKeyPem,
    );
    const a = agent();
    expect(a.verify(forged)).toMatchObject(refusal('bad-signature'));
    expect(a.asked).toEqual([]);
  });

  it("refuses another device's command", () => {
    const signed = signCommand(envelope({ deviceId: 'device-2' }), server.privateKeyPem, ed25519Signer);
    expect(agent().verify(wire(signed))).toMatchObject(refusal('wrong-device'));
  });

  it('refuses an expired command and one issued in the future, with the clock skew allowance', () => {
    const signed = wire(signCommand(envelope(), server.privateKeyPem, ed25519Signer));
    const expiresAt = NOW + 10 * 60_000;
    expect(agent().verify(signed, { now: expiresAt + COMMAND_CLOCK_SKEW_MS - 1 }).ok).toBe(true);
    expect(agent().verify(signed, { now: expiresAt + COMMAND_CLOCK_SKEW_MS })).toMatchObject(refusal('expired'));
    expect(agent().verify(signed, { now: expiresAt + 3_600_000 })).toMatchObject(refusal('expired', /expired at/));
    expect(agent().verify(signed, { now: NOW - COMMAND_CLOCK_SKEW_MS }).ok).toBe(true);
    expect(agent().verify(signed, { now: NOW - COMMAND_CLOCK_SKEW_MS - 1 })).toMatchObject(refusal('not-yet-valid'));
  });

  it('refuses a replayed nonce, even under a new command id', () => {
    const env = envelope();
    const a = agent();
    expect(a.verify(wire(signCommand(env, server.privateKeyPem, ed25519Signer))).ok).toBe(true);
    expect(a.verify(wire(signCommand(env, server.privateKeyPem, ed25519Signer)))).toMatchObject(refusal('replayed'));
    const again = signCommand({ ...env, id: randomUUID() }, server.privateKeyPem, ed25519Signer);
    expect(a.verify(wire(again))).toMatchObject(refusal('replayed'));
  });

  it('refuses an action the catalog does not know, and parameters it refuses, naming the field', () => {
    expect(agent().verify(signRaw(envelope({ action: 'shell.exec', params: { command: 'id' } })))).toMatchObject(
      refusal('unknown-action', /shell\.exec/),
    );
    expect(agent().verify(signRaw(envelope({ params: { host: '$(reboot)' } })))).toMatchObject(
      refusal('bad-params', /^host: /),
    );
    expect(agent().verify(signRaw(envelope({ params: { host: 'example.com', flags: '-f' } })))).toMatchObject(
      refusal('bad-params', /^flags: /),
    );
  });

  it('refuses a signed envelope that is not a command as malformed', () => {
    const { nonce: _nonce, ...noNonce } = envelope();
    expect(agent().verify(signRaw(noNonce))).toMatchObject(refusal('malformed', /nonce/));
    const backwards = envelope({ expiresAt: new Date(NOW - 1).toISOString() });
    expect(agent().verify(signRaw(backwards))).toMatchObject(refusal('malformed', /expiresAt/));
    const tooLong = envelope({ expiresAt: new Date(NOW + 8 * 24 * 3_600_000).toISOString() });
    expect(agent().verify(signRaw(tooLong))).toMatchObject(refusal('malformed', /expiresAt/));
    expect(agent().verify(null)).toMatchObject(refusal('malformed'));
    expect(agent().verify({ envelope: [1], signature: 'A'.repeat(86) + '==' })).toMatchObject(refusal('malformed'));
  });

  it('the server signs nothing malformed, unknown or refused by the catalog', () => {
    const sign = (env: CommandEnvelope) => () => signCommand(env, server.privateKeyPem, ed25519Signer);
    expect(sign(envelope({ action: 'shell.exec' }))).toThrow(/Unknown action/);
    expect(sign(envelope({ params: { host: 'a;b' } }))).toThrow(/host: /);
    expect(sign(envelope({ id: 'not-a-uuid' }))).toThrow(/id: /);
  });

  it('canonical JSON sorts keys at every depth and refuses what JSON cannot carry', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
    expect(canonicalJson({ a: undefined })).toBeNull();
    expect(canonicalJson({ a: Number.NaN })).toBeNull();
    expect(canonicalJson({ a: new Date(0) })).toBeNull();
  });
});
