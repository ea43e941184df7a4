/*
 * Small statistics for reports, computed in TypeScript so SQLite and PostgreSQL give the same
 * numbers (SQLite has no percentile function, and PostgreSQL's would round differently).
 */

/**
 * The p-quantile (0..1) of ascending values, interpolating linearly between closest ranks
 * (the method of PostgreSQL's percentile_cont and spreadsheets' PERCENTILE); null when empty.
 */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const low = sorted[lo] as number;
  const high = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return low + (h - lo) * (high - low);
}

/** Rounds to a number of decimals for display; null stays null. */
export function round(value: number | null, decimals = 1): number | null {
  if (value === null) return null;
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Percent of part in whole, one decimal; null when the whole is zero. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : round((part / whole) * 100);
}

/** Median and 90th percentile of durations in milliseconds, as minutes with one decimal. */
export function durationStats(durationsMs: number[]): {
  count: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
} {
  const minutes = durationsMs.map((ms) => Math.max(0, ms) / 60_000).sort((a, b) => a - b);
  return {
    count: minutes.length,
    medianMinutes: round(quantile(minutes, 0.5)),
    p90Minutes: round(quantile(minutes, 0.9)),
  };
}

/** The n most frequent keys, most frequent first, ties by key so the order is stable. */
export function topCounts<K extends string>(counts: ReadonlyMap<K, number>, n: number): Array<[K, number]> {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, n);
}
