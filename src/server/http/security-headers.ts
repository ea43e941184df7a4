import helmet from '@fastify/helmet';
import type { App } from './types';

/*
 * Security headers on every response, by @fastify/helmet. The API answers JSON (or a file) and is
 * never a document to render: its policy allows nothing at all. The console's pages override the
 * CSP through the route option `helmet: CONSOLE_HELMET` with the SPA's own strict policy: its own
 * script and styles only (no inline script or style), its own origin for requests.
 */

/** Content-Security-Policy of API responses: nothing may load, run or frame them. */
const API_CSP = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

/** The API policy as a header value, for answers that leave a console route (its /api 404s). */
export const API_CSP_HEADER = Object.entries(API_CSP)
  .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
  .join('; ');

/** Content-Security-Policy of the console's HTML page. */
export const CONSOLE_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
};

/** Route option for the console's pages: the global headers with the console's CSP. */
export const CONSOLE_HELMET = {
  contentSecurityPolicy: { useDefaults: false, directives: CONSOLE_CSP },
} as const;

/** Registers helmet for all routes; HSTS only when the server itself speaks HTTPS. */
export async function registerSecurityHeaders(app: App, options: { https: boolean }): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.https ? { maxAge: 15_552_000, includeSubDomains: false } : false,
  });
}
