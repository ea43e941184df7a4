/** The report periods offered; custom takes two dates. */
export type PeriodChoice = '7' | '30' | '90' | 'custom';

/** An inclusive range of UTC dates (YYYY-MM-DD), as the reports API takes it. */
export interface DateRange {
  from: string;
  to: string;
}

const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last `days` whole UTC days ending today. */
export function lastDays(days: number, now: number): DateRange {
  return { from: isoDate(now - (days - 1) * DAY), to: isoDate(now) };
}

/** Why a custom range cannot be asked for, or null when it can (the server allows at most 366 days). */
export function rangeProblem(range: DateRange): string | null {
  const from = Date.parse(`${range.from}T00:00:00Z`);
  const to = Date.parse(`${range.to}T00:00:00Z`);
  if (Number.isNaN(from) || Number.isNaN(to)) return 'Pick both dates.';
  if (from > to) return 'The start must not be after the end.';
  if ((to - from) / DAY + 1 > 366) return 'Pick at most 366 days.';
  return null;
}
