import { readFile } from 'node:fs/promises';
import { protocol, type Session } from 'electron';
import { APP_SCHEME, contentTypeFor, resolveAppAsset, securityHeaders } from '../services/window-policy';

/*
 * The renderer is served from app://deskside/ (a privileged, standard, secure scheme) instead of
 * file://: it gets a real origin, 'self' in the CSP means exactly its bundle, and relative URLs cannot
 * reach the rest of the disk. Which file answers a URL is decided by resolveAppAsset (unit-tested
 * against traversal); every response carries the CSP and hardening headers.
 */

/**
 * Must run before app 'ready': declares app:// standard (a real origin, so 'self' works) and secure,
 * with fetch and CORS support so the renderer's `<script type="module">` loads, and a code cache.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    },
  ]);
}

/** Serves `rendererDir` on app:// in the given session; anything outside it answers 400/404. */
export function serveRenderer(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const resolved = resolveAppAsset(rendererDir, request.url, request.method);
    if (!resolved.ok) return new Response(null, { status: resolved.status, headers: securityHeaders() });
    try {
      const body = await readFile(resolved.file);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...securityHeaders(), 'Content-Type': contentTypeFor(resolved.file), 'Cache-Control': 'no-cache' },
      });
    } catch {
      return new Response(null, { status: 404, headers: securityHeaders() });
    }
  });
}

/** Adds the CSP to every response the session receives, whatever served it (belt and braces for app://). */
export function enforceCspHeaders(session: Session): void {
  const headers = securityHeaders();
  session.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders = { ...(details.responseHeaders ?? {}) };
    const ours = new Set(Object.keys(headers).map((h) => h.toLowerCase()));
    for (const name of Object.keys(responseHeaders)) if (ours.has(name.toLowerCase())) delete responseHeaders[name];
    for (const [name, value] of Object.entries(headers)) responseHeaders[name] = [value];
    callback({ responseHeaders });
  });
}
