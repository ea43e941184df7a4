import { describe, expect, it } from 'vitest';
import { parseFindingCodes, parseJsonObject, parseStringArray } from './json-columns';

describe('JSON column readers', () => {
  it('read objects, and anything else as {}', () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
    for (const bad of ['[1]', 'null', '"x"', '{broken', '']) expect(parseJsonObject(bad)).toEqual({});
  });

  it('read string arrays, dropping non-strings', () => {
    expect(parseStringArray('["a", 2, "b", null]')).toEqual(['a', 'b']);
    for (const bad of ['{}', 'null', '{broken']) expect(parseStringArray(bad)).toEqual([]);
  });

  it('read distinct known finding codes only', () => {
    expect(parseFindingCodes('["uptime.long", "future.code", "uptime.long", 7, "disk.almost_full"]')).toEqual([
      'uptime.long',
      'disk.almost_full',
    ]);
    expect(parseFindingCodes('{broken')).toEqual([]);
  });
});
