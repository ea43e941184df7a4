import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError } from '../errors';

// Fastify's own client-error codes, mapped to stable Deskside codes.
const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'The request body is larger than the server accepts'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Send JSON (Content-Type: application/json)'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'empty_body', 'The request body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'The request body is not valid JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_content_length', 'Content-Length does not match the body'],
  FST_ERR_CTP_INVALID_TYPE: [400, 'invalid_content_type', 'The Content-Type header is invalid'],
};

/** One error handler: 4xx carry a stable code and a clear message; 5xx hide internals and are logged. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      if (error.headers) void reply.headers(error.headers);
      return reply
        .status(error.status)
        .send({
          error: {
            code: error.code,
            message: error.message,
            ...(error.details === undefined ? {} : { details: error.details }),
          },
        });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: `${error.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`,
        message: v.message,
      }));
      const first = issues[0];
      const message = first ? `${first.path}: ${first.message}` : 'The request is invalid';
      return reply.status(400).send({ error: { code: 'invalid_request', message, details: issues } });
    }
    const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (mapped) return reply.status(mapped[0]).send({ error: { code: mapped[1], message: mapped[2] } });
    if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
      return reply.status(400).send({ error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply
        .status(status)
        .send({ error: { code: (error.code ?? 'bad_request').toLowerCase(), message: error.message } });
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .status(500)
      .send({ error: { code: 'internal_error', message: 'Something went wrong on the server; it has been logged' } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({
        error: { code: 'route_not_found', message: `No such endpoint: ${request.method} ${request.url.split('?')[0]}` },
      }),
  );
}
