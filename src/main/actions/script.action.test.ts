import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScriptCommandParams, SignedScript } from '../../shared/actions/scripts';
import type { Result } from '../../shared/result';
import { runAction } from './action-runner';
import { createProcessRunner, type ProcessOutput, type ProcessRunner } from './process-runner';
import { scriptArgv } from './script.action';

/*
 * IT scripts on the agent: a real bash runs the signed body from a private 0700 temp file, with the
 * values as literal arguments (injection attempts come back verbatim and run nothing), the folder is
 * removed afterwards, the timeout ends a script; PowerShell and zsh as exact argument arrays.
 */

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'deskside-script-test-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const script = (over: Partial<SignedScript> = {}): SignedScript => ({
  slug: 'echo-args',
  title: 'Echo the arguments',
  description: 'Prints each argument on its own line.',
  risk: 'reads',
  timeoutSeconds: 30,
  platform: 'linux',
  shell: 'bash',
  body: 'printf "1=[%s]\\n" "$1"\nprintf "2=[%s]\\n" "$2"\n',
  parameters: [
    { name: 'first', type: 'string', required: true },
    { name: 'second', type: 'string', required: false },
  ],
  ...over,
});

const ports = () => ({ scriptTempRoot: () => root });

describe('IT scripts on Linux (real bash)', () => {
  it.each([
    ['a shell separator', 'x; touch SENTINEL'],
    ['a command substitution', '$(touch SENTINEL)'],
    ['backticks', '`touch SENTINEL`'],
    ['a newline', 'line one\ntouch SENTINEL'],
    ['a leading "-" (option smuggling)', '-c touch SENTINEL'],
    ['a leading "--"', '--init-file=SENTINEL'],
    ['quotes and a redirect', `"'>SENTINEL`],
  ])('passes %s to the script as one literal argument; nothing else runs', async (_name, raw) => {
    const sentinel = join(root, 'sentinel');
    const value = raw.replaceAll('SENTINEL', sentinel);
    const params: ScriptCommandParams = { script: script(), args: { first: value, second: '$HOME' } };
    const result = await runAction('script.echo-args', params, {
      runner: createProcessRunner(),
      platform: 'linux',
      ports: ports(),
    });
    expect(result.error).toBeNull();
    expect(result).toMatchObject({ ok: true, exitCode: 0, fields: { script: 'echo-args', shell: 'bash' } });
    expect(result.output).toBe(`1=[${value}]\n2=[$HOME]\n`);
    expect(existsSync(sentinel)).toBe(false);
  });

  it('runs the body from a 0700 file in a private 0700 folder, removed afterwards, even when the script fails', async () => {
    const body = 'stat -c "%a" "$0"; stat -c "%a" "$(dirname "$0")"; basename "$0"; exit 3\n';
    const params: ScriptCommandParams = { script: script({ body, parameters: [] }), args: {} };
    const result = await runAction('script.echo-args', params, {
      runner: createProcessRunner(),
      platform: 'linux',
      ports: ports(),
    });
    expect(result.output).toBe('700\n700\necho-args.sh\n');
    expect(result).toMatchObject({ ok: false, exitCode: 3, error: { code: 'exit-code' } });
    expect(await readdir(root)).toEqual([]);
  });

  it('ends a script at its timeout and still removes its folder', async () => {
    const params: ScriptCommandParams = { script: script({ body: 'sleep 30\n', parameters: [] }), args: {} };
    const result = await runAction('script.echo-args', params, {
      runner: createProcessRunner(),
      platform: 'linux',
      ports: ports(),
      limits: { timeoutMs: 300 },
    });
    expect(result.error?.code).toBe('timeout');
    await expect.poll(() => readdir(root)).toEqual([]);
  });

  it('ends what the script started at its timeout too (its background and foreground children)', async () => {
    const body = 'sleep 300 &\necho "bg=$!"\nsleep 300\n';
    const params: ScriptCommandParams = { script: script({ body, parameters: [] }), args: {} };
    const result = await runAction('script.echo-args', params, {
      runner: createProcessRunner(),
      platform: 'linux',
      ports: ports(),
      limits: { timeoutMs: 500 },
    });
    expect(result.error?.code).toBe('timeout');
    const pid = Number(/bg=(\d+)/.exec(result.output)?.[1]);
    expect(pid).toBeGreaterThan(0);
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await expect.poll(alive, { timeout: 3000 }).toBe(false);
  });

  it('runs nothing for values its declarations refuse, or a script signed for another OS', async () => {
    const calls: string[] = [];
    const runner: ProcessRunner = {
      run: async (command) => (calls.push(command), { ok: true, value: { exitCode: 0, stdout: '', stderr: '' } }),
    };
    const run = (params: unknown, platform: 'linux' | 'win32' = 'linux') =>
      runAction('script.echo-args', params, { runner, platform, ports: ports() });
    expect((await run({ script: script(), args: {} })).error).toEqual({
      code: 'bad-params',
      message: 'args: first: is required',
    });
    expect((await run({ script: script(), args: { first: 'a', extra: 'b' } })).error?.message).toMatch(
      /extra: is not a parameter/,
    );
    expect((await run({ script: script(), args: { first: 'a\u0000b' } })).error?.code).toBe('bad-params');
    const patterned = script({ parameters: [{ name: 'first', type: 'string', required: true, pattern: '[a-z]+' }] });
    expect((await run({ script: patterned, args: { first: 'abc; id' } })).error?.message).toMatch(
      /first: must match the pattern/,
    );
    expect((await run({ script: script(), args: { first: 'a' } }, 'win32')).error?.code).toBe('unsupported');
    expect((await run({ script: script({ slug: 'other' }), args: { first: 'a' } })).error?.message).toMatch(
      /script\.slug: must be the slug/,
    );
    expect(calls).toEqual([]);
  });
});

describe('IT scripts on Windows and macOS (argument arrays)', () => {
  /** A runner that records the argv and reads the script file before it is removed. */
  function recording() {
    const calls: { command: string; args: readonly string[]; file: Buffer | null }[] = [];
    const runner: ProcessRunner = {
      async run(command, args): Promise<Result<ProcessOutput>> {
        const path = args.includes('-File') ? args[args.indexOf('-File') + 1]! : args[1]!;
        calls.push({ command, args, file: await readFile(path).catch(() => null) });
        return { ok: true, value: { exitCode: 0, stdout: 'done\n', stderr: '' } };
      },
    };
    return { runner, calls };
  }

  it('runs PowerShell with -File and named values (booleans as 1/0), the file UTF-8 with a BOM', async () => {
    const { runner, calls } = recording();
    const params: ScriptCommandParams = {
      script: script({
        platform: 'win32',
        shell: 'powershell',
        body: 'param([string]$Printer, [bool]$Force, [int]$Copies)\nWrite-Output "$Printer é"\n',
        parameters: [
          { name: 'Printer', type: 'string', required: true },
          { name: 'Force', type: 'boolean', required: false },
          { name: 'Copies', type: 'number', required: false },
        ],
      }),
      args: { Printer: 'HP LaserJet; Stop-Computer', Force: true },
    };
    const result = await runAction('script.echo-args', params, { runner, platform: 'win32', ports: ports() });
    expect(result.ok).toBe(true);
    const [call] = calls;
    const file = call!.args[5]!;
    expect([call!.command, ...call!.args]).toEqual([
      'powershell.exe',
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-File',
      file,
      '-Printer',
      'HP LaserJet; Stop-Computer',
      '-Force',
      '1',
    ]);
    expect(file.endsWith('echo-args.ps1')).toBe(true);
    expect([...call!.file!.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(call!.file!.subarray(3).toString('utf8')).toBe(params.script.body);
    expect(await readdir(root)).toEqual([]);
  });

  it('refuses a value starting with "-" for PowerShell (it would be read as a parameter name)', async () => {
    const { runner, calls } = recording();
    const params = {
      script: script({ platform: 'win32', shell: 'powershell', body: 'param($first)\n' }),
      args: { first: '-Verbose' },
    };
    const result = await runAction('script.echo-args', params, { runner, platform: 'win32', ports: ports() });
    expect(result.error?.message).toMatch(/first: must not start with "-" for a PowerShell script/);
    expect(calls).toEqual([]);
  });

  it('runs zsh (and sh) with "--", the file, then the values in declaration order (absent ones empty)', async () => {
    const { runner, calls } = recording();
    const params: ScriptCommandParams = {
      script: script({ platform: 'darwin', shell: 'zsh', body: 'print -r -- "$1"\n' }),
      args: { first: '$(reboot)' },
    };
    expect((await runAction('script.echo-args', params, { runner, platform: 'darwin', ports: ports() })).ok).toBe(true);
    expect([calls[0]!.command, ...calls[0]!.args]).toEqual(['zsh', '--', calls[0]!.args[1], '$(reboot)', '']);
    expect(calls[0]!.args[1]!.endsWith('echo-args.zsh')).toBe(true);
    expect(calls[0]!.file!.toString('utf8')).toBe(params.script.body);
    expect(scriptArgv({ ...params, script: { ...params.script, shell: 'sh' } }, '/t/x.sh')).toEqual([
      'sh',
      ['--', '/t/x.sh', '$(reboot)', ''],
    ]);
  });
});
