import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors';

const gunzipAsync = promisify(gunzip);

const decodedBodies = new WeakMap<Readable, Buffer>();

/**
 * The whole decoded body behind a stream this plugin handed to later preParsing hooks, or undefined
 * for a body that was not gzip. Lets a hook that needs every byte (hashing) take them in one piece.
 */
export function decodedBodyOf(payload: Readable): Buffer | undefined {
  return decodedBodies.get(payload);
}

// zlib's default 16 KiB output chunk means one thread-pool round trip per 16 KiB of JSON; one chunk
// of the expected size decodes a ticket in a single trip. The size comes from the gzip trailer
// (ISIZE: the last member's length mod 2^32), so it is only a hint, clamped; the limit is separate.
const MIN_CHUNK = 16 * 1024;
const MAX_CHUNK = 1024 * 1024;

/** zlib output chunk size for inflating `gz`: its declared size, within [16 KiB, 1 MiB]. */
export function inflateChunkSize(gz: Buffer): number {
  if (gz.length < 18) return MIN_CHUNK;
  const declared = gz.readUInt32LE(gz.length - 4);
  return Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, declared + 64));
}

// Inflating a ticket (tens of KB) costs well under a millisecond: in-line that is cheaper than a
// thread-pool trip and its set-up. In-line work is capped at 2 MiB of output, so a hostile body
// cannot hold the event loop; larger bodies (declared or discovered) inflate on the thread pool.
const SYNC_OUTPUT_LIMIT = 2 * 1024 * 1024;

/** Inflates a gzip body to at most `limit` bytes (ERR_BUFFER_TOO_LARGE beyond; zlib errors as thrown). */
export async function inflateBody(gz: Buffer, limit: number): Promise<Buffer> {
  const chunkSize = inflateChunkSize(gz);
  const syncLimit = Math.min(limit, SYNC_OUTPUT_LIMIT);
  if (gz.length >= 18 && gz.readUInt32LE(gz.length - 4) <= syncLimit) {
    try {
      return gunzipSync(gz, { maxOutputLength: syncLimit, chunkSize });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE' || limit <= syncLimit) throw error;
    }
  }
  return gunzipAsync(gz, { maxOutputLength: limit, chunkSize });
}

/** A stream of one buffer. (Readable.from iterates through async-generator machinery per request.) */
function streamOf(body: Buffer): Readable {
  const stream = new Readable({ read() {} });
  stream.push(body);
  stream.push(null);
  return stream;
}

/**
 * Accepts `Content-Encoding: gzip` request bodies. The compressed body is read under the body limit,
 * then inflated (in-line when small, else on the thread pool) with the same limit on its output, so a
 * zip bomb is a 413.
 */
export function registerGzipBodies(app: FastifyInstance, bodyLimit: number): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = String(request.headers['content-encoding'] ?? 'identity')
      .trim()
      .toLowerCase();
    if (encoding === 'identity' || encoding === '') return payload;
    if (encoding !== 'gzip')
      throw new ApiError(415, 'unsupported_encoding', `Content-Encoding ${encoding} is not supported; use gzip`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      size += (chunk as Buffer).length;
      if (size > bodyLimit)
        throw new ApiError(413, 'payload_too_large', 'The request body is larger than the server accepts');
      chunks.push(chunk as Buffer);
    }
    let body: Buffer;
    try {
      body = await inflateBody(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), bodyLimit);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ApiError(413, 'payload_too_large', 'The decompressed request body is larger than the server accepts');
      }
      throw new ApiError(400, 'invalid_gzip', 'The request body is not valid gzip');
    }
    delete request.headers['content-encoding'];
    request.headers['content-length'] = String(body.length);
    const stream = streamOf(body) as Readable & { receivedEncodedLength?: number };
    // Fastify compares this with Content-Length, which now describes the decoded body.
    stream.receivedEncodedLength = body.length;
    decodedBodies.set(stream, body);
    return stream;
  });
}
