import { homedir } from 'node:os';
import type { ActionParams } from '../../shared/actions/catalog';
import { shortenHomePaths } from '../diagnostics/privacy';
import type { Argv } from './exec-utils';
import { parseMacosLogLines, parseWindowsLog, type LogEntry } from './parsers/logs.parser';
import { done, failed, type ActionContext, type ActionImpls, type ImplOutcome } from './types';

type LogParams = ActionParams<'logs.collect'>;
/** At most this many log lines (entries) are kept, newest last on Linux, newest first elsewhere. */
export const LOG_LINE_CAP = 5000;
const JOURNAL_PRIORITY = { error: '0..3', warning: '0..4', info: '0..6' } as const;
const ERRORS = 'messageType == error OR messageType == fault';
const MACOS_PREDICATE = {
  error: ERRORS,
  warning: `messageType == default OR ${ERRORS}`,
  info: `messageType == info OR messageType == default OR ${ERRORS}`,
} as const;
const WINDOWS_LEVELS = { error: '1, 2', warning: '1, 2, 3', info: '1, 2, 3, 4' } as const;

/** The log window as instants, from the parameters' minutes before now. */
export function logWindow(p: LogParams, now: Date): { since: Date; until: Date } {
  return {
    since: new Date(now.getTime() - p.sinceMinutes * 60_000),
    until: new Date(now.getTime() - p.untilMinutes * 60_000),
  };
}

/**
 * The log query per OS. Every value in it is built from numbers and fixed words, never from text a
 * request carries. journalctl: `@<seconds>` is an absolute time per systemd.time(7). Get-WinEvent's
 * FilterHashtable (Microsoft Learn) takes StartTime/EndTime; `log show --start/--end` takes local
 * "YYYY-MM-DD HH:MM:SS" (log(1)).
 */
export function logsArgv(platform: 'linux' | 'win32' | 'darwin', p: LogParams, now: Date): Argv {
  const { since, until } = logWindow(p, now);
  switch (platform) {
    case 'linux':
      return [
        'journalctl',
        [
          `--since=@${Math.floor(since.getTime() / 1000)}`,
          `--until=@${Math.ceil(until.getTime() / 1000)}`,
          `--priority=${JOURNAL_PRIORITY[p.level]}`,
          '-o',
          'short-iso',
          '--no-pager',
          '--quiet',
          `--lines=${LOG_LINE_CAP}`,
        ],
      ];
    case 'win32': {
      const script = [
        '[Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false);',
        `Get-WinEvent -FilterHashtable @{ LogName = 'System', 'Application'; Level = ${WINDOWS_LEVELS[p.level]};`,
        `StartTime = [DateTime]::Parse('${since.toISOString()}').ToUniversalTime(); EndTime = [DateTime]::Parse('${until.toISOString()}').ToUniversalTime() }`,
        `-MaxEvents ${LOG_LINE_CAP} -ErrorAction SilentlyContinue`,
        "| Select-Object @{ Name = 'TimeCreated'; Expression = { $_.TimeCreated.ToUniversalTime().ToString('o') } },",
        'Id, ProviderName, Level, Message | ConvertTo-Json -Compress',
      ].join(' ');
      return ['powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script]];
    }
    case 'darwin': {
      const predicate = MACOS_PREDICATE[p.level];
      return [
        'log',
        [
          'show',
          // log show leaves info messages out unless asked (log(1), --info).
          ...(p.level === 'info' ? ['--info'] : []),
          '--start',
          localTime(since),
          '--end',
          localTime(until),
          '--predicate',
          predicate,
          '--style',
          'ndjson',
        ],
      ];
    }
  }
}

function localTime(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function redactor(ctx: ActionContext): (text: string) => string {
  return ctx.ports.redact ?? ((text) => shortenHomePaths(text, [homedir()]));
}

async function linux(p: LogParams, ctx: ActionContext): Promise<ImplOutcome> {
  const now = ctx.ports.now?.() ?? new Date();
  const [command, args] = logsArgv('linux', p, now);
  // Not streamed raw: every line goes through the redaction before anyone sees it.
  const result = await ctx.exec(command, args, { stream: false });
  if (!result.ok) return failed(result.error.code, result.error.message);
  if (result.value.exitCode !== 0) {
    return failed(
      'exit-code',
      `journalctl exited with ${result.value.exitCode}: ${redactor(ctx)(result.value.stderr.trim().slice(0, 200))}`,
      {},
      result.value.exitCode,
    );
  }
  const redact = redactor(ctx);
  const lines = result.value.stdout
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('-- '))
    .slice(-LOG_LINE_CAP);
  for (const line of lines) ctx.write(`${redact(line)}\n`);
  const { since, until } = logWindow(p, now);
  return done(
    {
      program: 'journalctl',
      since: since.toISOString(),
      until: until.toISOString(),
      level: p.level,
      lines: lines.length,
    },
    0,
  );
}

function fromEvents(platform: 'win32' | 'darwin', parse: (text: string, max: number) => LogEntry[]) {
  return async (p: LogParams, ctx: ActionContext): Promise<ImplOutcome> => {
    const now = ctx.ports.now?.() ?? new Date();
    const [command, args] = logsArgv(platform, p, now);
    const result = await ctx.exec(command, args, { stream: false });
    if (!result.ok) return failed(result.error.code, result.error.message);
    if (result.value.exitCode !== 0)
      return failed('exit-code', `${command} exited with ${result.value.exitCode}`, {}, result.value.exitCode);
    const redact = redactor(ctx);
    const events = parse(result.value.stdout, LOG_LINE_CAP).map((e) => ({
      ...e,
      source: redact(e.source),
      message: redact(e.message),
    }));
    for (const e of events) ctx.write(`${e.time} ${e.level} ${e.source}${e.id ? ` [${e.id}]` : ''}: ${e.message}\n`);
    const { since, until } = logWindow(p, now);
    return done(
      {
        program: command,
        since: since.toISOString(),
        until: until.toISOString(),
        level: p.level,
        lines: events.length,
        events,
      },
      0,
    );
  };
}

/** logs.collect on each OS. */
export const logsCollectAction: ActionImpls<'logs.collect'> = {
  linux,
  win32: fromEvents('win32', parseWindowsLog),
  darwin: fromEvents('darwin', parseMacosLogLines),
};
