import { execFile } from 'node:child_process';

/** What one run of the built `deskside` command did. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment for CLI processes: the test run's own, minus DATABASE_URL. CI sets that for the
 * in-process server suites; a spawned `deskside server` would otherwise quietly use that PostgreSQL
 * database instead of the temporary data folder the test gives it.
 */
export function cliEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.DATABASE_URL;
  return env;
}

/** Runs the built CLI as a real process, as `npx deskside` would. */
export function runDeskside(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/deskside.js', ...args],
      { env: options.env ?? cliEnvironment(), timeout: options.timeoutMs ?? 20_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
