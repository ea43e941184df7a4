import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../../src/shared/ipc/contract';
import { cliEnvironment } from '../../helpers/cli';

/*
 * The built main process (dist/main/main.js, as Electron would load it through package.json "main")
 * run in plain Node with `electron` swapped for support/electron-shim.mjs, the real agent core and
 * the real electron-store: the bundle loads, wires every IPC channel, the window, the app:// protocol
 * (serving the built renderer with the CSP) and the tray, refuses an untrusted frame, and quits from
 * the tray after stopping the core. The Playwright _electron spec does the same in real Electron.
 */

interface Report {
  schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>;
  handlers: string[];
  windows: Array<{ url: string; width: number; height: number; webPreferences: Record<string, unknown> }>;
  tray: { tooltip: string; image: string; menu: string[] };
  ipc: Record<string, { ok: boolean; value?: Record<string, unknown>; error?: { code: string } }>;
  protocol: { status: number; type: string; csp: string; body: string };
}

const home = mkdtempSync(join(tmpdir(), 'deskside-bundle-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function runBundle(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        '--import',
        './test/e2e/electron/support/register-electron-shim.mjs',
        'dist/main/main.js',
        '--data-dir',
        join(home, 'data'),
        '--server-url',
        'http://127.0.0.1:9',
      ],
      {
        env: cliEnvironment({
          HOME: home,
          XDG_CONFIG_HOME: join(home, '.config'),
          DESKSIDE_AGENT_CONFIG: join(home, 'no-config.json'),
        }),
        timeout: 30_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

describe('dist/main/main.js', () => {
  it('boots, wires IPC, window, protocol and tray, and quits from the tray', async () => {
    const run = await runBundle();
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const line = run.stdout.split('\n').find((l) => l.startsWith('SMOKE '));
    expect(line, run.stdout + run.stderr).toBeDefined();
    const report = JSON.parse(line!.slice('SMOKE '.length)) as Report;

    expect(report.schemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    expect([...report.handlers].sort()).toEqual([...IPC_CHANNELS].sort());
    expect(report.windows).toHaveLength(1);
    expect(report.windows[0]).toMatchObject({
      url: 'app://deskside/index.html',
      width: 960,
      height: 680,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    expect(existsSync(report.windows[0]!.webPreferences.preload as string)).toBe(true);

    expect(report.protocol).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(report.protocol.csp).toContain("default-src 'none'");
    expect(report.protocol.body.toLowerCase()).toContain('<!doctype html>');

    expect(report.ipc['app:info']).toMatchObject({
      ok: true,
      value: { name: 'Deskside', version: '0.0.0-smoke', dataDir: join(home, 'data') },
    });
    expect(report.ipc['agent:state']).toMatchObject({
      ok: true,
      value: { computerName: expect.any(String), enrollment: { state: expect.any(String) } },
    });
    expect(report.ipc.untrusted).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    expect(report.tray.tooltip).toMatch(
      new RegExp(`^Deskside — ${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `),
    );
    expect(existsSync(report.tray.image)).toBe(true);
    expect(report.tray.menu.at(-1)).toBe('Quit Deskside');
    expect(run.stdout).toContain('SMOKE-QUIT ["quit","quit","done"]');

    const log = readFileSync(join(home, 'data', 'logs', 'deskside.log'), 'utf8');
    expect(log).toContain('"message":"starting"');
    expect(log).toContain('"message":"stopped"');
    // A development run never registers itself with the OS to start at login.
    expect(existsSync(join(home, '.config', 'autostart', 'deskside.desktop'))).toBe(false);
  }, 60_000);
});
