import fastifyStatic from '@fastify/static';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply } from 'fastify';
import { API_CSP_HEADER, CONSOLE_HELMET } from '../http/security-headers';
import type { App } from '../http/types';

/*
 * The technician console: a single-page app built into dist/console (index.html, app.js, app.css)
 * and served from the same origin as the API, so its session cookie, CSRF header and CSP
 * `connect-src 'self'` need nothing else. Security headers come from helmet (http/security-headers.ts),
 * with the console's own Content-Security-Policy on these routes. Every non-API path without a file extension answers
 * index.html, whose router then picks the page; /api paths keep their JSON 404s.
 */

/**
 * Where the built console lives: DESKSIDE_CONSOLE_DIR when set (a custom or pinned build), else
 * beside the bundled server (dist/cli/deskside.js → dist/console).
 */
export function defaultConsoleDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DESKSIDE_CONSOLE_DIR || fileURLToPath(new URL('../console', import.meta.url));
}

const NOT_BUILT = 'console not built: run npm run build';
const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/');

/** Serves the console from `dir`, with the SPA fallback; hidden from the OpenAPI document. */
export async function consoleRoutes(app: App, options: { dir?: string } = {}): Promise<void> {
  const root = resolve(options.dir ?? defaultConsoleDir());
  // serve: false — files are sent only by the two routes below, so nothing shadows the API.
  await app.register(fastifyStatic, { root, serve: false, cacheControl: false, etag: true, lastModified: true });

  const sendIndex = async (reply: FastifyReply): Promise<FastifyReply> => {
    let html: string;
    try {
      // Read per request: a rebuild while the server runs is picked up, and the page is tiny.
      html = await readFile(resolve(root, 'index.html'), 'utf8');
    } catch {
      return reply.status(503).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  };

  app.get('/', { schema: { hide: true }, helmet: CONSOLE_HELMET }, async (_request, reply) => sendIndex(reply));

  // The page declares its icon inline, but browsers still ask for /favicon.ico now and then;
  // answer "nothing" rather than a 404 that shows up as a console error.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) =>
    reply.status(204).header('cache-control', 'public, max-age=86400').send(),
  );

  app.get('/*', { schema: { hide: true }, helmet: CONSOLE_HELMET }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // Caught by this route's pattern but not a console page: the API's JSON 404 with the API's policy.
    if (isApiPath(path)) return reply.header('content-security-policy', API_CSP_HEADER).callNotFound();
    const file = (request.params as { '*'?: string })['*'] ?? '';
    if (extname(file) === '') return sendIndex(reply);
    // Bundles are not content-hashed: browsers revalidate (ETag) on every load instead of caching stale code.
    return reply.header('cache-control', 'no-cache').sendFile(file);
  });
}
