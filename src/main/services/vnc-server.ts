import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RemoteKind } from '../../shared/remote/remote-limits';
import type { AgentLogger } from './agent-platform';

/*
 * The VNC server a remote session tunnels to (issue 13). Two kinds, as IT configures (managed config
 * `remoteControl.vnc`):
 *
 * - `x11vnc` (Linux, X11): started for one session only, on a free port of 127.0.0.1 (`-localhost`: nothing
 *   listens on a network interface), for one client at a time (`-nevershared -dontdisconnect`: a second is
 *   refused) that must come within a minute (`-timeout`), and again after it leaves (`-forever`: the agent
 *   reconnects when the technician's console rejoins the session; remote-tunnel.ts),
 *   view-only for a view session (`-viewonly`), with a one-time password in a file of a private temporary
 *   folder (0700, the file 0600). It runs in its own process group; stop() ends the group and removes the
 *   folder. The clipboard goes both ways in a control session (CLIPBOARD only from the device), not at all
 *   in a view session.
 * - `existing`: a VNC server IT already runs on this computer (TightVNC or UltraVNC on Windows, macOS Screen
 *   Sharing, any RFB server), on a loopback address and port, with the password IT configured. Deskside
 *   neither starts nor stops it; a view session can only be enforced by that server's own settings.
 */

export type VncConfig =
  | { server: 'x11vnc'; display?: string; x11vncPath?: string }
  | { server: 'existing'; host: '127.0.0.1' | '::1' | 'localhost'; port: number; password?: string };

export interface VncEndpoint {
  host: string;
  port: number;
  /** The password a client must give (VNC authentication), or null when the server asks none. */
  password: string | null;
  /** Stops what this started (the existing server is left alone); idempotent. */
  stop(): Promise<void>;
}

/** Starts x11vnc, or answers IT's existing server. Throws with a message the technician can read. */
export async function startVncServer(
  config: VncConfig,
  kind: RemoteKind,
  options: { env?: NodeJS.ProcessEnv; logger: AgentLogger; readyTimeoutMs?: number },
): Promise<VncEndpoint> {
  if (config.server === 'existing')
    return { host: config.host, port: config.port, password: config.password ?? null, stop: async () => {} };
  const env = options.env ?? process.env;
  const display = config.display ?? env.DISPLAY;
  if (!display || !/^[A-Za-z0-9.:_-]{1,64}$/.test(display))
    throw new Error('no X display to share: set remoteControl.vnc.display in the managed config or DISPLAY');
  const dir = await mkdtemp(join(tmpdir(), 'deskside-vnc-'));
  const password = randomBytes(6).toString('base64url'); // 8 characters: all VNC authentication uses
  const passwordFile = join(dir, 'passwd');
  let child: ChildProcess | null = null;
  const removeDir = () => rm(dir, { recursive: true, force: true });
  try {
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    const port = await freeLoopbackPort();
    const args = [
      '-display',
      display,
      '-localhost',
      '-rfbport',
      String(port),
      '-forever',
      '-nevershared',
      '-dontdisconnect',
      '-timeout',
      '60',
      '-passwdfile',
      passwordFile,
      '-norc',
      '-nolookup',
      '-noxdamage',
      // Clipboard (x11vnc's defaults poll and set both PRIMARY and CLIPBOARD): a view session exchanges none
      // (the employee allowed the screen to be seen, not the clipboard read); a control session sends the
      // technician only what the employee copies (CLIPBOARD), not every text they happen to select (PRIMARY).
      ...(kind === 'view' ? ['-viewonly', '-nosel'] : ['-noprimary']),
    ];
    child = spawn(config.x11vncPath ?? 'x11vnc', args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // x11vnc creates the window it owns selections with only 8 s after a client connects (45 s when no window
      // manager runs), so as not to be killed by a display manager's greeter (xevents.c guess_dm_gone); until
      // then a paste from the console never reaches the clipboard. The agent shares a signed-in session, never
      // a greeter, so it needs no such wait, and waitForReady waits for that window before the console connects.
      // (Copies on the device reach the console only from 15 s after the connection: x11vnc's sel_waittime.)
      env: { ...env, DISPLAY: display, X11VNC_AVOID_WINDOWS: 'never' },
    });
    await waitForReady(child, port, options.readyTimeoutMs ?? 20_000, kind !== 'view');
    options.logger.info('x11vnc started for a remote session', { pid: child.pid, port, display, kind });
    const started = child;
    let stopping: Promise<void> | null = null;
    return {
      host: '127.0.0.1',
      port,
      password,
      stop: () => (stopping ??= killGroup(started).then(removeDir)),
    };
  } catch (error) {
    if (child) await killGroup(child);
    await removeDir();
    throw error;
  }
}

/** A port on 127.0.0.1 free a moment ago (x11vnc is told to take it). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** How long to wait, once x11vnc listens, for the window it owns the clipboard with (it takes milliseconds). */
const SELECTION_WINDOW_WAIT_MS = 2_000;

/**
 * Resolves when x11vnc prints `PORT=<port>` (it listens then) and, with the clipboard on, its "created selwin"
 * line: a paste received before that window exists is dropped, and the console connects at once. Rejects if it
 * exits or takes too long; a missing selection window only costs the wait.
 */
function waitForReady(child: ChildProcess, port: number, timeoutMs: number, selection: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    let listening = false;
    let selwin = !selection;
    let grace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => done(new Error(`x11vnc did not start within ${timeoutMs} ms`)), timeoutMs);
    const done = (error?: Error) => {
      clearTimeout(timer);
      clearTimeout(grace);
      child.stdout?.removeListener('data', onOut);
      child.stderr?.removeListener('data', onErr);
      child.removeListener('exit', onExit);
      child.removeListener('error', onError);
      // Keep draining, so a full pipe never blocks x11vnc.
      child.stdout?.resume();
      child.stderr?.resume();
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      if (listening && selwin) done();
      else if (listening && !grace) grace = setTimeout(() => done(), SELECTION_WINDOW_WAIT_MS);
    };
    const onOut = (chunk: Buffer) => {
      out += chunk.toString();
      listening ||= out.includes(`PORT=${port}`);
      check();
    };
    const onErr = (chunk: Buffer) => {
      err = (err + chunk.toString()).slice(-4000);
      selwin ||= err.includes('created selwin');
      check();
    };
    const onExit = (code: number | null) => {
      const last = err.trim().split('\n').slice(-3).join(' ').slice(0, 400);
      done(new Error(`x11vnc exited (${code ?? 'signal'}) before listening${last ? `: ${last}` : ''}`));
    };
    const onError = (error: Error) =>
      done(new Error(`x11vnc could not be started: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    child.stdout?.on('data', onOut);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** Ends the process group (SIGTERM, then SIGKILL after 2 s) and waits for the process to exit. */
function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const hard = setTimeout(() => signal('SIGKILL'), 2_000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    function signal(name: NodeJS.Signals) {
      try {
        process.kill(-pid, name);
      } catch {
        // The group is already gone.
      }
    }
    signal('SIGTERM');
  });
}
