import { z } from 'zod';
import { ok, type Result } from '../result';
import { text } from '../text/text-schema';
import { parseActionParams, type ParsedAction } from './catalog';
import { COMMAND_REASON_MAX } from './command-status';

/*
 * Signed commands: the server signs every action it sends a device (Ed25519, with the key the agent
 * pinned at enrollment), and the agent runs nothing it cannot verify. A compromised proxy cannot forge
 * or alter a command (the signature covers every field), aim one device's command at another (deviceId),
 * keep one for later (issuedAt/expiresAt) or play one twice (nonce).
 *
 * The signature is over `COMMAND_SIGNING_CONTEXT` followed by the envelope's canonical JSON: keys sorted
 * at every depth, no whitespace. The cryptography itself is a port: src/shared imports nothing from
 * `node:`, so the server passes its signer (src/server/actions/command-crypto.ts) and the agent its
 * verifier (src/main/services/command-verifier.ts). The agent holds only the public key.
 */

/** Prefix of every signed message, so a command's signature can never be passed off as another kind. */
export const COMMAND_SIGNING_CONTEXT = 'deskside-command/1\n';
/** How far the device's clock may be ahead of or behind the server's. */
export const COMMAND_CLOCK_SKEW_MS = 60_000;
/** The longest a command may wait for an offline device. */
export const COMMAND_MAX_LIFETIME_MS = 7 * 24 * 60 * 60_000;

const isoTime = z.iso.datetime({ offset: false, precision: 3 });

/** What the server sends: which action to run on which device, for whom, and until when. */
export const commandEnvelopeSchema = z
  .strictObject({
    id: z.uuid(),
    deviceId: z.string().min(1).max(200),
    /** A catalog name; an unknown one is refused as `unknown-action`. */
    action: z.string().min(1).max(64),
    params: z.record(z.string(), z.unknown()),
    issuedAt: isoTime,
    expiresAt: isoTime,
    /** Random, single use: the agent refuses a nonce it has seen. */
    nonce: z.string().regex(/^[A-Za-z0-9_-]{22,128}$/),
    requestedBy: z.strictObject({ id: z.number().int().positive(), name: text().min(1).max(200) }),
    /**
     * The technician's reason, as the consent prompt shows it: signed, so a proxy cannot change what the
     * employee is told. Optional only for envelopes signed before it was (the prompt then shows none).
     */
    reason: text().min(1).max(COMMAND_REASON_MAX).optional(),
    ticketId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable(),
  })
  .refine((e) => Date.parse(e.expiresAt) > Date.parse(e.issuedAt), {
    message: 'must be after issuedAt',
    path: ['expiresAt'],
  })
  .refine((e) => Date.parse(e.expiresAt) - Date.parse(e.issuedAt) <= COMMAND_MAX_LIFETIME_MS, {
    message: 'must be at most 7 days after issuedAt',
    path: ['expiresAt'],
  });
export type CommandEnvelope = z.infer<typeof commandEnvelopeSchema>;

/** A command as it travels: the envelope and the server's signature over it (base64). */
export interface SignedCommand {
  envelope: CommandEnvelope;
  signature: string;
}

/** Signs a message with a PEM private key; answers the signature in base64. */
export interface CommandSigner {
  sign(message: string, privateKeyPem: string): string;
}

/** Checks a base64 signature of a message against a PEM public key; false for any malformed input. */
export interface SignatureVerifier {
  verify(message: string, signature: string, publicKeyPem: string): boolean;
}

/** Why the agent refused a command. */
export type CommandRefusalCode =
  | 'malformed'
  | 'bad-signature'
  | 'wrong-device'
  | 'not-yet-valid'
  | 'expired'
  | 'unknown-action'
  | 'bad-params'
  | 'replayed';

export interface CommandRefusal {
  code: CommandRefusalCode;
  message: string;
}

/** A command that passed every check: its envelope and its action with validated parameters. */
export interface VerifiedCommand {
  envelope: CommandEnvelope;
  action: ParsedAction;
}

export interface VerifyOptions {
  /** The server key the agent pinned at enrollment (PEM, SPKI). */
  publicKeyPem: string;
  /** This device's id: another device's command is refused. */
  deviceId: string;
  /** The device's clock, epoch ms. */
  now: number;
  /**
   * True when the nonce was already used. Asked once, last, for a command that passed every other
   * check, so the store (which records the nonce when it answers false) keeps only accepted commands,
   * and only until their expiresAt.
   */
  seenNonce(nonce: string, expiresAt: number): boolean;
  verifier: SignatureVerifier;
}

// Deeper than any envelope (params are flat objects today): refused, never a stack overflow.
const MAX_DEPTH = 16;

/** JSON with keys sorted at every depth, or null for a value JSON cannot carry exactly. */
export function canonicalJson(value: unknown, depth = 0): string | null {
  if (depth > MAX_DEPTH) return null;
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : null;
  if (Array.isArray(value)) {
    const items = value.map((item) => canonicalJson(item, depth + 1));
    return items.includes(null) ? null : `[${items.join(',')}]`;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const parts: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const item = canonicalJson((value as Record<string, unknown>)[key], depth + 1);
      if (item === null) return null;
      parts.push(`${JSON.stringify(key)}:${item}`);
    }
    return `{${parts.join(',')}}`;
  }
  return null;
}

/** The exact text a command's signature covers. */
export function commandSigningMessage(envelope: unknown): string | null {
  const json = canonicalJson(envelope);
  return json === null ? null : COMMAND_SIGNING_CONTEXT + json;
}

/** Signs an envelope (checked against the envelope schema and the catalog first: the server signs nothing malformed). */
export function signCommand(envelope: CommandEnvelope, privateKeyPem: string, signer: CommandSigner): SignedCommand {
  const checked = commandEnvelopeSchema.safeParse(envelope);
  if (!checked.success) throw new Error(`Refusing to sign a malformed command: ${describe(checked.error)}`);
  const action = parseActionParams(envelope.action, envelope.params);
  if (!action.ok) throw new Error(`Refusing to sign a command: ${action.error.message}`);
  const message = commandSigningMessage(envelope);
  if (message === null) throw new Error('Refusing to sign a command that JSON cannot carry exactly');
  return { envelope, signature: signer.sign(message, privateKeyPem) };
}

const BASE64_SIGNATURE = /^[A-Za-z0-9+/]{86}==$/;

/**
 * Verifies a command as received (any JSON). The signature is checked first, over the envelope exactly
 * as it arrived; only then is any of its fields read: device, validity window, action, parameters
 * (against the catalog) and, last, the nonce.
 */
export function verifyCommand(signed: unknown, options: VerifyOptions): Result<VerifiedCommand, CommandRefusal> {
  if (typeof signed !== 'object' || signed === null || Array.isArray(signed))
    return refuse('malformed', 'The command is not an object');
  const { envelope, signature } = signed as { envelope?: unknown; signature?: unknown };
  if (typeof signature !== 'string' || !BASE64_SIGNATURE.test(signature))
    return refuse('bad-signature', 'The command carries no Ed25519 signature');
  const message = commandSigningMessage(envelope);
  if (message === null || typeof envelope !== 'object' || envelope === null || Array.isArray(envelope))
    return refuse('malformed', 'The command envelope is not a JSON object');
  if (!options.verifier.verify(message, signature, options.publicKeyPem))
    return refuse('bad-signature', "The command's signature does not match the help desk's key");

  const parsed = commandEnvelopeSchema.safeParse(envelope);
  if (!parsed.success) return refuse('malformed', `The command envelope is invalid: ${describe(parsed.error)}`);
  const command = parsed.data;
  if (command.deviceId !== options.deviceId) return refuse('wrong-device', 'The command is for another device');
  const issuedAt = Date.parse(command.issuedAt);
  const expiresAt = Date.parse(command.expiresAt);
  if (issuedAt > options.now + COMMAND_CLOCK_SKEW_MS)
    return refuse('not-yet-valid', `The command is issued in the future (${command.issuedAt})`);
  if (expiresAt <= options.now - COMMAND_CLOCK_SKEW_MS)
    return refuse('expired', `The command expired at ${command.expiresAt}`);
  const action = parseActionParams(command.action, command.params);
  if (!action.ok)
    return refuse(action.error.code === 'unknown-action' ? 'unknown-action' : 'bad-params', action.error.message);
  if (options.seenNonce(command.nonce, expiresAt + COMMAND_CLOCK_SKEW_MS))
    return refuse('replayed', 'The command was already received once');
  return ok({ envelope: command, action: action.value });
}

function refuse(code: CommandRefusalCode, message: string): Result<never, CommandRefusal> {
  return { ok: false, error: { code, message } };
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'envelope'}: ${issue?.message ?? 'is invalid'}`;
}
