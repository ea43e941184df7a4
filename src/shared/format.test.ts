import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatList } from './format';

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
