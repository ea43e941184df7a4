import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { seededUniform } from '../../../test/helpers/seeded-random';
import {
  addBusinessMinutes,
  businessHoursSchema,
  businessMinutesBetween,
  slaState,
  type BusinessHours,
} from './business-hours';

const calendar = (input: Partial<BusinessHours> & Pick<BusinessHours, 'timezone'>): BusinessHours =>
  businessHoursSchema.parse({ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', ...input });

const BERLIN = calendar({ timezone: 'Europe/Berlin' });
const NEW_YORK = calendar({ timezone: 'America/New_York', start: '08:00', end: '18:00' });
// Every day 00:00-12:00, so the Berlin clock changes (02:00 and 03:00) fall inside a window.
const BERLIN_MORNINGS = calendar({
  timezone: 'Europe/Berlin',
  days: [1, 2, 3, 4, 5, 6, 7],
  start: '00:00',
  end: '12:00',
});

/** Local ISO time (no zone suffix) in a zone -> epoch ms. */
const at = (local: string, zone = 'Europe/Berlin'): number => DateTime.fromISO(local, { zone }).toMillis();
/** Epoch ms -> local ISO time with offset, e.g. "2024-04-01T10:00:00+02:00". */
const show = (ms: number, zone = 'Europe/Berlin'): string =>
  DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? 'invalid';

describe('24x7 (null calendar)', () => {
  it('adds and subtracts plain minutes', () => {
    const start = at('2024-03-30T23:30');
    expect(addBusinessMinutes(start, 90, null) - start).toBe(90 * 60_000);
    expect(businessMinutesBetween(start, start + 90 * 60_000, null)).toBe(90);
    expect(businessMinutesBetween(start, start - 1, null)).toBe(0);
  });

  it('is due at the start for a non-positive target', () => {
    expect(addBusinessMinutes(1_000, 0, null)).toBe(1_000);
    expect(addBusinessMinutes(1_000, -5, BERLIN)).toBe(1_000);
  });
});

describe('Mon-Fri 09:00-17:00 Europe/Berlin', () => {
  it.each([
    ['Friday 16:30 + 60 min rolls over the weekend', '2024-06-07T16:30', 60, '2024-06-10T09:30:00+02:00'],
    ['a Saturday start counts from Monday 09:00', '2024-06-08T11:00', 30, '2024-06-10T09:30:00+02:00'],
    ['an early start counts from opening', '2024-06-10T07:00', 10, '2024-06-10T09:10:00+02:00'],
    ['a late start counts from the next opening', '2024-06-10T18:00', 10, '2024-06-11T09:10:00+02:00'],
    ['using up the day exactly is due at closing', '2024-06-10T16:00', 60, '2024-06-10T17:00:00+02:00'],
    ['5 000 minutes span two weeks and a bit', '2024-06-03T09:00', 5_000, '2024-06-17T12:20:00+02:00'],
    ['fractional minutes keep their seconds', '2024-06-10T16:59', 1.5, '2024-06-11T09:00:30+02:00'],
  ])('%s', (_name, start, minutes, due) => {
    expect(show(addBusinessMinutes(at(start), minutes, BERLIN))).toBe(due);
  });

  it('counts only staffed minutes between two instants', () => {
    expect(businessMinutesBetween(at('2024-06-07T16:30'), at('2024-06-10T09:30'), BERLIN)).toBe(60);
    expect(businessMinutesBetween(at('2024-06-08T00:00'), at('2024-06-09T23:59'), BERLIN)).toBe(0);
    expect(businessMinutesBetween(at('2024-06-03T00:00'), at('2024-07-01T00:00'), BERLIN)).toBe(20 * 480);
  });

  it('skips holidays, and ignores holidays on closed days', () => {
    const christmas = calendar({
      timezone: 'Europe/Berlin',
      holidays: ['2024-12-24', '2024-12-25', '2024-12-26', '2024-12-28'],
    });
    expect(show(addBusinessMinutes(at('2024-12-23T16:00'), 120, christmas))).toBe('2024-12-27T10:00:00+01:00');
    expect(businessMinutesBetween(at('2024-12-23T00:00'), at('2024-12-30T00:00'), christmas)).toBe(2 * 480);
    // Far-off holidays are subtracted from whole weeks that are skipped arithmetically.
    const start = at('2024-12-02T09:00');
    expect(show(addBusinessMinutes(start, 20 * 480, christmas))).toBe('2025-01-01T17:00:00+01:00');
    expect(show(addBusinessMinutes(start, 20 * 480, BERLIN))).toBe('2024-12-27T17:00:00+01:00');
  });
});

describe('daylight saving time', () => {
  it.each([
    ['spring forward (31 March 2024)', '2024-03-29T16:00', '2024-04-01T10:00:00+02:00'],
    ['fall back (27 October 2024)', '2024-10-25T16:00', '2024-10-28T10:00:00+01:00'],
  ])('Berlin opens at 09:00 local across %s', (_name, start, due) => {
    expect(show(addBusinessMinutes(at(start), 120, BERLIN))).toBe(due);
    expect(businessMinutesBetween(at(start), at(due.slice(0, 16)), BERLIN)).toBe(120);
  });

  it('gives a DST Sunday its full wall-clock hours', () => {
    const everyDay = calendar({ timezone: 'Europe/Berlin', days: [1, 2, 3, 4, 5, 6, 7] });
    expect(businessMinutesBetween(at('2024-03-31T00:00'), at('2024-04-01T00:00'), everyDay)).toBe(480);
    expect(businessMinutesBetween(at('2024-10-27T00:00'), at('2024-10-28T00:00'), everyDay)).toBe(480);
    expect(show(addBusinessMinutes(at('2024-03-30T16:00'), 120, everyDay))).toBe('2024-03-31T10:00:00+02:00');
  });

  it('counts real time in a window that spans the clock change', () => {
    expect(businessMinutesBetween(at('2024-03-31T00:00'), at('2024-03-31T12:00'), BERLIN_MORNINGS)).toBe(11 * 60);
    expect(businessMinutesBetween(at('2024-10-27T00:00'), at('2024-10-27T12:00'), BERLIN_MORNINGS)).toBe(13 * 60);
    // 02:00 CET never happens: two hours then jump to 03:00 CEST and one more.
    expect(show(addBusinessMinutes(at('2024-03-31T00:00'), 180, BERLIN_MORNINGS))).toBe('2024-03-31T04:00:00+02:00');
    expect(show(addBusinessMinutes(at('2024-03-30T11:00'), 120, BERLIN_MORNINGS))).toBe('2024-03-31T01:00:00+01:00');
  });

  it('handles America/New_York across both changes', () => {
    const ny = (local: string): number => at(local, 'America/New_York');
    expect(show(addBusinessMinutes(ny('2024-03-08T17:00'), 120, NEW_YORK), 'America/New_York')).toBe(
      '2024-03-11T09:00:00-04:00',
    );
    expect(show(addBusinessMinutes(ny('2024-11-01T17:00'), 120, NEW_YORK), 'America/New_York')).toBe(
      '2024-11-04T09:00:00-05:00',
    );
    expect(businessMinutesBetween(ny('2024-03-04T00:00'), ny('2024-03-18T00:00'), NEW_YORK)).toBe(10 * 600);
  });
});

/** Independent reference: walks local days with luxon's own wall-to-instant conversion. */
function referenceAdd(startMs: number, minutes: number, hours: BusinessHours): number {
  const [openH, openM] = hours.start.split(':').map(Number);
  const [closeH, closeM] = hours.end.split(':').map(Number);
  let left = minutes * 60_000;
  for (let day = DateTime.fromMillis(startMs, { zone: hours.timezone }).startOf('day'); ; day = day.plus({ days: 1 })) {
    if (!hours.days.includes(day.weekday) || hours.holidays.includes(day.toISODate() ?? '')) continue;
    const open = Math.max(startMs, day.set({ hour: openH, minute: openM }).toMillis());
    const close = day.set({ hour: closeH, minute: closeM }).toMillis();
    if (open >= close) continue;
    if (left <= close - open) return open + left;
    left -= close - open;
  }
}

describe('properties on random samples', () => {
  const calendars = [
    BERLIN,
    NEW_YORK,
    BERLIN_MORNINGS,
    calendar({
      timezone: 'Europe/Berlin',
      holidays: ['2024-03-29', '2024-04-01', '2024-10-03', '2024-12-25', '2025-01-01'],
    }),
    calendar({ timezone: 'Australia/Sydney', days: [1, 2, 3, 4, 5, 6], start: '07:30', end: '19:45' }),
    calendar({ timezone: 'Asia/Kolkata', days: [1, 3, 5], start: '10:00', end: '13:30' }),
    calendar({ timezone: 'America/Santiago', days: [6, 7], start: '00:00', end: '12:00' }),
  ];
  // Half the starts land near a clock change so the samples really cross them.
  const changes = ['2024-03-10', '2024-03-31', '2024-04-07', '2024-09-08', '2024-10-06', '2024-10-27', '2024-11-03'];

  it('addBusinessMinutes matches a day-by-day reference and businessMinutesBetween inverts it', () => {
    const random = seededUniform(20240331); // deterministic, so a failing sample can be replayed
    for (let i = 0; i < 500; i += 1) {
      const hours = calendars[Math.floor(random() * calendars.length)] as BusinessHours;
      const near = changes[Math.floor(random() * changes.length)] as string;
      const start =
        random() < 0.5
          ? Date.UTC(2023, 0, 1) + Math.floor(random() * 3 * 365 * 86_400) * 1_000
          : Date.parse(`${near}T00:00:00Z`) + Math.floor((random() - 0.7) * 14 * 86_400) * 1_000;
      const minutes = 1 + Math.floor(random() * 6_000);
      const due = addBusinessMinutes(start, minutes, hours);
      const context = `sample ${i}: ${hours.timezone} from ${new Date(start).toISOString()} + ${minutes}`;
      expect(due, context).toBe(referenceAdd(start, minutes, hours));
      expect(businessMinutesBetween(start, due, hours), context).toBe(minutes);
      expect(businessMinutesBetween(start, due - 1_000, hours), context).toBeLessThan(minutes);
    }
  });

  it('finishes 10 000 five-day targets without walking minute by minute', () => {
    const random = seededUniform(7);
    let last = 0;
    for (let i = 0; i < 10_000; i += 1) {
      const start = Date.UTC(2024, 0, 1) + Math.floor(random() * 365 * 86_400) * 1_000;
      last = addBusinessMinutes(start, 5 * 480, BERLIN);
      expect(last).toBeGreaterThan(start);
    }
    expect(Number.isFinite(last)).toBe(true);
  });
});

describe('slaState', () => {
  const start = at('2024-06-10T09:00');
  const due = addBusinessMinutes(start, 480, BERLIN);

  it.each([
    ['before any time is consumed', '2024-06-10T08:00', 'ok'],
    ['just below 80 %', '2024-06-10T15:23', 'ok'],
    ['at 80 % of the business time', '2024-06-10T15:24', 'warning'],
    ['one second before due', '2024-06-10T16:59:59', 'warning'],
    ['at the due instant', '2024-06-10T17:00', 'breached'],
    ['long after due', '2024-06-20T12:00', 'breached'],
  ])('%s', (_name, now, state) => {
    expect(slaState(at(now), start, due, 80, BERLIN)).toBe(state);
  });

  it('does not consume SLA time over a closed weekend', () => {
    const friday = at('2024-06-07T16:00');
    const monday = addBusinessMinutes(friday, 120, BERLIN);
    expect(slaState(at('2024-06-09T12:00'), friday, monday, 75, BERLIN)).toBe('ok');
    expect(slaState(at('2024-06-10T09:29'), friday, monday, 75, BERLIN)).toBe('ok');
    expect(slaState(at('2024-06-10T09:30'), friday, monday, 75, BERLIN)).toBe('warning');
    // 24x7 the same Saturday noon is already deep into a 2-hour target: breached.
    expect(slaState(at('2024-06-08T12:00'), friday, friday + 2 * 3_600_000, 75, null)).toBe('breached');
    expect(slaState(friday + 90 * 60_000, friday, friday + 2 * 3_600_000, 75, null)).toBe('warning');
  });
});

describe('businessHoursSchema', () => {
  const valid = { timezone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };

  it('accepts a calendar and defaults holidays to none', () => {
    expect(businessHoursSchema.parse(valid)).toEqual({ ...valid, holidays: [] });
  });

  it.each([
    ['an unknown time zone', { timezone: 'Mars/Olympus_Mons' }],
    ['end equal to start', { end: '09:00' }],
    ['end before start', { start: '18:00', end: '08:00' }],
    ['weekday 0', { days: [0, 1] }],
    ['weekday 8', { days: [1, 8] }],
    ['no days', { days: [] }],
    ['repeated days', { days: [1, 1, 2] }],
    ['a time without a leading zero', { start: '9:00' }],
    ['24:00', { end: '24:00' }],
    ['an impossible holiday', { holidays: ['2024-02-30'] }],
  ])('rejects %s', (_name, change) => {
    expect(businessHoursSchema.safeParse({ ...valid, ...change }).success).toBe(false);
  });

  it('refuses arithmetic on an unparsed invalid calendar or non-finite input', () => {
    const broken = { ...valid, end: '08:00', holidays: [] } as BusinessHours;
    expect(() => addBusinessMinutes(0, 10, broken)).toThrow(RangeError);
    expect(() => addBusinessMinutes(Number.NaN, 10, BERLIN)).toThrow(RangeError);
  });
});
