import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { fakeElectron as fake } from './electron.fake';
import { serveRenderer } from './protocol';

vi.mock('electron', async () => (await import('./electron.fake')).fakeElectron.module);

/* app://deskside/ as the window sees it: files from the renderer folder with the CSP, nothing else. */

const root = mkdtempSync(join(tmpdir(), 'deskside-protocol-'));
const rendererDir = join(root, 'renderer');
mkdirSync(rendererDir);
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Deskside</title>');
writeFileSync(join(rendererDir, 'app.js'), 'console.log(1)');
writeFileSync(join(root, 'secret.txt'), 'outside the renderer folder');
afterAll(() => rmSync(root, { recursive: true, force: true }));

serveRenderer(fake.session as never, rendererDir);
const handler = fake.protocolHandlers.get('app')!;
const get = (url: string, method = 'GET') => Promise.resolve(handler(new Request(url, { method })));

describe('app:// protocol', () => {
  it('serves the renderer with its content type, the CSP and nosniff', async () => {
    const index = await get('app://deskside/');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>Deskside</title>');
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'; script-src 'self'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await get('app://deskside/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://deskside/app.js', 'HEAD')).status).toBe(200);
  });

  it('answers 400/404/405 for traversal, missing files, other hosts and methods, with the CSP too', async () => {
    for (const [url, status] of [
      ['app://deskside/..%2fsecret.txt', 400],
      ['app://deskside/%2e%2e/secret.txt', 404],
      ['app://deskside/missing.js', 404],
      ['app://other/index.html', 404],
    ] as const) {
      const response = await get(url);
      expect(response.status, url).toBe(status);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
    expect((await get('app://deskside/index.html', 'POST')).status).toBe(405);
  });
});
