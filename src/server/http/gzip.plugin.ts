import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
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

/** A stream of one buffer. (Readable.from iterates through async-generator machinery per request.) */
function streamOf(body: Buffer): Readable {
  const stream = new Readable({ read() {} });
  stream.push(body);
  stream.push(null);
  return stream;
}

/**
 * Accepts `Content-Encoding: gzip` request bodies. The compressed body is read under the body limit,
 * then inflated on the thread pool with the same limit on its output, so a zip bomb is a 413.
 */
export function registerGzipBodies(app: FastifyInstance, bodyLimit: number): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = String(request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding === 'identity' || encoding === '') return payload;
    if (encoding !== 'gzip') throw new ApiError(415, 'unsupported_encoding', `Content-Encoding ${encoding} is not supported; use gzip`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      size += (chunk as Buffer).length;
      if (size > bodyLimit) throw new ApiError(413, 'payload_too_large', 'The request body is larger than the server accepts');
      chunks.push(chunk as Buffer);
    }
    let body: Buffer;
    try {
      body = await gunzipAsync(Buffer.concat(chunks), { maxOutputLength: bodyLimit });
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
