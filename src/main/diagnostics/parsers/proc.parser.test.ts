import { describe, expect, it } from 'vitest';
import { cpuBusyPercent, parsePasswd, parsePidStat, parseProcStat, parseStatusUid } from './proc.parser';

describe('/proc parsers', () => {
  it('computes busy share between two /proc/stat readings', () => {
    const a = parseProcStat('cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4\n');
    const b = parseProcStat('cpu  200 0 100 900 50 0 0 0 0 0\n');
    expect(a).toEqual({ busy: 150, total: 1000 });
    expect(b).toEqual({ busy: 300, total: 1250 });
    expect(cpuBusyPercent(a!, b!)).toBeCloseTo(60);
    expect(cpuBusyPercent(b!, b!)).toBe(0);
    expect(parseProcStat('intr 1 2 3')).toBeNull();
  });

  it('reads a pid stat line whose name holds spaces and parentheses', () => {
    const line =
      '4242 (Web (Content) x) S 1 4242 4242 0 -1 4194560 500 0 0 0 120 30 0 0 20 0 12 0 9000 123456789 2500 18446744073709551615';
    expect(parsePidStat(line)).toEqual({ pid: 4242, name: 'Web (Content) x', cpuTicks: 150, rssPages: 2500 });
    expect(parsePidStat('garbage')).toBeNull();
  });

  it('reads uids and user names', () => {
    expect(parseStatusUid('Name:\tbash\nUid:\t1000\t1000\t1000\t1000\n')).toBe(1000);
    expect(parseStatusUid('Name:\tbash\n')).toBeNull();
    const users = parsePasswd('root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\nbroken\n');
    expect(users.get(0)).toBe('root');
    expect(users.get(1000)).toBe('alice');
    expect(users.size).toBe(2);
  });
});
