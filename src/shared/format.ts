/*
 * The one formatter module of Deskside: sizes, counts, durations, dates and relative times for health
 * evidence, the snapshot diff, the CLI, the server, the agent window and the console, so a technician
 * sees the same "3.2 GB" everywhere. Sizes, counts and durations are locale-independent on purpose
 * (evidence must read the same on the device, on the server and in tests); dates and relative times
 * are shown in the reader's locale and zone. No DOM, no Node: it runs in every process.
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

/** A percentage with at most one decimal, or an em dash when nothing was measured. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${Math.round(value * 10) / 10}%`;
}

// ---- Spans of time in the consoles' compact style ----------------------------------------------

const MS_MINUTE = 60_000;
const MS_HOUR = 60 * MS_MINUTE;
const MS_DAY = 24 * MS_HOUR;

/** A span in ms, sign ignored, as a technician says it: "2 d 4 h", "2 h 13 m", "13 m", "45 s". */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= MS_DAY) {
    const d = Math.floor(abs / MS_DAY);
    const h = Math.floor((abs % MS_DAY) / MS_HOUR);
    return h ? `${d} d ${h} h` : `${d} d`;
  }
  if (abs >= MS_HOUR) {
    const h = Math.floor(abs / MS_HOUR);
    const m = Math.floor((abs % MS_HOUR) / MS_MINUTE);
    return m ? `${h} h ${m} m` : `${h} h`;
  }
  if (abs >= MS_MINUTE) return `${Math.floor(abs / MS_MINUTE)} m`;
  return `${Math.floor(abs / 1000)} s`;
}

/** How long a run took: "850 ms", "4.2 s" under a minute, then as formatSpan ("2 m"). */
export function formatRunTime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < MS_MINUTE) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  return formatSpan(ms);
}

/** Minutes (a report's averages, an SLA target) as "45 min", "3 h 20 min" or "2 d 4 h"; an em dash for null. */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—';
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  if (m < 24 * 60) {
    const rest = m % 60;
    return rest ? `${Math.floor(m / 60)} h ${rest} min` : `${m / 60} h`;
  }
  const days = Math.floor(m / (24 * 60));
  const hours = Math.round((m % (24 * 60)) / 60);
  return hours ? `${days} d ${hours} h` : `${days} d`;
}

/** A time relative to `now` in the console's compact style: "5 m ago", "just now", "in 3 h". */
export function formatRelative(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  if (!Number.isFinite(diff)) return '—';
  if (Math.abs(diff) < 45_000) return 'just now';
  return diff < 0 ? `${formatSpan(diff)} ago` : `in ${formatSpan(diff)}`;
}

// ---- Dates in the reader's locale and zone -----------------------------------------------------

// Built on first use (building Intl formatters costs a few ms, and no module does work at import).
const lazily = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};
const dateTime = lazily(
  () =>
    new Intl.DateTimeFormat(undefined, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    }),
);
const clock = lazily(() => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }));
const dayMonth = lazily(() => new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }));
const date = lazily(() => new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' }));
const relative = lazily(() => new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }));

/** A stable, readable date and time: "24 Nov 2026, 09:30"; an em dash for none, the text itself when unreadable. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const time = Date.parse(iso);
  return Number.isFinite(time) ? dateTime().format(time) : iso;
}

/**
 * A time relative to `now` as an employee reads it: "just now", "5 minutes ago", "3 hours ago",
 * "today 09:30", "yesterday 14:02", "12 Mar, 14:02", "12 Mar 2025".
 */
export function formatWhen(iso: string, now = Date.now()): string {
  const time = Date.parse(iso);
  if (!Number.isFinite(time)) return '';
  const seconds = Math.round((time - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relative().format(Math.round(seconds / 60), 'minute');
  if (abs < 6 * 3600) return relative().format(Math.round(seconds / 3600), 'hour');
  const then = new Date(time);
  const today = new Date(now);
  if (then.toDateString() === today.toDateString()) return `today ${clock().format(then)}`;
  const yesterday = new Date(now - 86_400_000);
  if (then.toDateString() === yesterday.toDateString()) return `yesterday ${clock().format(then)}`;
  if (then.getFullYear() === today.getFullYear()) return `${dayMonth().format(then)}, ${clock().format(then)}`;
  return date().format(then);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** An ISO time as the value of an <input type="datetime-local"> in the local zone; empty when none or invalid. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of an <input type="datetime-local"> (local zone) as an ISO time; null when empty or invalid. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
