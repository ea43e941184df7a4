import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseLpstatJobs } from './lpstat.parser';

const fixture = readFileSync(new URL('../../../../test/fixtures/linux/lpstat-o.txt', import.meta.url), 'utf8');

describe('parseLpstatJobs', () => {
  it('counts jobs per printer, keeping dashes and non-ASCII in printer names', () => {
    expect(Object.fromEntries(parseLpstatJobs(fixture))).toEqual({
      Office_Printer: 3,
      'HP-LaserJet-4000': 1,
      'Accounting-Color-Laser-Floor3': 1,
      Büro_Drucker: 1,
    });
  });

  it('reads the locale-formatted dates of other locales too', () => {
    const text = 'Office_Printer-12  alice  1024  Tue 24 Nov 2026 10:00:00 AM UTC\n';
    expect(parseLpstatJobs(text).get('Office_Printer')).toBe(1);
  });

  it('ignores blank lines, detail lines and ids without a job number', () => {
    const text = '\n\tStatus: waiting\nno-number   bob  12  date\n-12  x\nOffice-\r\nA-1 x 1 d\r\n';
    expect(Object.fromEntries(parseLpstatJobs(text))).toEqual({ A: 1 });
    expect(parseLpstatJobs('').size).toBe(0);
  });

  it('tracks at most 64 printers', () => {
    const text = Array.from({ length: 100 }, (_, i) => `P${i}-1 u 1 d`).join('\n');
    expect(parseLpstatJobs(text).size).toBe(64);
  });
});
