import type { Readable } from 'node:stream';
import { SPEED_TEST_CONTENT_TYPE, SPEED_TEST_MAX_BYTES } from '../../shared/api/speed-test';
import { deviceOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { ApiError, tooLarge } from '../errors';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { createSpeedTestLimiter, drainUpload, speedTestPayload } from './speed-test.service';

/**
 * The speed test's payloads for enrolled devices. The upload's body is not parsed: a parser for its
 * content type, in this module's scope only, hands the raw stream over, and the handler counts it.
 */
export async function speedTestRoutes(app: App, ctx: ServerContext): Promise<void> {
  const limiter = createSpeedTestLimiter();
  await app.register(async (scope: App) => {
    scope.addContentTypeParser(SPEED_TEST_CONTENT_TYPE, (_request, payload, done) => done(null, payload));

    serve(scope, ctx, 'speedTestDownload', async (request, reply) => {
      const release = limiter.admit(deviceOf(request).id);
      const payload = speedTestPayload(request.query.bytes);
      payload.once('close', release);
      reply.raw.once('close', release);
      return reply
        .header('content-type', SPEED_TEST_CONTENT_TYPE)
        .header('content-length', String(request.query.bytes))
        .header('cache-control', 'no-store')
        .send(payload);
    });

    serve(
      scope,
      ctx,
      'speedTestUpload',
      async (request) => {
        const body = request.body as unknown;
        if (!(body && typeof (body as NodeJS.ReadableStream).pipe === 'function'))
          throw new ApiError(415, 'unsupported_media_type', `The upload is raw ${SPEED_TEST_CONTENT_TYPE}`);
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > SPEED_TEST_MAX_BYTES)
          throw tooLarge('speed_test_too_large', `A speed-test upload is at most ${SPEED_TEST_MAX_BYTES} bytes`);
        const release = limiter.admit(deviceOf(request).id);
        try {
          return await drainUpload(body as Readable, SPEED_TEST_MAX_BYTES);
        } finally {
          release();
        }
      },
      { bodyLimit: SPEED_TEST_MAX_BYTES },
    );
  });
}
