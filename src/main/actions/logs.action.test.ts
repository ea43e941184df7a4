import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandKey } from '../../../test/fakes/command-runner.fake';
import { fakeProcessRunner } from '../../../test/fakes/process-runner.fake';
import { runAction } from './action-runner';
import { LOG_LINE_CAP, logsArgv } from './logs.action';

const fixture = (path: string) => readFileSync(new URL(`../../../test/fixtures/${path}`, import.meta.url), 'utf8');
const NOW = new Date('2026-12-01T12:00:00Z');
const at = (date: Date) => Math.floor(date.getTime() / 1000);

// journalctl -o short-iso (journalctl(1), "short-iso": ISO 8601 timestamps, otherwise like the classic syslog format).
const JOURNAL = [
  '2026-12-01T11:10:01+0000 laptop systemd[1]: Failed to start backup.service - Nightly backup.',
  '2026-12-01T11:20:44+0000 laptop backup-job[4242]: cannot read /home/jdoe/Documents/tax 2026.pdf: Permission denied',
  '2026-12-01T11:31:02+0000 laptop sudo[5000]: jdoe : TTY=pts/0 ; PWD=/home/jdoe ; USER=root',
].join('\n');

describe('logs.collect', () => {
  it('runs journalctl for the window with a line cap, and redacts every line before it is streamed', async () => {
    const [command, args] = logsArgv('linux', { sinceMinutes: 60, untilMinutes: 0, level: 'warning' }, NOW);
    expect([command, args]).toEqual([
      'journalctl',
      [
        `--since=@${at(new Date('2026-12-01T11:00:00Z'))}`,
        `--until=@${at(NOW)}`,
        '--priority=0..4',
        '-o',
        'short-iso',
        '--no-pager',
        '--quiet',
        `--lines=${LOG_LINE_CAP}`,
      ],
    ]);
    const runner = fakeProcessRunner({ [commandKey(command, args)]: `${JOURNAL}\n` });
    const chunks: string[] = [];
    const result = await runAction(
      'logs.collect',
      { sinceMinutes: 60, level: 'warning' },
      {
        runner,
        platform: 'linux',
        onOutput: (c) => chunks.push(c),
        ports: { now: () => NOW, redact: (text) => text.replace(/\/home\/jdoe/g, '~').replace(/\bjdoe\b/g, '<user>') },
      },
    );
    expect(result.error).toBeNull();
    expect(result.fields).toMatchObject({
      program: 'journalctl',
      lines: 3,
      since: '2026-12-01T11:00:00.000Z',
      until: '2026-12-01T12:00:00.000Z',
    });
    expect(result.output).toContain('cannot read ~/Documents/tax 2026.pdf');
    expect(result.output).toContain('sudo[5000]: <user> : TTY=pts/0 ; PWD=~ ; USER=root');
    expect(chunks.join('')).toBe(result.output);
    expect(chunks.join('')).not.toMatch(/jdoe/);
  });

  it('shortens home paths by default (the snapshot privacy pass) and keeps at most the newest LOG_LINE_CAP lines', async () => {
    const [command, args] = logsArgv('linux', { sinceMinutes: 10, untilMinutes: 5, level: 'error' }, NOW);
    expect(args).toContain('--priority=0..3');
    const many = Array.from(
      { length: LOG_LINE_CAP + 100 },
      (_, i) => `2026-12-01T11:5${i % 10}:00+0000 h app[1]: line ${i} /home/jdoe/x`,
    );
    const runner = fakeProcessRunner({ [commandKey(command, args)]: many.join('\n') });
    const result = await runAction(
      'logs.collect',
      { sinceMinutes: 10, untilMinutes: 5, level: 'error' },
      {
        runner,
        platform: 'linux',
        ports: { now: () => NOW },
      },
    );
    expect(result.fields.lines).toBe(LOG_LINE_CAP);
    expect(result.output).not.toContain('line 99 ');
    expect(result.output).toContain(`line ${LOG_LINE_CAP + 99} ~/x`);
    expect(result.output).not.toContain('/home/jdoe');
  });

  it('reads Windows Get-WinEvent JSON (fixture), built only from numbers and fixed words', async () => {
    const p = { sinceMinutes: 120, untilMinutes: 0, level: 'error' } as const;
    const [command, args] = logsArgv('win32', p, NOW);
    expect(command).toBe('powershell.exe');
    expect(args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
    expect(args[3]).toContain("LogName = 'System', 'Application'; Level = 1, 2;");
    expect(args[3]).toContain("StartTime = [DateTime]::Parse('2026-12-01T10:00:00.000Z')");
    const runner = fakeProcessRunner({ [commandKey(command, args)]: fixture('windows/events.json') });
    const result = await runAction('logs.collect', p, { runner, platform: 'win32', ports: { now: () => NOW } });
    expect(result.error).toBeNull();
    expect(result.fields.program).toBe('powershell.exe');
    expect(result.fields.lines as number).toBeGreaterThan(0);
    expect(result.output).toContain('The Windows Update service terminated unexpectedly.');
  });

  it('reads macOS log show ndjson (fixture) and shortens the home paths in it', async () => {
    const p = { sinceMinutes: 30, untilMinutes: 0, level: 'error' } as const;
    const [command, args] = logsArgv('darwin', p, NOW);
    expect(command).toBe('log');
    expect(args).toEqual(
      expect.arrayContaining([
        'show',
        '--start',
        '--end',
        '--predicate',
        'messageType == error OR messageType == fault',
        '--style',
        'ndjson',
      ]),
    );
    const runner = fakeProcessRunner({ [commandKey(command, args)]: fixture('macos/log-show.ndjson') });
    const result = await runAction('logs.collect', p, { runner, platform: 'darwin', ports: { now: () => NOW } });
    expect(result.error).toBeNull();
    expect(result.output).toContain('~/Documents/Steuererklärung 2026.pdf');
    expect(result.output).not.toContain('/Users/jdoe');
  });

  it('keeps Windows warnings and information when asked for them (Event Log levels 3 and 4)', async () => {
    const p = { sinceMinutes: 60, untilMinutes: 0, level: 'info' } as const;
    const [command, args] = logsArgv('win32', p, NOW);
    expect(args[3]).toContain('Level = 1, 2, 3, 4;');
    // ConvertTo-Json -Compress of Get-WinEvent's Select-Object (Microsoft Learn); Level 3 Warning, 4 Information.
    const json = JSON.stringify([
      {
        TimeCreated: '2026-12-01T11:50:00.0000000Z',
        Id: 1014,
        ProviderName: 'Microsoft-Windows-DNS-Client',
        Level: 3,
        Message: 'Name resolution for intranet timed out',
      },
      {
        TimeCreated: '2026-12-01T11:40:00.0000000Z',
        Id: 7036,
        ProviderName: 'Service Control Manager',
        Level: 4,
        Message: 'The Print Spooler service entered the running state.',
      },
    ]);
    const runner = fakeProcessRunner({ [commandKey(command, args)]: json });
    const result = await runAction('logs.collect', p, { runner, platform: 'win32', ports: { now: () => NOW } });
    expect((result.fields.events as { level: string }[]).map((e) => e.level)).toEqual(['warning', 'info']);
    expect(result.output).toContain(
      '2026-12-01T11:50:00.000Z warning Microsoft-Windows-DNS-Client [1014]: Name resolution',
    );
  });

  it('asks macOS for default (warning) and info messages when told, with --info', () => {
    const [, warning] = logsArgv('darwin', { sinceMinutes: 60, untilMinutes: 0, level: 'warning' }, NOW);
    expect(warning).toContain('messageType == default OR messageType == error OR messageType == fault');
    expect(warning).not.toContain('--info');
    const [, info] = logsArgv('darwin', { sinceMinutes: 60, untilMinutes: 0, level: 'info' }, NOW);
    expect(info.slice(0, 2)).toEqual(['show', '--info']);
  });

  it('refuses a window that ends before it starts, before running anything', async () => {
    const runner = fakeProcessRunner();
    const result = await runAction(
      'logs.collect',
      { sinceMinutes: 5, untilMinutes: 10 },
      { runner, platform: 'linux' },
    );
    expect(result.error?.code).toBe('bad-params');
    expect(runner.calls).toEqual([]);
  });
});
