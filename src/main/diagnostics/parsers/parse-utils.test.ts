import { describe, it, expect } from 'vitest';
import {
  LIMITS,
  cleanText,
  clampEntries,
  isoFromEpochMs,
  makePackage,
  newestFirst,
  oneLine,
  parseJsonObject,
  parsePowerShellJson,
  splitFields,
  splitLines,
  toIsoTime,
  truncate,
  uniquePackages,
} from './parse-utils';

describe('text helpers', () => {
  it('splits LF and CRLF lines and drops a BOM', () => {
    expect(splitLines('\uFEFFa\r\nb\nc')).toEqual(['a', 'b', 'c']);
  });

  it('truncates with an ellipsis and never leaves half a surrogate pair', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 3)).toBe('abc');
    const cut = truncate('ab😀cd', 4); // the emoji straddles the cut
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });

  it('collapses line breaks, tabs and control characters', () => {
    expect(oneLine('  one\r\n\ttwo\u0000three  ')).toBe('one two three');
  });

  it('cleans numbers and strings, and turns blanks and other types into null', () => {
    expect(cleanText(7031, 64)).toBe('7031');
    expect(cleanText('   ', 64)).toBeNull();
    expect(cleanText(null, 64)).toBeNull();
    expect(cleanText({}, 64)).toBeNull();
    expect(cleanText('x'.repeat(300), LIMITS.name)).toHaveLength(LIMITS.name);
  });

  it('splits aligned columns keeping the rest of the line', () => {
    expect(splitFields('  a   b\tc d  e ', 3)).toEqual(['a', 'b', 'c d  e']);
    expect(splitFields('a', 3)).toEqual(['a']);
    expect(splitFields('   ', 2)).toEqual([]);
  });
});

describe('packages', () => {
  it('truncates every field to the schema bounds', () => {
    const row = makePackage('dpkg', 'n'.repeat(400), 'v'.repeat(400), 'p'.repeat(400));
    expect(row?.name).toHaveLength(LIMITS.name);
    expect(row?.version).toHaveLength(LIMITS.version);
    expect(row?.publisher).toHaveLength(LIMITS.name);
    expect(makePackage('dpkg', '  ', '1', null)).toBeNull();
  });

  it('keeps the first of identical name+version rows and caps the list', () => {
    const rows = [
      makePackage('rpm', 'a', '1', 'x'),
      makePackage('rpm', 'a', '1', 'y'),
      makePackage('rpm', 'a', '2', null),
    ];
    expect(uniquePackages(rows).map((r) => `${r.name}@${r.version}/${r.publisher}`)).toEqual(['a@1/x', 'a@2/null']);
    const many = Array.from({ length: LIMITS.packages + 10 }, (_, i) => makePackage('rpm', `p${i}`, '1', null));
    expect(uniquePackages(many)).toHaveLength(LIMITS.packages);
  });
});

describe('JSON helpers', () => {
  it('reads one object per line and rejects everything else', () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonObject('[1]')).toBeNull();
    expect(parseJsonObject('{"a":')).toBeNull();
    expect(parseJsonObject('')).toBeNull();
  });

  it('reads ConvertTo-Json output as a list whatever its shape', () => {
    expect(parsePowerShellJson('[{"a":1},{"a":2},3,null]')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parsePowerShellJson('\uFEFF{"a":1}\r\n')).toEqual([{ a: 1 }]);
    expect(parsePowerShellJson('')).toEqual([]);
    expect(parsePowerShellJson('\r\n')).toEqual([]);
    expect(parsePowerShellJson('Get-ItemProperty : access denied')).toEqual([]);
  });
});

describe('times', () => {
  it('normalizes ISO, .NET round-trip and unified-log timestamps to UTC', () => {
    expect(toIsoTime('2026-11-23T18:15:32.1234567Z')).toBe('2026-11-23T18:15:32.123Z');
    expect(toIsoTime('2026-11-23T19:15:32+01:00')).toBe('2026-11-23T18:15:32.000Z');
    expect(toIsoTime('2026-11-23 10:15:32.123456-0800')).toBe('2026-11-23T18:15:32.123Z');
  });

  it('rejects impossible and offset-less times', () => {
    expect(toIsoTime('2026-02-31T10:00:00Z')).toBeNull();
    expect(toIsoTime('2026-11-23T24:00:00Z')).toBeNull();
    expect(toIsoTime('2026-11-23T10:00:00')).toBeNull();
    expect(toIsoTime('yesterday')).toBeNull();
  });

  it('accepts epoch milliseconds only within years 1970..9999', () => {
    expect(isoFromEpochMs(1700000000000)).toBe('2023-11-14T22:13:20.000Z');
    expect(isoFromEpochMs(-1)).toBeNull();
    expect(isoFromEpochMs(9e15)).toBeNull();
    expect(isoFromEpochMs(Number.NaN)).toBeNull();
  });
});

describe('event lists', () => {
  const event = (time: string) => ({ time, source: 's', level: 'error' as const, id: null, message: time });

  it('sorts newest first, caps, and counts everything', () => {
    const list = newestFirst(
      [event('2026-01-01T00:00:00.000Z'), event('2026-01-03T00:00:00.000Z'), event('2026-01-02T00:00:00.000Z')],
      2,
    );
    expect(list.total).toBe(3);
    expect(list.entries.map((e) => e.message)).toEqual(['2026-01-03T00:00:00.000Z', '2026-01-02T00:00:00.000Z']);
  });

  it('clamps the entry limit to the schema bound', () => {
    expect(clampEntries(1000)).toBe(LIMITS.events);
    expect(clampEntries(-5)).toBe(0);
    expect(clampEntries(Number.NaN)).toBe(50);
  });
});
