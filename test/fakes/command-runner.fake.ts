import type { CommandOutput, CommandRunner, RunOptions } from '../../src/main/diagnostics/command-runner';
import type { Result } from '../../src/shared/result';

/**
 * A canned answer: a string is stdout of a command that exited 0; an object with `exitCode` is a
 * finished command with that output; `{ error }` is a runner failure such as 'not_found' or 'timeout'.
 */
export type FakeCommandAnswer =
  string | { exitCode: number; stdout?: string; stderr?: string } | { error: string; message?: string };

/** One call the fake received, for assertions on arguments and options. */
export interface FakeCommandCall {
  key: string;
  command: string;
  args: readonly string[];
  options: RunOptions | undefined;
}

/** A CommandRunner that answers from a table and records its calls. */
export interface FakeCommandRunner extends CommandRunner {
  readonly calls: FakeCommandCall[];
}

/** The table key for a command line: the command and its arguments joined by single spaces. */
export function commandKey(command: string, args: readonly string[]): string {
  return [command, ...args].join(' ');
}

/**
 * Builds a CommandRunner answering from `answers`, keyed by "command arg1 arg2…".
 * Unknown commands answer `not_found`, as a missing binary does; an already aborted signal answers `aborted`.
 */
export function fakeCommandRunner(answers: Record<string, FakeCommandAnswer> = {}): FakeCommandRunner {
  const calls: FakeCommandCall[] = [];
  return {
    calls,
    async run(command, args, options): Promise<Result<CommandOutput>> {
      const key = commandKey(command, args);
      calls.push({ key, command, args, options });
      if (options?.signal?.aborted)
        return { ok: false, error: { code: 'aborted', message: `${command} was cancelled` } };
      const answer = Object.hasOwn(answers, key) ? answers[key] : undefined;
      if (answer === undefined)
        return { ok: false, error: { code: 'not_found', message: `${command} is not installed` } };
      if (typeof answer === 'string') return { ok: true, value: { stdout: answer, stderr: '', exitCode: 0 } };
      if ('error' in answer) {
        return { ok: false, error: { code: answer.error, message: answer.message ?? `${command}: ${answer.error}` } };
      }
      return {
        ok: true,
        value: { stdout: answer.stdout ?? '', stderr: answer.stderr ?? '', exitCode: answer.exitCode },
      };
    },
  };
}
