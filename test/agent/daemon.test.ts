import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrollSecret, staffClient } from '../e2e/support/server';
import { cliEnvironment } from '../helpers/cli';
import { freePort } from '../helpers/server-process';
import { DAEMON_NODE_FLAGS } from '../../src/main/services/service-units';
import { removePrivateCli, spawnedServer, type SpawnedServer } from './support';

/*
 * `deskside agent run` as a real process (bin/deskside.js, built by the global setup) against a real
 * server process on 127.0.0.1: it enrolls and goes online, the server lists it, SIGTERM stops it
 * cleanly; started while the server is down it keeps running and enrolls once the server is up.
 * `agent install --dry-run --unit-dir` writes the unit and runs nothing; systemd-analyze verifies it.
 */

interface LogLine {
  time: string;
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

interface Daemon {
  child: ChildProcess;
  lines: LogLine[];
  stderr: string[];
  waitForLine(match: (line: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startDaemon(args: string[], env: NodeJS.ProcessEnv): Daemon {
  // With the V8 flags the service units start it with (lite mode among them), as it runs in production.
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, 'bin/deskside.js', 'agent', 'run', ...args], {
    env: cliEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    lines.push(JSON.parse(text) as LogLine);
    for (const wake of waiters) wake();
  });
  createInterface({ input: child.stderr! }).on('line', (text) => void stderr.push(text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      for (const wake of waiters) wake();
    }),
  );
  return {
    child,
    lines,
    stderr,
    exited,
    waitForLine(match, what, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(match);
          if (found) return done(() => resolve(found));
          if (child.exitCode !== null || child.signalCode !== null)
            done(() => reject(new Error(`the daemon exited before ${what}: ${stderr.join('\n')}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`timed out waiting for ${what}; log:\n${JSON.stringify(lines)}`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
  };
}

async function stopDaemon(daemon: Daemon): Promise<void> {
  if (daemon.child.exitCode === null && daemon.child.signalCode === null) {
    daemon.child.kill('SIGKILL');
    await daemon.exited;
  }
}

let dir: string;
let server: SpawnedServer;
let secret: string;
const started: Daemon[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskside-daemon-'));
  server = spawnedServer(await freePort(), join(dir, 'server'));
  await server.start();
  secret = await createEnrollSecret(server.url, 'daemon test');
}, 60_000);
afterAll(async () => {
  for (const daemon of started) await stopDaemon(daemon);
  await server?.stop();
  await removePrivateCli();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** IT's managed config file for one daemon, passed through DESKSIDE_AGENT_CONFIG. */
async function managedConfig(name: string, config: Record<string, unknown>): Promise<string> {
  const path = join(dir, `${name}-config.json`);
  await writeFile(path, JSON.stringify(config));
  return path;
}

describe('deskside agent run', () => {
  it('enrolls from the managed config, goes online, is listed by the server, and stops cleanly on SIGTERM', async () => {
    const dataDir = join(dir, 'agent-up');
    const daemon = startDaemon(['--data-dir', dataDir], {
      DESKSIDE_AGENT_CONFIG: await managedConfig('up', { serverUrl: server.url, enrollSecret: secret }),
    });
    started.push(daemon);
    const enrolled = await daemon.waitForLine((l) => l.msg === 'enrollment enrolled', 'enrollment');
    expect(enrolled.level).toBe('info');
    const deviceId = enrolled.fields?.deviceId as string;
    expect(deviceId).toBeTruthy();
    await daemon.waitForLine((l) => l.msg === 'online', 'online');
    // The log is JSON lines: time, level, msg, fields.
    for (const line of daemon.lines) {
      expect(Number.isNaN(Date.parse(line.time))).toBe(false);
      expect(['info', 'warn', 'error']).toContain(line.level);
    }
    expect(daemon.lines[0]).toMatchObject({ msg: 'agent starting', fields: { dataDir, serverUrl: server.url } });
    // The build put snapshot-worker.js beside the CLI bundle, so snapshots go to a forked process.
    expect(daemon.lines.filter((l) => l.msg.startsWith('snapshot worker not found'))).toEqual([]);

    const staff = await staffClient(server.url);
    const devices = await staff.request<{ devices: Array<{ id: string }> }>('GET', '/api/v1/devices?limit=100');
    expect(devices.status).toBe(200);
    expect(devices.body.devices.map((d) => String(d.id))).toContain(String(deviceId));
    // The device's credentials and settings live in the data folder the tray app would use.
    expect(await readdir(dataDir)).toEqual(expect.arrayContaining(['outbox']));

    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toEqual({ code: 0, signal: null });
    expect(daemon.lines.at(-2)).toMatchObject({ level: 'info', msg: 'stopping', fields: { signal: 'SIGTERM' } });
    expect(daemon.lines.at(-1)).toMatchObject({ level: 'info', msg: 'agent stopped', fields: { signal: 'SIGTERM' } });
    expect(daemon.stderr).toEqual([]);
  }, 60_000);

  it('keeps running while the server is down and enrolls once it comes up', async () => {
    const later = spawnedServer(await freePort(), join(dir, 'server-later'));
    await later.start();
    const laterSecret = await createEnrollSecret(later.url, 'daemon later');
    await later.stop();
    const daemon = startDaemon(['--data-dir', join(dir, 'agent-down'), '--log-level', 'info'], {
      DESKSIDE_AGENT_CONFIG: await managedConfig('down', { serverUrl: later.url, enrollSecret: laterSecret }),
    });
    started.push(daemon);
    try {
      const failed = await daemon.waitForLine((l) => l.msg === 'enrollment failed', 'a failed enrollment');
      expect(failed.fields?.error).toMatch(/cannot be reached/);
      expect(daemon.child.exitCode).toBeNull();

      await later.start();
      // The core tries again on its 60 s sync tick.
      await daemon.waitForLine((l) => l.msg === 'enrollment enrolled', 'enrollment after the server came up', 80_000);
      await daemon.waitForLine((l) => l.msg === 'online', 'online', 10_000);
      // Retries are not logged at info: one failure line for one reason.
      expect(daemon.lines.filter((l) => l.msg === 'enrollment failed' && l.level === 'info')).toHaveLength(1);
      expect(daemon.lines.some((l) => l.msg === 'enrollment enrolling')).toBe(false);

      daemon.child.kill('SIGINT');
      expect(await daemon.exited).toEqual({ code: 0, signal: null });
      expect(daemon.lines.at(-1)).toMatchObject({ msg: 'agent stopped', fields: { signal: 'SIGINT' } });
    } finally {
      await stopDaemon(daemon);
      await later.stop();
    }
  }, 120_000);
});

function hasSystemdAnalyze(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v systemd-analyze'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('deskside agent install --dry-run --unit-dir', () => {
  it('writes the unit into the folder, prints the commands and runs none of them', async () => {
    const unitDir = join(dir, 'units');
    const dataDir = join(dir, 'agent data with spaces');
    await mkdir(dataDir, { recursive: true });
    // An empty PATH: had the command tried to run systemctl, it would have failed to find it.
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [
          'bin/deskside.js',
          'agent',
          'install',
          '--dry-run',
          '--unit-dir',
          unitDir,
          '--data-dir',
          dataDir,
          '--server-url',
          server.url,
        ],
        { env: cliEnvironment({ PATH: '' }) },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
      ),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const unitPath = join(unitDir, 'deskside-agent.service');
    const unit = await readFile(unitPath, 'utf8');
    expect(unit).toContain(`ReadWritePaths="${dataDir}"`);
    expect(unit).toContain(`--data-dir "${dataDir}" --config "${dataDir}/managed-config.json"`);
    // The server URL (and any secret) travel in that file, not on the command line.
    expect(unit).not.toContain('--server-url');
    expect(run.stdout).toContain('would run: systemctl daemon-reload');
    expect(run.stdout).toContain('would run: systemctl enable --now deskside-agent.service');
    expect(run.stdout).not.toContain('running:');

    if (process.platform !== 'linux' || !hasSystemdAnalyze()) {
      console.warn('systemd-analyze is not installed here: skipping `systemd-analyze verify` of the unit');
      return;
    }
    const verify = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile('systemd-analyze', ['verify', unitPath], (error, _stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr }),
      ),
    );
    // systemd before 254 does not know the restart back-off keys and says so; nothing else may be reported.
    const complaints = verify.stderr
      .split('\n')
      .filter((line) => line.trim() && !/Unknown key '(RestartSteps|RestartMaxDelaySec)'/.test(line));
    expect(complaints).toEqual([]);
    expect(verify.code).toBe(0);
  });
});
