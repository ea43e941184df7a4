import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { eventSchema } from '../../../shared/snapshot/sections';
import { MACOS_LOG_COMMAND, parseMacosLog } from './macos-log.parser';

const fixture = readFileSync(new URL('../../../../test/fixtures/macos/log-show.ndjson', import.meta.url), 'utf8');

describe('parseMacosLog', () => {
  const all = parseMacosLog(fixture, 200);

  it('reads every event newest first and skips the closing count record', () => {
    expect(all.total).toBe(6);
    const times = all.entries.map((e) => e.time);
    expect([...times].sort().reverse()).toEqual(times);
    expect(() => z.array(eventSchema).parse(all.entries)).not.toThrow();
  });

  it('converts local timestamps with offsets to UTC', () => {
    expect(times(all)).toContain('2026-11-23T18:15:32.123Z');
    expect(times(all)).toContain('2026-11-23T09:20:00.500Z'); // +0100
  });

  it('maps Fault to critical and Error to error', () => {
    expect(all.entries.find((e) => e.source === 'kernel')?.level).toBe('critical');
    expect(all.entries.find((e) => e.source === 'fileproviderd')?.level).toBe('error');
  });

  it('names the source from the process path, then the subsystem, then "unknown"', () => {
    expect(all.entries.map((e) => e.source)).toEqual([
      'unknown',
      'com.contoso.updater',
      'fileproviderd',
      'kernel',
      'Slack Helper (Renderer)',
      'mdworker_shared',
    ]);
  });

  it('folds multi-line messages and truncates long ones', () => {
    expect(all.entries.find((e) => e.source === 'kernel')?.message).toBe(
      'AppleUSBHostPort: over-current condition detected on port 2 port disabled until replug',
    );
    expect(all.entries.find((e) => e.source === 'fileproviderd')?.message).toHaveLength(1024);
  });

  it('ignores a leading "Filtering" line, other message types and broken lines', () => {
    const text = [
      'Filtering the log data using "messageType == 16 OR messageType == 17"',
      JSON.stringify({ timestamp: '2026-11-23 10:00:00.000000-0800', messageType: 'Default', eventMessage: 'fine' }),
      JSON.stringify({ timestamp: 'later', messageType: 'Error', eventMessage: 'bad time' }),
      '{"timestamp":"2026-11-23 10:00:00.000000-0800","messageType":"Err',
      JSON.stringify({ timestamp: '2026-11-23 10:00:00.000000-0800', messageType: 'Error', eventMessage: 'ok' }),
    ].join('\n');
    expect(parseMacosLog(text)).toEqual({
      total: 1,
      entries: [{ time: '2026-11-23T18:00:00.000Z', source: 'unknown', level: 'error', id: null, message: 'ok' }],
    });
  });

  it('caps entries but still counts them all', () => {
    const capped = parseMacosLog(fixture, 2);
    expect(capped.total).toBe(6);
    expect(capped.entries).toEqual(all.entries.slice(0, 2));
  });

  it('asks for errors and faults of the last day as ndjson', () => {
    expect(MACOS_LOG_COMMAND).toEqual([
      'log',
      ['show', '--last', '24h', '--predicate', 'messageType == error OR messageType == fault', '--style', 'ndjson'],
    ]);
  });
});

function times(list: { entries: { time: string }[] }): string[] {
  return list.entries.map((e) => e.time);
}
