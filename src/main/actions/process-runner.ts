import { spawn, type ChildProcess } from 'node:child_process';
import type { Result } from '../../shared/result';
import { childEnvironment, createPathLookup } from '../diagnostics/command-runner';

/** A finished program: its exit code (null when a signal ended it) and what it printed. */
export interface ProcessOutput {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface ProcessRunOptions {
  signal: AbortSignal;
  /** Called with each chunk of stdout and stderr as it arrives. */
  onChunk?: (chunk: string) => void;
  /** Stream the chunks into the action's output (default true; see ActionContext.exec). */
  stream?: boolean;
  /** Keeps at most this many characters of stdout for parsing (the rest is dropped; default 8 MiB). */
  keepChars?: number;
  /** Fixed variables added to the sanitized environment (e.g. DEBIAN_FRONTEND); never request text. */
  env?: Readonly<Record<string, string>>;
}

/** Port for running programs as actions do: argument arrays, streamed output, ended by an abort signal. */
export interface ProcessRunner {
  run(command: string, args: readonly string[], options: ProcessRunOptions): Promise<Result<ProcessOutput>>;
}

const DEFAULT_KEEP = 8 * 1024 * 1024;

/**
 * Ends a program and everything it started: on POSIX the program leads its own process group (spawned
 * detached), and the whole group gets SIGKILL, so a script's `sleep 600 &` or a child it waits for ends with
 * it; on Windows `taskkill /T /F` ends the tree. A process that left the group on purpose (setsid, a
 * double fork into a new session) is beyond this.
 */
function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { shell: false, windowsHide: true, stdio: 'ignore' }).on(
      'error',
      () => child.kill('SIGKILL'),
    );
    return;
  }
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Runs programs with spawn (no shell), the sanitized environment of the probes, and kill on abort. */
export function createProcessRunner(): ProcessRunner {
  const onPath = createPathLookup();
  return {
    async run(command, args, options) {
      if (options.signal.aborted) return fail('aborted', `${command} was not started: the action was cancelled`);
      if (!(await onPath(command))) return fail('not_found', `${command} is not installed`);
      const keep = options.keepChars ?? DEFAULT_KEEP;
      return new Promise((resolve) => {
        const child = spawn(command, [...args], {
          shell: false,
          env: { ...childEnvironment(), ...options.env },
          windowsHide: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          // Its own process group, so an abort ends what it started too (killTree); Windows: see killTree.
          detached: process.platform !== 'win32',
        });
        const abort = () => killTree(child);
        options.signal.addEventListener('abort', abort, { once: true });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8');
        child.stderr.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          if (stdout.length < keep) stdout += chunk.slice(0, keep - stdout.length);
          options.onChunk?.(chunk);
        });
        child.stderr.on('data', (chunk: string) => {
          if (stderr.length < keep) stderr += chunk.slice(0, keep - stderr.length);
          options.onChunk?.(chunk);
        });
        child.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') resolve(fail('not_found', `${command} is not installed`));
          else resolve(fail('failed', `${command}: ${error.message.split('\n')[0]}`));
        });
        child.on('close', (code) => {
          options.signal.removeEventListener('abort', abort);
          if (options.signal.aborted) {
            resolve(fail('aborted', `${command} was ended: the action was cancelled or timed out`));
            return;
          }
          resolve({ ok: true, value: { exitCode: code, stdout, stderr } });
        });
      });
    },
  };
}

function fail(code: string, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}
