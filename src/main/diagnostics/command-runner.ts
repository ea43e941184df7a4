import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Result } from '../../shared/result';

/** What a finished command printed; a non-zero exit is still an answer. */
export interface CommandOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Output beyond this is an error, not a silently truncated answer. */
  maxBytes?: number;
}

/** Port for running OS commands: `not_found`, `timeout`, `aborted`, `too_large` or `failed` on error. */
export interface CommandRunner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<Result<CommandOutput>>;
}

/**
 * Environment handed to every child: enough to run and to print in a stable language,
 * never the agent's own environment (it may hold secrets).
 */
export function childEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const keep: NodeJS.ProcessEnv = { LC_ALL: 'C', LANG: 'C' };
  for (const key of ['PATH', 'Path', 'HOME', 'SystemRoot', 'WINDIR', 'USERPROFILE', 'XDG_RUNTIME_DIR']) {
    if (env[key]) keep[key] = env[key];
  }
  return keep;
}

/** Runs commands with execFile (no shell), a timeout and a sanitized environment. */
export function createCommandRunner(defaults: { timeoutMs: number } = { timeoutMs: 5000 }): CommandRunner {
  const onPath = createPathLookup();
  return {
    async run(command, args, options = {}) {
      // A fork costs the event loop several milliseconds even when the binary is missing,
      // and a snapshot asks for many tools that a given OS lacks.
      if (!(await onPath(command))) return fail('not_found', `${command} is not installed`);
      const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
      return new Promise((resolve) => {
        execFile(
          command,
          args,
          {
            timeout: options.timeoutMs ?? defaults.timeoutMs,
            signal: options.signal,
            maxBuffer: maxBytes,
            env: childEnvironment(),
            windowsHide: true,
            encoding: 'utf8',
          },
          (error, stdout, stderr) => {
            if (!error) return resolve({ ok: true, value: { stdout, stderr, exitCode: 0 } });
            const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: string | number; signal?: string };
            if (e.code === 'ENOENT') return resolve(fail('not_found', `${command} is not installed`));
            if (e.name === 'AbortError') return resolve(fail('aborted', `${command} was cancelled`));
            if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
              return resolve(fail('too_large', `${command} printed more than ${maxBytes} bytes`));
            }
            if (e.killed) return resolve(fail('timeout', `${command} did not finish in time`));
            if (typeof e.code === 'number') {
              return resolve({ ok: true, value: { stdout, stderr, exitCode: e.code } });
            }
            resolve(fail('failed', `${command}: ${e.message.split('\n')[0]}`));
          },
        );
      });
    },
  };
}

/** Cached "is this command on PATH?"; on Windows (PATHEXT, App Paths) it defers to the spawn. */
export function createPathLookup(
  path = process.env.PATH ?? '',
  platform: NodeJS.Platform = process.platform,
): (command: string) => Promise<boolean> {
  const cache = new Map<string, Promise<boolean>>();
  const executable = (file: string) =>
    access(file, constants.X_OK).then(
      () => true,
      () => false,
    );
  return (command) => {
    if (platform === 'win32') return Promise.resolve(true);
    let found = cache.get(command);
    if (!found) {
      const candidates = isAbsolute(command)
        ? [command]
        : path
            .split(delimiter)
            .filter(Boolean)
            .map((dir) => join(dir, command));
      found = Promise.all(candidates.map(executable)).then((hits) => hits.includes(true));
      cache.set(command, found);
    }
    return found;
  };
}

function fail(code: string, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}
