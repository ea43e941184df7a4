import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/*
 * A private X display for remote-control tests: Xvfb on a display number it picks itself (-displayfd), and
 * xev, a small X program that prints every key it receives (Debian's x11-utils). Both are real processes,
 * ended by the test.
 */

/** The programs the remote-control tests need that are missing here (empty when all are found). */
export function missingXPrograms(): string[] {
  return ['Xvfb', 'x11vnc', 'xev'].filter(
    (name) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name]).status !== 0,
  );
}

export interface XDisplay {
  display: string;
  width: number;
  height: number;
  stop(): Promise<void>;
}

function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts Xvfb on a free display with one screen of width × height × 24. */
export function startXvfb(width = 640, height = 480): Promise<XDisplay> {
  return new Promise((resolve, reject) => {
    const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
    const fd = child.stdio[3] as NodeJS.ReadableStream;
    let out = '';
    const timer = setTimeout(() => fail(new Error(`Xvfb did not start: ${err}`)), 10_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`Xvfb exited (${code}): ${err}`)));
    fd.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^(\d+)\n/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        display: `:${match[1]}`,
        width,
        height,
        stop: async () => {
          child.kill('SIGTERM');
          await ended(child);
        },
      });
    });
  });
}

export interface XevWindow {
  /** Everything xev printed so far. */
  output(): string;
  /** Resolves when xev reports the keysym (e.g. `0x61, a`). */
  waitForKey(keysymName: string, timeoutMs?: number): Promise<void>;
  /** Resolves when xev's output matches (e.g. /ButtonPress/ with `events: ['keyboard', 'button']`). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * xev in a window of the given size (at the top-left corner unless `at` says), printing the events it
 * receives: keyboard events unless `events` names others (xev's -event masks: keyboard, button, mouse…).
 */
export async function startXev(
  display: string,
  width: number,
  height: number,
  options: { at?: { x: number; y: number }; events?: string[] } = {},
): Promise<XevWindow> {
  const at = options.at ?? { x: 0, y: 0 };
  const events = (options.events ?? ['keyboard']).flatMap((e) => ['-event', e]);
  const child = spawn('xev', ['-display', display, '-geometry', `${width}x${height}+${at.x}+${at.y}`, ...events], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.resume();
  // xev maps its window and sees it exposed before it can receive keys; with only keyboard events selected,
  // the first lines are the KeymapNotify it gets on focus.
  const start = Date.now();
  while (child.exitCode === null && Date.now() - start < 10_000 && !/KeymapNotify|FocusIn/.test(out))
    await new Promise((r) => setTimeout(r, 50));
  if (child.exitCode !== null) throw new Error(`xev exited (${child.exitCode})`);
  return {
    output: () => out,
    async waitForKey(name, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(`keysym ${name}`)) {
        if (Date.now() > deadline)
          throw new Error(`xev did not report keysym ${name}; it printed:\n${out.slice(-1500)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async waitForOutput(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (Date.now() > deadline) throw new Error(`xev did not print ${pattern}; it printed:\n${out.slice(-1500)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: async () => {
      child.kill('SIGTERM');
      await ended(child);
    },
  };
}

/**
 * The x11vnc processes serving one display (by their `-display` argument): test files run in parallel,
 * each with its own Xvfb, so counting every x11vnc on the machine would see the other files' sessions.
 */
export function x11vncsOn(display: string): string[] {
  return readdirSync('/proc').filter((pid) => {
    try {
      if (!/^\d+$/.test(pid) || readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'x11vnc') return false;
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return argv.some((arg, i) => arg === '-display' && argv[i + 1] === display);
    } catch {
      return false;
    }
  });
}
