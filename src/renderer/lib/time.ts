/*
 * Times as an employee reads them: "5 min ago", "yesterday 14:02", "12 Mar 2026". The full date is
 * always available as the element's title and datetime.
 */

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const fullDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A short human time relative to `now`. */
export function formatWhen(iso: string, now = Date.now()): string {
  const time = Date.parse(iso);
  if (!Number.isFinite(time)) return '';
  const seconds = Math.round((time - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 6 * 3600) return relative.format(Math.round(seconds / 3600), 'hour');
  const date = new Date(time);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) return `today ${clock.format(date)}`;
  const yesterday = new Date(now - 86_400_000);
  if (date.toDateString() === yesterday.toDateString()) return `yesterday ${clock.format(date)}`;
  if (date.getFullYear() === today.getFullYear()) return `${dayMonth.format(date)}, ${clock.format(date)}`;
  return fullDate.format(date);
}

/** The full date and time, for titles. */
export function formatFull(iso: string): string {
  const time = Date.parse(iso);
  return Number.isFinite(time) ? full.format(new Date(time)) : iso;
}
