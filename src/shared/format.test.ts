import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDateTime,
  formatDuration,
  formatList,
  formatMinutes,
  formatPercent,
  formatRelative,
  formatRunTime,
  formatSpan,
  formatWhen,
  fromLocalInput,
  toLocalInput,
} from './format';

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [-5, '0 B'],
    [Number.NaN, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [1536, '1.5 KB'],
    [1023.96 * KiB, '1.0 MB'],
    [500 * MiB, '500.0 MB'],
    [3.2 * GiB, '3.2 GB'],
    [80 * GiB, '80.0 GB'],
    [512_110_190_592, '476.9 GB'],
    [2 * TiB, '2.0 TB'],
  ])('%d bytes -> %s', (n, expected) => {
    expect(formatBytes(n)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [-1, '0 s'],
    [Number.POSITIVE_INFINITY, '0 s'],
    [40.9, '40 s'],
    [60, '1 min'],
    [12 * 60 + 30, '12 min'],
    [3600, '1 h'],
    [3 * 3600 + 5 * 60, '3 h 5 min'],
    [86_400, '1 day'],
    [86_400 + 4 * 3600, '1 day 4 h'],
    [2 * 86_400 + 3 * 3600 + 17 * 60, '2 days 3 h'],
    [7 * 86_400 + 23 * 3600, '7 days'],
    [41 * 86_400 + 5 * 3600, '41 days'],
  ])('%d s -> %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('formatCount', () => {
  it('picks singular or plural', () => {
    expect(formatCount(1, 'service')).toBe('1 service');
    expect(formatCount(0, 'service')).toBe('0 services');
    expect(formatCount(3, 'crash', 'crashes')).toBe('3 crashes');
  });
});

describe('formatList', () => {
  it('shows at most max names and counts the rest', () => {
    expect(formatList([], 3)).toBe('');
    expect(formatList(['a', 'b', 'c'], 3)).toBe('a, b, c');
    expect(formatList(['a', 'b', 'c', 'd', 'e'], 3)).toBe('a, b, c (+2 more)');
  });
});

describe('formatRunTime', () => {
  it('says a run time in ms, tenths of seconds, then as a span', () => {
    expect(formatRunTime(850)).toBe('850 ms');
    expect(formatRunTime(4_260)).toBe('4.2 s');
    expect(formatRunTime(125_000)).toBe('2 m');
    expect(formatRunTime(-1)).toBe('—');
  });
});

describe('formatSpan', () => {
  it('reads like a technician would say it', () => {
    expect(formatSpan(133 * 60_000)).toBe('2 h 13 m');
    expect(formatSpan(-35 * 60_000)).toBe('35 m');
    expect(formatSpan(2 * 86_400_000 + 4 * 3_600_000)).toBe('2 d 4 h');
    expect(formatSpan(3 * 3_600_000)).toBe('3 h');
    expect(formatSpan(45_000)).toBe('45 s');
  });
});

describe('formatMinutes and formatPercent', () => {
  it('reads report figures', () => {
    expect(formatMinutes(44.6)).toBe('45 min');
    expect(formatMinutes(120)).toBe('2 h');
    expect(formatMinutes(200)).toBe('3 h 20 min');
    expect(formatMinutes(2 * 1440 + 4 * 60)).toBe('2 d 4 h');
    expect(formatMinutes(3 * 1440)).toBe('3 d');
    expect(formatMinutes(null)).toBe('—');
    expect(formatMinutes(Number.NaN)).toBe('—');
    expect(formatPercent(87.25)).toBe('87.3%');
    expect(formatPercent(100)).toBe('100%');
    expect(formatPercent(undefined)).toBe('—');
  });
});

describe('formatRelative', () => {
  const NOW = Date.parse('2026-11-24T10:00:00Z');
  const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

  it('says just now within 45 s, else a compact span ago or ahead', () => {
    expect(formatRelative(at(-30), NOW)).toBe('just now');
    expect(formatRelative(at(30), NOW)).toBe('just now');
    expect(formatRelative(at(-5 * 60), NOW)).toBe('5 m ago');
    expect(formatRelative(at(3 * 3600), NOW)).toBe('in 3 h');
    expect(formatRelative('not a date', NOW)).toBe('—');
  });
});

describe('dates in the reader’s locale', () => {
  const NOW = new Date(2026, 2, 12, 15, 0).getTime();
  const local = (...parts: [number, number, number, number, number]) => new Date(...parts).toISOString();
  const clock = (iso: string) =>
    new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(Date.parse(iso));
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

  it('formatDateTime: date and time, an em dash for none, unreadable text as it is', () => {
    const iso = local(2026, 10, 24, 9, 30);
    expect(formatDateTime(iso)).toContain('2026');
    expect(formatDateTime(iso)).toContain(clock(iso));
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('')).toBe('—');
    expect(formatDateTime('soon')).toBe('soon');
  });

  it('formatWhen: just now, minutes, hours, today, yesterday, this year, other years', () => {
    expect(formatWhen(new Date(NOW - 20_000).toISOString(), NOW)).toBe('just now');
    expect(formatWhen(new Date(NOW - 5 * 60_000).toISOString(), NOW)).toBe(rtf.format(-5, 'minute'));
    expect(formatWhen(new Date(NOW - 2 * 3_600_000).toISOString(), NOW)).toBe(rtf.format(-2, 'hour'));
    const morning = local(2026, 2, 12, 8, 5);
    expect(formatWhen(morning, NOW)).toBe(`today ${clock(morning)}`);
    const yesterday = local(2026, 2, 11, 14, 2);
    expect(formatWhen(yesterday, NOW)).toBe(`yesterday ${clock(yesterday)}`);
    const thisYear = local(2026, 0, 5, 14, 2);
    expect(formatWhen(thisYear, NOW)).toMatch(new RegExp(`, ${clock(thisYear)}$`));
    const lastYear = local(2025, 5, 1, 9, 0);
    expect(formatWhen(lastYear, NOW)).toContain('2025');
    expect(formatWhen('nope', NOW)).toBe('');
  });

  it('datetime-local input values round-trip in the local zone', () => {
    const iso = local(2026, 10, 24, 9, 30);
    expect(toLocalInput(iso)).toBe('2026-11-24T09:30');
    expect(fromLocalInput('2026-11-24T09:30')).toBe(iso);
    expect(toLocalInput(null)).toBe('');
    expect(toLocalInput('x')).toBe('');
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('garbage')).toBeNull();
  });
});
