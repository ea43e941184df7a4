/*
 * Human formatting shared by health evidence, the snapshot diff, the CLI and both UIs, so a
 * technician sees the same "3.2 GB" everywhere. Pure and locale-independent on purpose:
 * evidence must read the same on the device, on the server and in tests.
 */

const BYTE_UNITS = ['KB', 'MB', 'GB', 'TB', 'PB'] as const;

/** Formats a byte count with a 1024 base and one decimal: 3435973837 -> "3.2 GB", 512 -> "512 B". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '0 B';
  if (n < 1024) return `${Math.round(n)} B`;
  let value = n / 1024;
  let unit = 0;
  // Round before choosing the unit so 1023.96 KB reads "1.0 MB", never "1024.0 KB".
  while (unit < BYTE_UNITS.length - 1 && Math.round(value * 10) / 10 >= 1024) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * Formats a duration in seconds at the precision a person cares about:
 * "41 days", "2 days 3 h", "3 h 5 min", "12 min", "40 s".
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '0 s';
  const s = Math.floor(seconds);
  const days = Math.floor(s / DAY);
  const hours = Math.floor((s % DAY) / HOUR);
  const minutes = Math.floor((s % HOUR) / MINUTE);
  // Past a week the hours are noise ("41 days" is what anyone would say).
  if (days >= 7) return plural(days, 'day', 'days');
  if (days >= 1) return hours > 0 ? `${plural(days, 'day', 'days')} ${hours} h` : plural(days, 'day', 'days');
  if (hours >= 1) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes >= 1) return `${minutes} min`;
  return `${s} s`;
}

/** Formats a count with its noun, singular or plural: (1, 'service') -> "1 service". */
export function formatCount(n: number, one: string, many = `${one}s`): string {
  return plural(n, one, many);
}

/** Joins names as "a, b, c (+4 more)", showing at most `max` of them. */
export function formatList(names: readonly string[], max: number): string {
  const shown = names.slice(0, max).join(', ');
  const rest = names.length - max;
  return rest > 0 ? `${shown} (+${rest} more)` : shown;
}
