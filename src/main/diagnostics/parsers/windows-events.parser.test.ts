import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { eventSchema } from '../../../shared/snapshot/sections';
import { WINDOWS_EVENTS_SCRIPT, parseWindowsEvents } from './windows-events.parser';

const read = (name: string) =>
  readFileSync(new URL(`../../../../test/fixtures/windows/${name}`, import.meta.url), 'utf8');

describe('parseWindowsEvents', () => {
  const all = parseWindowsEvents(read('events.json'), 200);

  it('reads events newest first with provider, id and level', () => {
    expect(all.total).toBe(8);
    expect(all.entries[0]).toEqual({
      time: '2026-11-23T10:58:20.551Z',
      source: 'Service Control Manager',
      level: 'error',
      id: '7031',
      message:
        'The Windows Update service terminated unexpectedly. It has done this 1 time(s). The following corrective action will be taken in 60000 milliseconds: Restart the service.',
    });
    expect(all.entries.find((e) => e.id === '41')?.level).toBe('critical');
    expect(() => z.array(eventSchema).parse(all.entries)).not.toThrow();
  });

  it('folds CRLF inside messages, truncates long ones, and fills in a missing one', () => {
    expect(all.entries.find((e) => e.id === '7000')?.message).toBe(
      'The Contoso Update Service service failed to start due to the following error: The system cannot find the file specified.',
    );
    const long = all.entries.find((e) => e.id === '20')?.message ?? '';
    expect(long).toHaveLength(1024);
    expect(all.entries.find((e) => e.id === '1001')?.message).toBe('(no message text)');
  });

  it('reads Windows PowerShell 5.1 "\\/Date(ms)\\/" times to the same instants', () => {
    const legacy = parseWindowsEvents(read('events-ps51-date.json'), 200);
    expect(legacy).toEqual(all);
  });

  it('reads the single object ConvertTo-Json writes for one event', () => {
    const single = parseWindowsEvents(read('events-single.json'));
    expect(single.total).toBe(1);
    expect(single.entries[0]?.source).toBe('Microsoft-Windows-Kernel-Power');
  });

  it('accepts a 5.1 DateTime wrapped with its extended properties, and an offset suffix', () => {
    const text = JSON.stringify([
      {
        TimeCreated: { value: '/Date(1700000000000)/', DisplayHint: 2, DateTime: 'Tuesday, 14 November 2023 23:13:20' },
        Id: 1,
        ProviderName: 'p',
        Level: 2,
        Message: 'a',
      },
      { TimeCreated: '/Date(1700000000000+0100)/', Id: 2, ProviderName: 'p', Level: 1, Message: 'b' },
    ]);
    expect(parseWindowsEvents(text).entries.map((e) => e.time)).toEqual([
      '2023-11-14T22:13:20.000Z',
      '2023-11-14T22:13:20.000Z',
    ]);
  });

  it('skips other levels, unusable times and empty output', () => {
    const text = JSON.stringify([
      { TimeCreated: '2026-11-23T10:00:00.0000000Z', Id: 1, ProviderName: 'p', Level: 3, Message: 'warning' },
      { TimeCreated: 'yesterday', Id: 2, ProviderName: 'p', Level: 2, Message: 'bad time' },
      { TimeCreated: '2026-11-23T10:00:00.0000000Z', Id: 3, Level: 2, Message: 'no provider' },
    ]);
    const result = parseWindowsEvents(text);
    expect(result.total).toBe(1);
    expect(result.entries[0]?.source).toBe('unknown');
    expect(parseWindowsEvents('')).toEqual({ total: 0, entries: [] });
  });

  it('caps entries but still counts them all', () => {
    const capped = parseWindowsEvents(read('events.json'), 2);
    expect(capped.total).toBe(8);
    expect(capped.entries).toEqual(all.entries.slice(0, 2));
  });

  it('is one line asking for critical and error System events of the last 24 hours', () => {
    expect(WINDOWS_EVENTS_SCRIPT).not.toMatch(/[\r\n]/);
    expect(WINDOWS_EVENTS_SCRIPT).toContain("LogName = 'System'; Level = 1, 2; StartTime = (Get-Date).AddHours(-24)");
    expect(WINDOWS_EVENTS_SCRIPT).toContain("ToUniversalTime().ToString('o')");
  });
});
