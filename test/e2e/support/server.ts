import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliEnvironment } from '../../helpers/cli';
import { freePort, waitUntilHealthy } from '../../helpers/server-process';

/*
 * A real Deskside server for browser tests: the built CLI (`npm run build` first; the Playwright
 * global setup does it) as a child process on 127.0.0.1, embedded SQLite in a fresh temporary folder,
 * with a known admin. Stop it when done; its folder is removed.
 */

export const ADMIN = { email: 'admin@deskside.test', password: 'correct horse battery staple' } as const;

export interface RunningServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** The server's log so far (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function startServer(
  options: {
    extraArgs?: string[];
    env?: NodeJS.ProcessEnv;
    /** Reuse this data folder (a restart); it is then kept on stop. */
    dataDir?: string;
  } = {},
): Promise<RunningServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'deskside-e2e-')));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    ['bin/deskside.js', 'server', '--port', String(port), '--data-dir', dataDir, ...(options.extraArgs ?? [])],
    {
      env: cliEnvironment({
        DESKSIDE_ADMIN_EMAIL: ADMIN.email,
        DESKSIDE_ADMIN_PASSWORD: ADMIN.password,
        DESKSIDE_LOG_LEVEL: 'warn',
        ...options.env,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    await waitUntilHealthy(url, 20_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${log}`, { cause: error });
  }
  return {
    url,
    dataDir,
    process: child,
    output: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A signed-in staff session over plain HTTP (cookie + CSRF header), for arranging test data. */
export interface StaffClient {
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export async function staffClient(
  url: string,
  credentials: { email: string; password: string } = ADMIN,
): Promise<StaffClient> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  const answer = (await login.json()) as { signedIn?: boolean; csrfToken: string; error?: { code: string } };
  if (login.status !== 200 || !answer.signedIn)
    throw new Error(`login failed: ${login.status} ${answer.error?.code ?? JSON.stringify(answer)}`);
  const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = answer;
  return {
    async request<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
    },
  };
}

/** Creates an enrollment secret through the admin API and returns it. */
export async function createEnrollSecret(url: string, name = 'e2e'): Promise<string> {
  const staff = await staffClient(url);
  const created = await staff.request<{ secret: string }>('POST', '/api/v1/enroll-secrets', { name });
  if (created.status !== 201) throw new Error(`enroll-secret: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.secret;
}
