import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnvironment } from './helpers/cli';
import { freePort } from './helpers/server-process';

/*
 * `npm start` (scripts/start.mjs) as a real process: it must come up with a console address and a
 * sign-in that works, run the agent (here the headless one: Electron's binary is made unavailable),
 * keep the same demo credentials on the next run, and stop everything on Ctrl+C (SIGINT).
 * dist/ is built by the integration global setup, so the script runs with --no-build.
 */

interface Started {
  child: ChildProcess;
  output: () => string;
  console: string;
  email: string;
  password: string;
  secret: string;
}

const dataDir = mkdtempSync(join(tmpdir(), 'deskside-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function start(port: number): Promise<Started> {
  const child = spawn(process.execPath, ['scripts/start.mjs', '--no-build', '--port', String(port)], {
    // A path where no Electron binary is, so the run is the same on every machine.
    env: cliEnvironment({
      DESKSIDE_DATA_DIR: dataDir,
      ELECTRON_OVERRIDE_DIST_PATH: join(dataDir, 'no-electron-here'),
      DESKSIDE_LOG_LEVEL: 'warn',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not get ready in 90 s:\n${log}`)), 90_000);
    const poll = setInterval(() => {
      if (log.includes('Ctrl+C stops everything.') || child.exitCode !== null) {
        clearInterval(poll);
        clearTimeout(timer);
        if (child.exitCode !== null) reject(new Error(`npm start exited with ${child.exitCode}:\n${log}`));
        else resolve();
      }
    }, 100);
  });
  const field = (pattern: RegExp) => {
    const match = pattern.exec(log);
    if (!match?.[1]) throw new Error(`${pattern} not in the output:\n${log}`);
    return match[1];
  };
  const signIn = /Sign in: +(\S+) +password (\S+)/.exec(log);
  if (!signIn) throw new Error(`no sign-in line:\n${log}`);
  return {
    child,
    output: () => log,
    console: field(/Console: +(\S+)/),
    email: signIn[1]!,
    password: signIn[2]!,
    secret: field(/Enrollment secret: (\S+)/),
  };
}

async function interrupt(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return Promise.race([
    exited,
    new Promise<number | null>((_, reject) =>
      setTimeout(() => reject(new Error('npm start did not stop on SIGINT')), 15_000),
    ),
  ]);
}

/** Whether the credentials sign in (the login answers 200 either way, with `signedIn`). */
async function login(consoleUrl: string, email: string, password: string): Promise<boolean> {
  const response = await fetch(new URL('/api/v1/auth/login', consoleUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return response.status === 200 && ((await response.json()) as { signedIn: boolean }).signedIn;
}

/** Signs in and GETs an API path as the demo administrator. */
async function staffGet(run: Started, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const signIn = await fetch(new URL('/api/v1/auth/login', run.console), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: run.email, password: run.password }),
  });
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const response = await fetch(new URL(path, run.console), { headers: { cookie } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const ALL_TICKETS = '/api/v1/tickets?limit=200&status=new&status=open&status=pending&status=resolved&status=closed';

describe('npm start', () => {
  let first: { email: string; password: string; secret: string } | null = null;

  it('starts the server, prints a working sign-in, runs the agent and stops on Ctrl+C', async () => {
    const port = await freePort();
    const run = await start(port);
    try {
      expect(run.console).toBe(`http://127.0.0.1:${port}/`);
      expect((await fetch(new URL('/healthz', run.console))).status).toBe(200);
      expect(await login(run.console, run.email, run.password)).toBe(true);
      expect(await login(run.console, run.email, `${run.password}x`)).toBe(false);
      expect(run.output()).toContain(
        "Electron's binary is not installed here, so the tray app cannot start; the server keeps running.",
      );
      expect(run.output()).toMatch(/enrolled with http:\/\/127\.0\.0\.1:\d+ as device/);
      // The help desk is not empty (--demo) and this computer's health is known from its snapshot.
      expect(run.output()).toMatch(/Demo data \(--demo, never in production\): seeded 9 devices, 30 tickets/);
      const queue = await staffGet(run, ALL_TICKETS);
      expect(queue.status).toBe(200);
      expect(queue.body.total).toBe(30);
      const deviceId = /as device ([0-9a-f-]{36})/.exec(run.output())?.[1];
      const device = await staffGet(run, `/api/v1/devices/${deviceId}`);
      expect(device.status).toBe(200);
      expect(device.body.healthStatus).toMatch(/^(healthy|warning|critical)$/);
      const saved = JSON.parse(readFileSync(join(dataDir, 'demo-admin.json'), 'utf8')) as Record<string, string>;
      expect(saved).toMatchObject({ email: run.email, password: run.password, enrollSecret: run.secret });
      if (process.platform !== 'win32') expect(statSync(join(dataDir, 'demo-admin.json')).mode & 0o077).toBe(0);
      first = { email: run.email, password: run.password, secret: run.secret };
    } finally {
      expect(await interrupt(run.child)).toBe(0);
    }
    await expect(fetch(new URL('/healthz', run.console))).rejects.toThrow();
  }, 150_000);

  it('keeps the demo sign-in and secret on the next run', async () => {
    expect(first).not.toBeNull();
    const run = await start(await freePort());
    try {
      expect({ email: run.email, password: run.password, secret: run.secret }).toEqual(first);
      expect(await login(run.console, run.email, run.password)).toBe(true);
      // The demo seed is idempotent: the second start adds nothing.
      expect(run.output()).toContain('Demo data (--demo, never in production): already seeded, nothing added');
      expect((await staffGet(run, ALL_TICKETS)).body.total).toBe(30);
    } finally {
      expect(await interrupt(run.child)).toBe(0);
    }
  }, 150_000);
});
