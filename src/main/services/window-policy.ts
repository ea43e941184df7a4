import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { isAllowedExternalUrl } from '../../shared/external-url';

/*
 * Every security decision the agent window makes, as pure functions, so each can be tested without
 * Electron. The Electron glue (src/main/electron/window.ts, protocol.ts) only applies them.
 *
 * The renderer is served from a privileged custom protocol (app://deskside/) rather than file://, so
 * it has a real origin of its own: the CSP's 'self' means exactly the app's files, and no file on
 * disk outside dist/renderer can be reached by a relative URL.
 */

/** The custom scheme the renderer is loaded from. */
export const APP_SCHEME = 'app';
/** The one host under that scheme. */
export const APP_HOST = 'deskside';
/** The renderer's entry URL. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
/** The screen-share overlay's page (a transparent canvas over the shared screen; src/renderer/overlay/). */
export const APP_OVERLAY_URL = `${APP_SCHEME}://${APP_HOST}/overlay.html`;

/** The Content-Security-Policy sent with every response to the window (same as the renderer's meta tag). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers added to every response the window receives (the CSP and a few hardening headers). */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * Whether a URL belongs to the app's own renderer (app://deskside/…). Compared by scheme and host:
 * WHATWG URL gives non-special schemes an opaque "null" origin (and keeps the host's case, which
 * Chromium folds for a standard scheme), so origins cannot be compared.
 */
export function isAppUrl(raw: string): boolean {
  const url = parse(raw);
  return (
    url !== null &&
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname.toLowerCase() === APP_HOST &&
    url.username === '' &&
    url.password === '' &&
    url.port === ''
  );
}

/** Whether an IPC message comes from a frame we trust: the app's renderer, in the main window's top frame. */
export function isTrustedSender(frameUrl: string | undefined | null, isMainFrameOfAppWindow: boolean): boolean {
  return isMainFrameOfAppWindow && typeof frameUrl === 'string' && isAppUrl(frameUrl);
}

/** What to do with a navigation, redirect or window.open: never inside the app; allow-listed URLs go to the browser. */
export interface LeaveDecision {
  action: 'deny';
  openExternally: boolean;
}

/** will-navigate / will-redirect / setWindowOpenHandler: the window never leaves the app or opens another window. */
export function decideLeave(url: string): LeaveDecision {
  return { action: 'deny', openExternally: !isAppUrl(url) && isAllowedExternalUrl(url) };
}

/**
 * Permissions the window may use. Everything is denied except writing plain text to the clipboard
 * (a "copy" button), and only for the app's own pages: no camera, microphone, geolocation,
 * notifications from the page (main sends them), screen capture from the page, HID, USB, serial, MIDI.
 */
const GRANTABLE = new Set(['clipboard-sanitized-write']);

/** Permission request and check handler decision. */
export function decidePermission(permission: string, requestingUrl: string | undefined | null): boolean {
  return GRANTABLE.has(permission) && typeof requestingUrl === 'string' && isAppUrl(requestingUrl);
}

/** The webPreferences of the agent window: isolated, sandboxed, no Node, devtools only in development. */
export function secureWebPreferences(preloadPath: string, isPackaged: boolean) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: !isPackaged,
    safeDialogs: true,
  } as const;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type for a file the protocol serves; unknown types are served as opaque bytes. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** How the app protocol answers a request: a file under the renderer folder, or an HTTP error status. */
export type AssetResolution = { ok: true; file: string } | { ok: false; status: 400 | 404 | 405 };

/**
 * Maps an app://deskside/… request to a file inside `rootDir`, refusing anything that could escape it:
 * other hosts, methods other than GET/HEAD, encoded or literal "..", backslashes, NUL bytes, absolute
 * paths after decoding. "/" serves index.html.
 */
export function resolveAppAsset(rootDir: string, requestUrl: string, method = 'GET'): AssetResolution {
  if (method !== 'GET' && method !== 'HEAD') return { ok: false, status: 405 };
  const url = parse(requestUrl);
  if (!url || !isAppUrl(requestUrl)) return { ok: false, status: 404 };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return { ok: false, status: 400 };
  const segments = pathname.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.' || /^[a-zA-Z]:$/.test(s))) return { ok: false, status: 400 };
  const relativePath = segments.length === 0 ? 'index.html' : segments.join('/');
  const root = resolve(rootDir);
  const file = resolve(root, relativePath);
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..'))
    return { ok: false, status: 400 };
  return { ok: true, file };
}
