import { z } from 'zod';
import {
  canonicalJson,
  COMMAND_CLOCK_SKEW_MS,
  type CommandSigner,
  type SignatureVerifier,
} from '../actions/command-signing';
import { ok, type Result } from '../result';
import { text } from '../text/text-schema';
import { REMOTE_KINDS, REMOTE_REQUEST_TTL_MS } from './remote-limits';

/*
 * A remote-control session request, signed like a command (src/shared/actions/command-signing.ts: Ed25519
 * with the key the agent pinned at enrollment, over canonical JSON) but under its own context, so a
 * command's signature can never pass for a session request or the other way round. It names the device,
 * the session, its kind (view or control), who asks and until when it may be answered, and carries the
 * one-time tunnel token the agent presents when it opens its tunnel (the server keeps only its hash).
 */

export const REMOTE_SIGNING_CONTEXT = 'deskside-remote/1\n';

const isoTime = z.iso.datetime({ offset: false, precision: 3 });

export const remoteEnvelopeSchema = z
  .strictObject({
    id: z.uuid(),
    deviceId: z.string().min(1).max(200),
    kind: z.enum(REMOTE_KINDS),
    /** One-time secret of the agent's tunnel (base64url, 32 bytes). */
    tunnelToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    issuedAt: isoTime,
    expiresAt: isoTime,
    requestedBy: z.strictObject({ id: z.number().int().positive(), name: text().min(1).max(200) }),
    ticketId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable(),
  })
  .refine((e) => Date.parse(e.expiresAt) > Date.parse(e.issuedAt), {
    message: 'must be after issuedAt',
    path: ['expiresAt'],
  })
  .refine((e) => Date.parse(e.expiresAt) - Date.parse(e.issuedAt) <= REMOTE_REQUEST_TTL_MS, {
    message: `must be at most ${REMOTE_REQUEST_TTL_MS / 1000} s after issuedAt`,
    path: ['expiresAt'],
  });
export type RemoteEnvelope = z.infer<typeof remoteEnvelopeSchema>;

export interface SignedRemoteRequest {
  envelope: RemoteEnvelope;
  signature: string;
}

export type RemoteRefusalCode =
  'malformed' | 'bad-signature' | 'wrong-device' | 'not-yet-valid' | 'expired' | 'replayed';

/** The exact text a session request's signature covers. */
export function remoteSigningMessage(envelope: unknown): string | null {
  const json = canonicalJson(envelope);
  return json === null ? null : REMOTE_SIGNING_CONTEXT + json;
}

/** Signs a session request (checked against its schema first: the server signs nothing malformed). */
export function signRemoteRequest(
  envelope: RemoteEnvelope,
  privateKeyPem: string,
  signer: CommandSigner,
): SignedRemoteRequest {
  const checked = remoteEnvelopeSchema.safeParse(envelope);
  if (!checked.success) throw new Error(`Refusing to sign a malformed session request: ${checked.error.message}`);
  const message = remoteSigningMessage(envelope);
  if (message === null) throw new Error('Refusing to sign a session request that JSON cannot carry exactly');
  return { envelope, signature: signer.sign(message, privateKeyPem) };
}

const BASE64_SIGNATURE = /^[A-Za-z0-9+/]{86}==$/;

export interface RemoteVerifyOptions {
  publicKeyPem: string;
  deviceId: string;
  now: number;
  /** True when this session id was already received (asked last, for a request that passed every other check). */
  seen(sessionId: string, expiresAt: number): boolean;
  verifier: SignatureVerifier;
}

/** Verifies a session request as received: the signature over the envelope as it arrived, then its fields. */
export function verifyRemoteRequest(
  signed: unknown,
  options: RemoteVerifyOptions,
): Result<RemoteEnvelope, { code: RemoteRefusalCode; message: string }> {
  const refuse = (code: RemoteRefusalCode, message: string) => ({ ok: false as const, error: { code, message } });
  if (typeof signed !== 'object' || signed === null || Array.isArray(signed))
    return refuse('malformed', 'The session request is not an object');
  const { envelope, signature } = signed as { envelope?: unknown; signature?: unknown };
  if (typeof signature !== 'string' || !BASE64_SIGNATURE.test(signature))
    return refuse('bad-signature', 'The session request carries no Ed25519 signature');
  const message = remoteSigningMessage(envelope);
  if (message === null || typeof envelope !== 'object' || envelope === null || Array.isArray(envelope))
    return refuse('malformed', 'The session request envelope is not a JSON object');
  if (!options.verifier.verify(message, signature, options.publicKeyPem))
    return refuse('bad-signature', "The session request's signature does not match the help desk's key");
  const parsed = remoteEnvelopeSchema.safeParse(envelope);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse('malformed', `The session request is invalid: ${issue?.path.join('.')} ${issue?.message ?? ''}`);
  }
  const request = parsed.data;
  if (request.deviceId !== options.deviceId) return refuse('wrong-device', 'The session request is for another device');
  const issuedAt = Date.parse(request.issuedAt);
  const expiresAt = Date.parse(request.expiresAt);
  if (issuedAt > options.now + COMMAND_CLOCK_SKEW_MS)
    return refuse('not-yet-valid', `The session request is issued in the future (${request.issuedAt})`);
  if (expiresAt <= options.now - COMMAND_CLOCK_SKEW_MS)
    return refuse('expired', `The session request expired at ${request.expiresAt}`);
  if (options.seen(request.id, expiresAt + COMMAND_CLOCK_SKEW_MS))
    return refuse('replayed', 'The session request was already received once');
  return ok(request);
}
