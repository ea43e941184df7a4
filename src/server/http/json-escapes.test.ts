import { describe, expect, it } from 'vitest';
import { hasUnsafeText } from '../../shared/text/unsafe-text';
import { UnicodeEscapeScan } from './json-escapes';

const scan = (...chunks: string[]) =>
  chunks.reduce((s, chunk) => s.update(Buffer.from(chunk, 'utf8')), new UnicodeEscapeScan()).mayHoldUnsafeText;

describe('UnicodeEscapeScan', () => {
  it('finds a \\u escape in one chunk or across two', () => {
    expect(scan('{"a":"x\\u0000y"}')).toBe(true);
    expect(scan('{"a":"x\\', 'ud800"}')).toBe(true);
    expect(scan('{"a":"x\\', '', 'udc00"}')).toBe(true);
  });

  it('passes text whose only escapes are others, and non-ASCII characters written as UTF-8', () => {
    expect(scan('{"a":"tab\\t quote\\" slash\\/ é 😀"}', '{"b":"\\n"}')).toBe(false);
    expect(scan('{"a":"x\\', 'n"}')).toBe(false);
  });

  it('is conservative: an escaped backslash followed by u counts', () => {
    expect(scan('{"path":"C:\\\\users"}')).toBe(true);
  });

  it('rests on JSON: NUL and lone surrogates reach a parse only through \\u escapes', () => {
    // A raw control character is not JSON at all.
    expect(() => JSON.parse(Buffer.from('{"a":"\u0000"}', 'utf8').toString('utf8'))).toThrow(SyntaxError);
    // A surrogate written as UTF-8 bytes (ED A0 80) is not UTF-8: Node decodes it as U+FFFD.
    const encodedSurrogate = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]);
    const parsed = JSON.parse(encodedSurrogate.toString('utf8')) as { a: string };
    expect(hasUnsafeText(parsed.a)).toBe(false);
    expect(new UnicodeEscapeScan().update(encodedSurrogate).mayHoldUnsafeText).toBe(false);
    // Escapes are the one way in, and the scan sees them.
    const escaped = Buffer.from('{"a":"\\u0000","b":"\\uDC00"}', 'utf8');
    const viaEscapes = JSON.parse(escaped.toString('utf8')) as { a: string; b: string };
    expect(hasUnsafeText(viaEscapes.a) && hasUnsafeText(viaEscapes.b)).toBe(true);
    expect(new UnicodeEscapeScan().update(escaped).mayHoldUnsafeText).toBe(true);
  });
});
