import { describe, expect, it } from 'vitest';
import { linuxTimezone } from './timezone.parser';

const none = { tz: undefined, localtimeLink: null, etcTimezone: null };

describe('linuxTimezone', () => {
  it('reads the zone from the /etc/localtime link, as ICU does', () => {
    expect(linuxTimezone({ ...none, localtimeLink: '/usr/share/zoneinfo/Europe/Paris' })).toBe('Europe/Paris');
    expect(linuxTimezone({ ...none, localtimeLink: '../usr/share/zoneinfo/America/Argentina/Buenos_Aires' })).toBe(
      'America/Argentina/Buenos_Aires',
    );
    expect(linuxTimezone({ ...none, localtimeLink: '/usr/share/zoneinfo/posix/Asia/Tokyo' })).toBe('Asia/Tokyo');
  });

  it('names every UTC alias "UTC", like Intl', () => {
    for (const alias of ['Etc/UTC', 'Etc/Universal', 'Zulu', 'Etc/GMT', 'UCT'])
      expect(linuxTimezone({ ...none, localtimeLink: `/usr/share/zoneinfo/${alias}` })).toBe('UTC');
    expect(linuxTimezone({ ...none, localtimeLink: '/usr/share/zoneinfo/Etc/GMT+5' })).toBe('Etc/GMT+5');
  });

  it('prefers TZ, in both of its zone forms, over the link', () => {
    const link = '/usr/share/zoneinfo/Europe/Paris';
    expect(linuxTimezone({ ...none, tz: 'Asia/Kolkata', localtimeLink: link })).toBe('Asia/Kolkata');
    expect(linuxTimezone({ ...none, tz: ':Asia/Kolkata', localtimeLink: link })).toBe('Asia/Kolkata');
    expect(linuxTimezone({ ...none, tz: ':/usr/share/zoneinfo/Asia/Kolkata', localtimeLink: link })).toBe(
      'Asia/Kolkata',
    );
  });

  it('gives up (null) on what is not a zone name, so the caller can ask Intl', () => {
    expect(linuxTimezone({ ...none, tz: 'EST5EDT,M3.2.0,M11.1.0' })).toBeNull();
    expect(linuxTimezone({ ...none, localtimeLink: '/etc/not-a-zone' })).toBeNull();
    expect(linuxTimezone({ ...none, localtimeLink: '/usr/share/zoneinfo/../../etc/passwd' })).toBeNull();
    expect(linuxTimezone(none)).toBeNull();
  });

  it('falls back to /etc/timezone when /etc/localtime is a copy, not a link', () => {
    expect(linuxTimezone({ ...none, etcTimezone: 'Europe/Berlin\n' })).toBe('Europe/Berlin');
  });

  it('agrees with Intl on this machine', async () => {
    const { readFile, readlink } = await import('node:fs/promises');
    const sources = {
      tz: process.env.TZ,
      localtimeLink: await readlink('/etc/localtime').catch(() => null),
      etcTimezone: await readFile('/etc/timezone', 'utf8').catch(() => null),
    };
    const found = linuxTimezone(sources);
    if (found !== null) expect(found).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});
