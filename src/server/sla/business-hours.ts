/*
 * SLA clocks in business time. A calendar names the hours a help desk is staffed, in its own time
 * zone; SLA targets count only those hours. Business time is real elapsed time while the local wall
 * clock reads inside a window, so a 09:00-17:00 day is eight hours on a DST Sunday too, and a window
 * that spans a clock change is as long as the time that really passed in it.
 *
 * Speed comes from doing the calendar work on "wall milliseconds" (an instant plus its zone's UTC
 * offset) with integer day arithmetic, which is exact while the offset is constant. Luxon is only
 * asked for UTC offsets, to map each zone-year's clock changes once; a walk that crosses a change
 * splits there and carries on with the new offset.
 */
import { IANAZone } from 'luxon';
import { z } from 'zod';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

const clockMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A help desk's staffed hours: weekly windows in an IANA time zone, minus holidays. */
export const businessHoursSchema = z
  .object({
    timezone: z.string().refine((zone) => IANAZone.isValidZone(zone), { message: 'Unknown IANA time zone' }),
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .refine((days) => new Set(days).size === days.length, { message: 'Days must not repeat' }),
    start: z.string().regex(CLOCK, 'Expected HH:MM'),
    end: z.string().regex(CLOCK, 'Expected HH:MM'),
    holidays: z.array(z.iso.date()).default([]),
  })
  .refine(
    // Malformed times already carry their own issue; only compare well-formed ones.
    (c) => !CLOCK.test(c.start) || !CLOCK.test(c.end) || clockMinutes(c.end) > clockMinutes(c.start),
    { message: 'end must be after start', path: ['end'] },
  );

/** Staffed hours; ISO weekdays (1 = Monday), 'HH:MM' local times, 'YYYY-MM-DD' holidays. `null` means 24x7. */
export type BusinessHours = z.infer<typeof businessHoursSchema>;

/** How an SLA target stands: in time, close to its deadline, or past it. */
export type SlaState = 'ok' | 'warning' | 'breached';

/** A calendar in the shape the arithmetic wants. */
interface Calendar {
  zone: IANAZone;
  openMs: number;
  closeMs: number;
  dayMs: number;
  weekdays: readonly boolean[];
  perWeek: number;
  /** Sorted local day numbers of holidays that fall on a working weekday (others change nothing). */
  holidays: readonly number[];
}

/** ISO weekday (1 = Monday) of a day number counted from 1970-01-01, which was a Thursday. */
const isoWeekday = (day: number): number => ((((day + 3) % 7) + 7) % 7) + 1;

// Not Date.UTC, which reads years 0-99 as 1900-1999.
const utcDate = (year: number, month = 1, day = 1): number => new Date(0).setUTCFullYear(year, month - 1, day);

const dayNumberOf = (isoDate: string): number =>
  utcDate(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)), Number(isoDate.slice(8, 10))) / DAY_MS;

function prepare(hours: BusinessHours): Calendar {
  const zone = IANAZone.create(hours.timezone);
  const openMs = clockMinutes(hours.start) * MINUTE_MS;
  const closeMs = clockMinutes(hours.end) * MINUTE_MS;
  const weekdays = Array.from({ length: 8 }, (_, i) => hours.days.includes(i));
  // An unparsed, invalid calendar would make the day search below spin forever.
  if (!zone.isValid || !(closeMs > openMs) || !weekdays.some(Boolean)) {
    throw new RangeError('Invalid business hours: parse them with businessHoursSchema first');
  }
  const holidays = [...new Set(hours.holidays.map(dayNumberOf))]
    .filter((day) => weekdays[isoWeekday(day)])
    .sort((a, b) => a - b);
  return {
    zone,
    openMs,
    closeMs,
    dayMs: closeMs - openMs,
    weekdays,
    perWeek: weekdays.filter(Boolean).length,
    holidays,
  };
}

/** Index of the first element >= value in a sorted array. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const isHoliday = (c: Calendar, day: number): boolean => c.holidays[lowerBound(c.holidays, day)] === day;
const isBusinessDay = (c: Calendar, day: number): boolean => c.weekdays[isoWeekday(day)] === true && !isHoliday(c, day);

/** Business days in the day range [from, to), by whole weeks plus a remainder. */
function businessDaysIn(c: Calendar, from: number, to: number): number {
  if (to <= from) return 0;
  const weeks = Math.floor((to - from) / 7);
  let count = weeks * c.perWeek;
  for (let day = from + weeks * 7; day < to; day += 1) if (c.weekdays[isoWeekday(day)]) count += 1;
  return count - (lowerBound(c.holidays, to) - lowerBound(c.holidays, from));
}

/** Business ms of one day that fall inside the wall range [a, b). */
function overlapOfDay(c: Calendar, day: number, a: number, b: number): number {
  if (!isBusinessDay(c, day)) return 0;
  const open = day * DAY_MS + c.openMs;
  const close = day * DAY_MS + c.closeMs;
  return Math.max(0, Math.min(b, close) - Math.max(a, open));
}

/** Business ms inside the wall range [a, b), assuming one UTC offset throughout. */
function businessMsInWall(c: Calendar, a: number, b: number): number {
  if (b <= a) return 0;
  const first = Math.floor(a / DAY_MS);
  const last = Math.floor(b / DAY_MS);
  if (first === last) return overlapOfDay(c, first, a, b);
  return (
    overlapOfDay(c, first, a, (first + 1) * DAY_MS) +
    businessDaysIn(c, first + 1, last) * c.dayMs +
    overlapOfDay(c, last, last * DAY_MS, b)
  );
}

/** The k-th (k >= 1) business day on or after `from`, jumping whole weeks while far away. */
function nthBusinessDay(c: Calendar, from: number, k: number): number {
  let day = from;
  let left = k;
  while (left > c.perWeek) {
    // Jump at most left - 1 business days' worth so the target is never overshot.
    const weeks = Math.floor((left - 1) / c.perWeek);
    left -= businessDaysIn(c, day, day + weeks * 7);
    day += weeks * 7;
  }
  for (; ; day += 1) {
    if (isBusinessDay(c, day)) {
      left -= 1;
      if (left === 0) return day;
    }
  }
}

/** Earliest wall time W >= a with `ms` (> 0) business ms in [a, W), assuming one UTC offset throughout. */
function wallAfterBusiness(c: Calendar, a: number, ms: number): number {
  const day = Math.floor(a / DAY_MS);
  const firstDay = overlapOfDay(c, day, a, (day + 1) * DAY_MS);
  if (ms <= firstDay) return Math.max(a, day * DAY_MS + c.openMs) + ms;
  const rest = ms - firstDay;
  const fullDays = Math.ceil(rest / c.dayMs) - 1;
  const target = nthBusinessDay(c, day + 1, fullDays + 1);
  return target * DAY_MS + c.openMs + (rest - fullDays * c.dayMs);
}

/** From `from` on (until the next entry), the zone is `offset` ms ahead of UTC. */
interface OffsetSpan {
  from: number;
  offset: number;
}

// Asking Intl for an offset costs microseconds, so each zone-year's clock changes are found once
// and kept; bounded so odd inputs (every year since 1900) cannot grow it without limit.
const MAX_CACHED_YEARS = 1_000;
const offsetYears = new Map<string, OffsetSpan[]>();

/**
 * The offset spans of one UTC year of a zone. Sampling weekly is enough because no zone changes
 * its clocks twice within a week; bisection then pins each change to the second.
 */
function offsetSpans(zone: IANAZone, year: number): readonly OffsetSpan[] {
  const key = `${zone.name}|${year}`;
  const cached = offsetYears.get(key);
  if (cached) return cached;
  const offsetAt = (at: number): number => zone.offset(at) * MINUTE_MS;
  const yearStart = utcDate(year);
  // Whole seconds throughout, so the bisection below always has a midpoint to try.
  const last = utcDate(year + 1);
  const spans: OffsetSpan[] = [{ from: yearStart, offset: offsetAt(yearStart) }];
  for (let lo = yearStart; lo < last;) {
    let hi = Math.min(lo + WEEK_MS, last);
    const current = (spans[spans.length - 1] as OffsetSpan).offset;
    if (offsetAt(hi) === current) {
      lo = hi;
      continue;
    }
    while (hi - lo > 1_000) {
      const mid = lo + Math.floor((hi - lo) / 2_000) * 1_000;
      if (offsetAt(mid) === current) lo = mid;
      else hi = mid;
    }
    // Offsets change on whole seconds, so bisecting to the second finds the exact instant.
    spans.push({ from: hi, offset: offsetAt(hi) });
    lo = hi;
  }
  if (offsetYears.size >= MAX_CACHED_YEARS) offsetYears.clear();
  offsetYears.set(key, spans);
  return spans;
}

const yearOf = (at: number): number => new Date(at).getUTCFullYear();

/** The zone's UTC offset in ms at an instant. */
function offsetMs(c: Calendar, at: number): number {
  let offset = 0;
  for (const span of offsetSpans(c.zone, yearOf(at))) if (span.from <= at) offset = span.offset;
  return offset;
}

/** First instant in (from, to] whose UTC offset differs from `offset`, or null. */
function nextOffsetChange(c: Calendar, from: number, offset: number, to: number): number | null {
  for (let year = yearOf(from); year <= yearOf(to); year += 1) {
    for (const span of offsetSpans(c.zone, year)) {
      if (span.from > to) return null;
      if (span.from > from && span.offset !== offset) return span.from;
    }
  }
  return null;
}

function assertFinite(...values: number[]): void {
  if (!values.every(Number.isFinite)) throw new RangeError('SLA clock arithmetic needs finite numbers');
}

/**
 * The instant (epoch ms) at which `minutes` of business time have elapsed after `startMs`: the
 * earliest T with businessMinutesBetween(startMs, T) === minutes. A start outside business hours
 * counts from the next opening; non-positive targets are due at the start. `null` calendar is 24x7.
 */
export function addBusinessMinutes(startMs: number, minutes: number, calendar: BusinessHours | null): number {
  assertFinite(startMs, minutes);
  if (minutes <= 0) return startMs;
  if (calendar === null) return startMs + minutes * MINUTE_MS;
  const c = prepare(calendar);
  let left = minutes * MINUTE_MS;
  for (let at = startMs; ;) {
    const offset = offsetMs(c, at);
    const due = wallAfterBusiness(c, at + offset, left) - offset;
    const change = nextOffsetChange(c, at, offset, due);
    if (change === null || due <= change) return due;
    // The clocks changed before the target: bank the time up to the change and go on from there.
    left -= businessMsInWall(c, at + offset, change + offset);
    at = change;
  }
}

/** Business minutes (possibly fractional) elapsed from `fromMs` to `toMs`; 0 when to <= from. */
export function businessMinutesBetween(fromMs: number, toMs: number, calendar: BusinessHours | null): number {
  return businessMsBetween(fromMs, toMs, calendar === null ? null : prepare(calendar)) / MINUTE_MS;
}

function businessMsBetween(fromMs: number, toMs: number, c: Calendar | null): number {
  assertFinite(fromMs, toMs);
  if (toMs <= fromMs) return 0;
  if (c === null) return toMs - fromMs;
  let total = 0;
  for (let at = fromMs; at < toMs;) {
    const offset = offsetMs(c, at);
    const until = nextOffsetChange(c, at, offset, toMs) ?? toMs;
    total += businessMsInWall(c, at + offset, until + offset);
    at = until;
  }
  return total;
}

/**
 * Where an SLA target stands at `nowMs`: breached from the due instant on, warning once the business
 * time consumed since `startMs` reaches `warningPercent` of the business time from start to due.
 */
export function slaState(
  nowMs: number,
  startMs: number,
  dueMs: number,
  warningPercent: number,
  calendar: BusinessHours | null,
): SlaState {
  if (nowMs >= dueMs) return 'breached';
  const c = calendar === null ? null : prepare(calendar);
  const total = businessMsBetween(startMs, dueMs, c);
  const consumed = businessMsBetween(startMs, nowMs, c);
  // Compare in integer ms rather than as a percentage so a threshold is never missed by rounding.
  return consumed * 100 >= warningPercent * total ? 'warning' : 'ok';
}
