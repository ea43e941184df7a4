import { readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  contentTypeFor,
  decideLeave,
  decidePermission,
  isAppUrl,
  isTrustedSender,
  resolveAppAsset,
  secureWebPreferences,
  securityHeaders,
} from './window-policy';

describe('content security policy', () => {
  it('matches the renderer meta policy directive by directive', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives).toEqual({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'font-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
    expect(securityHeaders()['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(securityHeaders()['X-Content-Type-Options']).toBe('nosniff');
  });

  it("is the renderer's index.html meta policy plus frame-ancestors (which only works as a header)", () => {
    const html = readFileSync('src/renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    const withoutFrameAncestors = CONTENT_SECURITY_POLICY.split('; ')
      .filter((d) => !d.startsWith('frame-ancestors'))
      .join('; ');
    expect(
      meta
        .split('; ')
        .filter((d) => !d.startsWith('frame-ancestors'))
        .join('; '),
    ).toBe(withoutFrameAncestors);
  });
});

describe('isAppUrl', () => {
  it('accepts only the app scheme and host', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://deskside/')).toBe(true);
    expect(isAppUrl('APP://DESKSIDE/x.js')).toBe(true);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('app://deskside.evil/index.html')).toBe(false);
    expect(isAppUrl('app://user@deskside/index.html')).toBe(false);
    expect(isAppUrl('app://deskside:81/index.html')).toBe(false);
    expect(isAppUrl('file:///app/dist/renderer/index.html')).toBe(false);
    expect(isAppUrl('https://deskside/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('trusts IPC only from the main frame of the app window', () => {
    expect(isTrustedSender(APP_ENTRY_URL, true)).toBe(true);
    expect(isTrustedSender(APP_ENTRY_URL, false)).toBe(false);
    expect(isTrustedSender('https://example.com/', true)).toBe(false);
    expect(isTrustedSender('about:blank', true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
  });
});

describe('leaving the app', () => {
  it('denies every navigation and opens only allow-listed URLs outside', () => {
    expect(decideLeave('https://intranet.example.com/help')).toEqual({ action: 'deny', openExternally: true });
    expect(decideLeave('mailto:it@example.com')).toEqual({ action: 'deny', openExternally: true });
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'smb://host/share',
      'ms-msdt:/id',
      'javascript:alert(1)',
      APP_ENTRY_URL,
      'app://deskside/other.html',
    ]) {
      expect(decideLeave(url), url).toEqual({ action: 'deny', openExternally: false });
    }
  });
});

describe('permissions', () => {
  it('denies everything by default', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'display-capture',
      'hid',
      'usb',
      'serial',
      'midi',
      'openExternal',
      'clipboard-read',
      'fullscreen',
      'unknown',
    ]) {
      expect(decidePermission(permission, APP_ENTRY_URL), permission).toBe(false);
    }
  });
  it('allows plain-text clipboard writes from the app only', () => {
    expect(decidePermission('clipboard-sanitized-write', APP_ENTRY_URL)).toBe(true);
    expect(decidePermission('clipboard-sanitized-write', 'https://example.com/')).toBe(false);
    expect(decidePermission('clipboard-sanitized-write', undefined)).toBe(false);
  });
});

describe('web preferences', () => {
  it('isolates and sandboxes the renderer, devtools only unpackaged', () => {
    const packaged = secureWebPreferences('/p/preload.cjs', true);
    expect(packaged).toMatchObject({
      preload: '/p/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: false,
    });
    expect(secureWebPreferences('/p/preload.cjs', false).devTools).toBe(true);
  });
});

describe('resolveAppAsset', () => {
  const root = resolve('/srv/deskside/renderer');

  it('serves files under the root, index.html for /', () => {
    expect(resolveAppAsset(root, 'app://deskside/')).toEqual({ ok: true, file: join(root, 'index.html') });
    expect(resolveAppAsset(root, 'app://deskside/app.js?v=1#x')).toEqual({ ok: true, file: join(root, 'app.js') });
    expect(resolveAppAsset(root, 'app://deskside/assets/font%20a.woff2')).toEqual({
      ok: true,
      file: join(root, 'assets', 'font a.woff2'),
    });
    expect(resolveAppAsset(root, 'app://deskside/app.js', 'HEAD').ok).toBe(true);
  });

  it('refuses traversal, other hosts and methods', () => {
    const refused = [
      'app://deskside/..%2f..%2fetc%2fpasswd',
      'app://deskside/a/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret',
      'app://deskside/..%5c..%5cwindows%5cwin.ini',
      'app://deskside/app.js%00.png',
      'app://deskside/C:/Windows/win.ini',
      'app://deskside/%E0%A4%A',
    ];
    for (const url of refused) expect(resolveAppAsset(root, url), url).toMatchObject({ ok: false, status: 400 });
    expect(resolveAppAsset(root, 'app://other/index.html')).toEqual({ ok: false, status: 404 });
    expect(resolveAppAsset(root, 'file:///etc/passwd')).toEqual({ ok: false, status: 404 });
    expect(resolveAppAsset(root, 'app://deskside/index.html', 'POST')).toEqual({ ok: false, status: 405 });
  });

  it('never resolves outside the root, whatever the input', () => {
    // URL parsing already folds literal ../ segments; the result must still be under root.
    for (const url of [
      'app://deskside/../../etc/passwd',
      'app://deskside/%2e%2e/%2e%2e/etc/passwd',
      'app://deskside/a/../../b',
      'app://deskside//etc/passwd',
    ]) {
      const result = resolveAppAsset(root, url);
      expect(result.ok && result.file.startsWith(root + sep), url).toBe(true);
    }
  });

  it('names content types', () => {
    expect(contentTypeFor('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/x/app.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/x/app.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('/x/blob.bin')).toBe('application/octet-stream');
  });
});
