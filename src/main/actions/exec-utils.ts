import type { Result } from '../../shared/result';
import type { ProcessOutput } from './process-runner';
import { done, failed, type ActionContext, type ActionFields, type ImplOutcome } from './types';

/** One program an action runs: the binary and its argument array. */
export type Argv = readonly [command: string, args: readonly string[]];

/** Does a finished program count as done although its exit code is not 0 (e.g. "already stopped")? */
export type AcceptOutput = (output: ProcessOutput) => boolean;

/**
 * Windows `net stop` on a service that is not running prints "The … service is not started." with
 * NET HELPMSG 3521 and exits 2 (Microsoft Learn, "Net stop"; net helpmsg 3521): for a restart that is done.
 */
export const netStopNotStarted: AcceptOutput = ({ exitCode, stdout, stderr }) =>
  exitCode === 2 && /\b3521\b/.test(`${stdout}\n${stderr}`);

/**
 * Runs the programs of a fix one after the other, stopping at the first that fails or exits non-zero
 * (unless `accept` takes that step's output). `fields.steps` names each program run and its exit code.
 */
export async function runSteps(
  ctx: ActionContext,
  steps: readonly Argv[],
  fields: ActionFields = {},
  accept: (command: string, args: readonly string[]) => AcceptOutput | undefined = () => undefined,
): Promise<ImplOutcome> {
  const ran: { command: string; args: readonly string[]; exitCode: number | null }[] = [];
  for (const [command, args] of steps) {
    const result = await ctx.exec(command, args, {});
    if (!result.ok) return failed(result.error.code, result.error.message, { ...fields, steps: ran });
    ran.push({ command, args, exitCode: result.value.exitCode });
    if (result.value.exitCode !== 0 && !accept(command, args)?.(result.value)) {
      return failed(
        'exit-code',
        `${command} exited with ${result.value.exitCode ?? 'a signal'}${firstLine(result.value.stderr)}`,
        { ...fields, steps: ran },
        result.value.exitCode,
      );
    }
  }
  return done({ ...fields, steps: ran }, 0);
}

/** A program's result turned into an outcome: parsed fields on exit 0 (or when `acceptExit` says so). */
export function fromProgram(
  result: Result<ProcessOutput>,
  parse: (output: ProcessOutput) => ActionFields,
  acceptExit: (code: number | null) => boolean = (code) => code === 0,
): ImplOutcome {
  if (!result.ok) return failed(result.error.code, result.error.message);
  const fields = parse(result.value);
  if (acceptExit(result.value.exitCode)) return done(fields, result.value.exitCode);
  return failed(
    'exit-code',
    `the program exited with ${result.value.exitCode ?? 'a signal'}${firstLine(result.value.stderr)}`,
    fields,
    result.value.exitCode,
  );
}

function firstLine(stderr: string): string {
  const line = stderr.trim().split('\n')[0]?.trim();
  return line ? `: ${line.slice(0, 200)}` : '';
}
