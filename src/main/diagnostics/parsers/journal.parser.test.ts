import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { eventSchema } from '../../../shared/snapshot/sections';
import { JOURNAL_COMMAND, parseJournalJson } from './journal.parser';

const fixture = readFileSync(new URL('../../../../test/fixtures/linux/journalctl.json', import.meta.url), 'utf8');

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ __REALTIME_TIMESTAMP: '1795428000000000', PRIORITY: '3', ...fields });

describe('parseJournalJson', () => {
  const all = parseJournalJson(fixture, 200);

  it('reads every valid entry, newest first, skipping the blank and the cut-off line', () => {
    expect(all.total).toBe(9);
    expect(all.entries).toHaveLength(9);
    const times = all.entries.map((e) => e.time);
    expect([...times].sort().reverse()).toEqual(times);
    expect(all.entries[0]).toEqual({
      time: '2026-11-23T10:50:00.123Z',
      source: 'systemd',
      level: 'error',
      id: 'init.scope',
      message: 'Failed to start cups.service - CUPS Scheduler.',
    });
    expect(() => z.array(eventSchema).parse(all.entries)).not.toThrow();
  });

  it('maps priorities 0-2 to critical and 3 to error', () => {
    expect(all.entries.find((e) => e.message.startsWith('Kernel panic'))?.level).toBe('critical');
    expect(all.entries.find((e) => e.source === 'python3')?.level).toBe('critical');
    const warning = parseJournalJson(line({ PRIORITY: '4', MESSAGE: 'just a warning' }));
    expect(warning.total).toBe(0);
  });

  it('names the source from SYSLOG_IDENTIFIER, then _COMM, then the kernel transport', () => {
    expect(all.entries.find((e) => e.message.startsWith('usb 3-2'))?.source).toBe('kernel');
    expect(all.entries.find((e) => e.message.startsWith('Failed to set CRTC'))?.source).toBe('gnome-shell');
    expect(parseJournalJson(line({ MESSAGE: 'x' })).entries[0]?.source).toBe('unknown');
  });

  it('decodes a byte-array MESSAGE, replacing invalid UTF-8', () => {
    const entry = all.entries.find((e) => e.source === 'backup-job');
    expect(entry?.message).toBe(
      'backup-job: cannot read /home/jdoe/Bilder/\uFFFDrger Urlaub 2026.png: Permission denied',
    );
  });

  it('folds multi-line messages, truncates long ones, and marks those journalctl left out', () => {
    const traceback = all.entries.find((e) => e.source === 'python3')?.message ?? '';
    expect(traceback).not.toMatch(/[\r\n]/);
    expect(traceback).toContain("Permission denied: '/var/lib/contoso/état.json'");
    const long = all.entries.find((e) => e.message.startsWith('nvidia-modeset'))?.message ?? '';
    expect(long).toHaveLength(1024);
    expect(long.endsWith('…')).toBe(true);
    expect(all.entries.find((e) => e.source === 'contoso-sync')?.message).toMatch(/omitted by journalctl/);
  });

  it('caps entries but still counts them all', () => {
    const capped = parseJournalJson(fixture, 3);
    expect(capped.total).toBe(9);
    expect(capped.entries).toEqual(all.entries.slice(0, 3));
    expect(parseJournalJson(fixture).entries).toHaveLength(9);
    const many = Array.from({ length: 300 }, (_, i) =>
      line({ __REALTIME_TIMESTAMP: String(1795428000000000 + i), MESSAGE: `m${i}` }),
    );
    const big = parseJournalJson(many.join('\n'), 1000);
    expect(big.total).toBe(300);
    expect(big.entries).toHaveLength(200);
  });

  it('uses the first value of a field that occurs more than once', () => {
    const entry = parseJournalJson(line({ SYSLOG_IDENTIFIER: ['sshd', 'sshd-session'], MESSAGE: 'x' })).entries[0];
    expect(entry?.source).toBe('sshd');
  });

  it('skips entries without a usable time or priority, and non-JSON noise', () => {
    const text = [
      line({ __REALTIME_TIMESTAMP: 'soon', MESSAGE: 'bad time' }),
      line({ PRIORITY: undefined, MESSAGE: 'no priority' }),
      '-- No entries --',
      '[1,2,3]',
      line({ MESSAGE: [300, 1] }), // not bytes: the message is unusable but the entry still counts
    ].join('\n');
    const result = parseJournalJson(text);
    expect(result.total).toBe(1);
    expect(result.entries[0]?.message).toBe('(no message text)');
  });

  it('queries errors and worse of the last 24 hours as JSON, newest first', () => {
    const [binary, args] = JOURNAL_COMMAND;
    expect(binary).toBe('journalctl');
    expect(args).toEqual(expect.arrayContaining(['--priority=0..3', '--since=-24h', '--output=json', '--reverse']));
  });
});
