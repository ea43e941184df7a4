import type { ProcessOutput, ProcessRunOptions, ProcessRunner } from '../../src/main/actions/process-runner';
import type { Result } from '../../src/shared/result';
import { commandKey } from './command-runner.fake';

/** A canned answer: stdout of a program that exited 0, a finished program, or a runner failure. */
export type FakeProcessAnswer =
  string | { exitCode: number | null; stdout?: string; stderr?: string } | { error: string; message?: string };

/** One program the fake was asked to run: the exact argument array. */
export interface FakeProcessCall {
  key: string;
  command: string;
  args: readonly string[];
  /** The fixed variables the action added to the environment, if any. */
  env: Readonly<Record<string, string>> | undefined;
}

/** A ProcessRunner that answers from a table (keyed "command arg1 arg2…") and records every argv. */
export interface FakeProcessRunner extends ProcessRunner {
  readonly calls: FakeProcessCall[];
}

/**
 * Builds a ProcessRunner answering from `answers`; stdout and stderr are streamed to `onChunk` as a real
 * program's would be. Unknown programs answer `not_found`, as a missing binary does.
 */
export function fakeProcessRunner(answers: Record<string, FakeProcessAnswer> = {}): FakeProcessRunner {
  const calls: FakeProcessCall[] = [];
  return {
    calls,
    async run(command, args, options: ProcessRunOptions): Promise<Result<ProcessOutput>> {
      const key = commandKey(command, args);
      calls.push({ key, command, args: [...args], env: options.env });
      if (options.signal.aborted) return { ok: false, error: { code: 'aborted', message: `${command} was cancelled` } };
      const answer = Object.hasOwn(answers, key) ? answers[key] : undefined;
      if (answer === undefined)
        return { ok: false, error: { code: 'not_found', message: `${command} is not installed` } };
      if (typeof answer !== 'string' && 'error' in answer) {
        return { ok: false, error: { code: answer.error, message: answer.message ?? `${command}: ${answer.error}` } };
      }
      const out = typeof answer === 'string' ? { exitCode: 0, stdout: answer, stderr: '' } : answer;
      const value = { exitCode: out.exitCode, stdout: out.stdout ?? '', stderr: out.stderr ?? '' };
      if (value.stdout) options.onChunk?.(value.stdout);
      if (value.stderr) options.onChunk?.(value.stderr);
      return { ok: true, value };
    },
  };
}
