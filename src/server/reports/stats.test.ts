import { describe, expect, it } from 'vitest';
import { durationStats, percent, quantile, round, topCounts } from './stats';

describe('report statistics', () => {
  it('interpolates quantiles between closest ranks', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBeCloseTo(91);
    expect(quantile([1, 2, 3], 0)).toBe(1);
    expect(quantile([1, 2, 3], 1)).toBe(3);
  });

  it('reports durations in minutes, sorted first and never negative', () => {
    expect(durationStats([30 * 60_000, 10 * 60_000, 20 * 60_000, -5])).toEqual({
      count: 4,
      medianMinutes: 15,
      p90Minutes: 27,
    });
    expect(durationStats([])).toEqual({ count: 0, medianMinutes: null, p90Minutes: null });
  });

  it('rounds percentages and leaves an empty whole as null', () => {
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(0, 0)).toBeNull();
    expect(round(1.25, 1)).toBe(1.3);
  });

  it('orders top counts by count, then key', () => {
    const counts = new Map([
      ['b', 2],
      ['a', 2],
      ['c', 5],
      ['d', 1],
    ]);
    expect(topCounts(counts, 3)).toEqual([
      ['c', 5],
      ['a', 2],
      ['b', 2],
    ]);
  });
});
