import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScriptCommandParams } from '../../shared/actions/scripts';
import type { Argv } from './exec-utils';
import { failed, type ActionContext, type ImplOutcome } from './types';

/*
 * IT scripts (issue 12): the signed body is written, verbatim, to a file in a private temporary folder
 * (mkdtemp: mode 0700, a fresh random name) with mode 0700, run by its interpreter with the values as
 * separate elements of the argument array, and the folder is removed afterwards whatever happened. The
 * values never enter the script's text, and no shell parses a command line: `;`, `$(…)`, backticks and
 * newlines in a value reach the script as those characters.
 */

const EXTENSIONS = { bash: '.sh', zsh: '.zsh', sh: '.sh', powershell: '.ps1' } as const;

/**
 * The program and argument array that run a script file with its values:
 * - bash/zsh/sh: `bash -- FILE v1 v2 …` (values in declaration order; `--` ends the interpreter's options,
 *   and everything after FILE is the script's `$1 $2 …`, a leading "-" included);
 * - PowerShell: `powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File FILE -Name value …`
 *   (booleans as 1/0, which PowerShell binds to [bool] and [switch] parameters).
 * Absent optional values: left out for PowerShell (the script's default applies), an empty string for the
 * positional shells (so later values keep their position).
 */
export function scriptArgv(params: ScriptCommandParams, file: string): Argv {
  const { script, args } = params;
  const given = (name: string) => Object.hasOwn(args, name);
  if (script.shell === 'powershell') {
    const named = script.parameters.flatMap((p) => {
      if (!given(p.name)) return [];
      const value = args[p.name]!;
      return [`-${p.name}`, typeof value === 'boolean' ? (value ? '1' : '0') : String(value)];
    });
    return ['powershell.exe', ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', file, ...named]];
  }
  const positional = script.parameters.map((p) => (given(p.name) ? String(args[p.name]) : ''));
  return [script.shell, ['--', file, ...positional]];
}

/** Windows PowerShell 5.1 reads a .ps1 without a byte-order mark in the ANSI code page: the BOM keeps UTF-8. */
const fileText = (params: ScriptCommandParams) =>
  params.script.shell === 'powershell' ? `\uFEFF${params.script.body}` : params.script.body;

/** Runs a signed IT script on this OS (its platform was checked against the script's by the runner). */
export async function runScript(params: ScriptCommandParams, ctx: ActionContext): Promise<ImplOutcome> {
  const tempRoot = ctx.ports.scriptTempRoot?.() ?? tmpdir();
  const { script } = params;
  if (script.platform !== ctx.platform)
    return failed('unsupported', `The script was signed for ${script.platform}, not ${ctx.platform}`);
  let dir: string | null = null;
  try {
    dir = await mkdtemp(join(tempRoot, 'deskside-script-'));
    await chmod(dir, 0o700);
    const file = join(dir, `${script.slug}${EXTENSIONS[script.shell]}`);
    await writeFile(file, fileText(params), { encoding: 'utf8', mode: 0o700, flag: 'wx' });
    const [command, args] = scriptArgv(params, file);
    const result = await ctx.exec(command, args, {});
    const fields = { script: script.slug, shell: script.shell };
    if (!result.ok) return failed(result.error.code, result.error.message, fields);
    const { exitCode } = result.value;
    return exitCode === 0
      ? { ok: true, exitCode, fields }
      : failed('exit-code', `The script exited with ${exitCode ?? 'a signal'}`, fields, exitCode);
  } catch (error) {
    return failed(
      'failed',
      `The script could not be prepared: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    if (dir !== null) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
