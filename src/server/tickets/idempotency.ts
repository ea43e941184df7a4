import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest } from '../errors';
import { decodedBodyOf } from '../http/gzip.plugin';
import { UnicodeEscapeScan } from '../http/json-escapes';

/*
 * Exactly-once ticket submission from the agent's outbox: the agent sends one Idempotency-Key per
 * ticket and retries with the same key and the same bytes until it gets an answer.
 */

const KEY_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

/** The Idempotency-Key header: 400 idempotency_key_required / invalid_idempotency_key. */
export function idempotencyKeyOf(request: FastifyRequest): string {
  const key = request.headers['idempotency-key'];
  if (key === undefined || key === '') {
    throw badRequest(
      'idempotency_key_required',
      'Send an Idempotency-Key header (8-128 characters of A-Z, a-z, 0-9, _ and -), the same on every retry of this ticket',
    );
  }
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw badRequest(
      'invalid_idempotency_key',
      'The Idempotency-Key header must be 8-128 characters of A-Z, a-z, 0-9, _ and -',
    );
  }
  return key;
}

const digests = new WeakMap<FastifyRequest, { hash: Hash; escapes: UnicodeEscapeScan; body: Buffer | null }>();

/** What hashRequestBody learnt of a body's bytes. */
export interface BodyDigest {
  /** The sha256 (hex) of the body after gzip decoding: the same bytes give the same key's replay. */
  hash: string;
  /** False when the body has no `\u` escape, so no string parsed from it holds NUL or a lone surrogate. */
  mayHoldUnsafeText: boolean;
  /** The whole body after gzip decoding, when it arrived gzip (then it is in memory anyway); null otherwise. */
  body: Buffer | null;
}

/**
 * preParsing hook: hashes the request body (after gzip decoding) as it streams to the JSON parser, and
 * notes whether it holds a `\u` escape (json-escapes.ts). Hashing bytes in passing costs a fraction of
 * re-serialising the parsed body with its snapshot. A gzip body is already whole in memory: it is
 * looked at in one call and its stream passed on as is.
 */
export async function hashRequestBody(
  request: FastifyRequest,
  _reply: FastifyReply,
  payload: Readable,
): Promise<Readable> {
  const decoded = decodedBodyOf(payload);
  const digest = { hash: createHash('sha256'), escapes: new UnicodeEscapeScan(), body: decoded ?? null };
  digests.set(request, digest);
  if (decoded) {
    digest.hash.update(decoded);
    digest.escapes.update(decoded);
    return payload;
  }
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      digest.hash.update(chunk);
      digest.escapes.update(chunk);
      done(null, chunk);
    },
  });
  // Fastify's length and limit checks count the (decoded) bytes that pass through here.
  // An aborted upload must fail the parse rather than leave it waiting. (Not stream.pipeline: it
  // builds an AbortController and a DOMException per request, measurable at hundreds per second.)
  payload.once('error', (error) => tee.destroy(error));
  return payload.pipe(tee);
}

/** What hashRequestBody saw of this request's body (once per request). */
export function bodyDigestOf(request: FastifyRequest): BodyDigest {
  const digest = digests.get(request);
  if (!digest) throw new Error('hashRequestBody must run as the route preParsing hook');
  digests.delete(request);
  return { hash: digest.hash.digest('hex'), mayHoldUnsafeText: digest.escapes.mayHoldUnsafeText, body: digest.body };
}
