import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createAgentCore, type AgentCoreDeps } from '../../src/main/services/agent-core';
import type { AgentCore, ManagedConfig } from '../../src/main/services/agent-platform';
import type { IpcEvent } from '../../src/shared/ipc/contract';
import { dispatchIpc } from '../../src/shared/ipc/dispatch';
import type { IpcArg, IpcChannel, IpcResponse, IpcResult } from '../../src/shared/ipc/contract';
import { createFakePlatform, createFixtureCollector, type FakePlatform } from '../fakes/agent-platform.fake';
import { ADMIN } from '../e2e/support/server';
import { cliEnvironment, type CliRun } from '../helpers/cli';
import { waitUntilHealthy } from '../helpers/server-process';
import { createTestServer, type TestServer } from '../server/harness';

/** The in-process help-desk server (SQLite in memory) listening on 127.0.0.1 for agents to use. */
export interface ListeningServer {
  s: TestServer;
  url: string;
  close(): Promise<void>;
}

/** Starts a test server on a free loopback port. */
export async function startListeningServer(): Promise<ListeningServer> {
  const s = await createTestServer('sqlite');
  const address = await s.app.listen({ host: '127.0.0.1', port: 0 });
  return { s, url: address, close: () => s.close() };
}

/** An agent core on a fake platform, plus helpers to invoke it like the window does. */
export interface TestAgent {
  core: AgentCore;
  platform: FakePlatform;
  events: Array<{ event: IpcEvent; payload: unknown }>;
  invoke<C extends IpcChannel>(channel: C, arg?: IpcArg<C>): Promise<IpcResponse<C>>;
  /** invoke that throws unless ok. */
  call<C extends IpcChannel>(channel: C, arg?: IpcArg<C>): Promise<IpcResult<C>>;
  stop(): Promise<void>;
}

/** Builds (not starts) an agent for `serverUrl` with a unique machine id. */
export async function createTestAgent(
  options: {
    managed?: Partial<ManagedConfig>;
    settings?: Record<string, unknown>;
    deps?: AgentCoreDeps;
    dataDir?: string;
    capture?: boolean;
    now?: () => number;
  } = {},
): Promise<TestAgent> {
  const platform = await createFakePlatform({
    managed: options.managed,
    settings: options.settings,
    dataDir: options.dataDir,
    capture: options.capture,
  });
  if (options.now) platform.now = options.now;
  const machine = `test-machine-${randomBytes(8).toString('hex')}`;
  const core = createAgentCore(platform, {
    collector: createFixtureCollector(),
    machineId: async () => machine,
    longPollSeconds: 5,
    ...options.deps,
  });
  const events: TestAgent['events'] = [];
  core.onEvent((event, payload) => void events.push({ event, payload }));
  const invoke = <C extends IpcChannel>(channel: C, arg?: IpcArg<C>) =>
    dispatchIpc(core.handlers, channel, arg ?? {}, (error) =>
      platform.logger.error('unexpected', { error: String(error), stack: (error as Error).stack }),
    ) as Promise<IpcResponse<C>>;
  return {
    core,
    platform,
    events,
    invoke,
    async call(channel, arg) {
      const res = await invoke(channel, arg);
      if (!res.ok) throw new Error(`${channel}: ${res.error.code}: ${res.error.message}`);
      return res.value;
    },
    async stop() {
      await core.stop();
      if (!options.dataDir) await platform.cleanup();
    },
  };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A `deskside server` process (the built CLI) on a fixed port and data folder, so it can be stopped and started again. */
export interface SpawnedServer {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Prepares (does not start) a real server process on `port` over `dataDir`. */
export function spawnedServer(port: number, dataDir: string): SpawnedServer {
  let child: ChildProcess | null = null;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async start() {
      child = spawn(process.execPath, [await privateCli(), 'server', '--port', String(port), '--data-dir', dataDir], {
        env: cliEnvironment({
          DESKSIDE_ADMIN_EMAIL: ADMIN.email,
          DESKSIDE_ADMIN_PASSWORD: ADMIN.password,
          DESKSIDE_LOG_LEVEL: 'warn',
        }),
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      await waitUntilHealthy(url, 20_000);
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
      child = null;
    },
  };
}

let cliCopy: Promise<string> | null = null;

/**
 * A private copy of the built CLI (dist/cli/deskside.js), taken once per test file: other suites
 * rebuild dist/ while these run, and a process started in that moment would find no CLI. The copy
 * sits under node_modules/.cache so its packages resolve as the original's do.
 */
export function privateCli(): Promise<string> {
  cliCopy ??= (async () => {
    const dir = join('node_modules', '.cache', `deskside-agent-cli-${process.pid}-${randomBytes(4).toString('hex')}`);
    await mkdir(dir, { recursive: true });
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        // The bundle and its chunks (lazy-loaded diagnostics).
        await cp('dist/cli', dir, { recursive: true });
        return resolve(dir, 'deskside.js');
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  })();
  return cliCopy;
}

/** Runs the private CLI copy as a real process. */
export async function runAgentCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<CliRun> {
  const cli = await privateCli();
  return new Promise((done) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

/** Removes this test file's CLI copy. */
export async function removePrivateCli(): Promise<void> {
  if (!cliCopy) return;
  const cli = await cliCopy.catch(() => null);
  cliCopy = null;
  if (cli) await rm(dirname(cli), { recursive: true, force: true });
}
