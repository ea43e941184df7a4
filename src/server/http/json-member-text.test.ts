import { describe, expect, it } from 'vitest';
import { seededUniform } from '../../../test/helpers/seeded-random';
import { jsonMemberText } from './json-member-text';

const text = (body: string) => jsonMemberText(Buffer.from(body, 'utf8'), 'snapshot')?.toString('utf8') ?? null;

// Strings that look like JSON structure, quotes and escapes, and the key itself.
const AWKWARD = ['{', '}', '[', ']', '"', '\\', '\\"', '"snapshot"', ',"snapshot":{', 'snap', 'é😀', '\n\t', ':', ''];

function value(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 3 || pick < 0.3) return AWKWARD[Math.floor(next() * AWKWARD.length)] + String(Math.floor(next() * 100));
  if (pick < 0.4) return Math.floor(next() * 1e6) / 100;
  if (pick < 0.45) return next() < 0.5 ? null : next() < 0.5;
  if (pick < 0.65) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i--) {
    const key = next() < 0.05 ? 'snapshot' : (AWKWARD[Math.floor(next() * AWKWARD.length)] ?? '') + String(i);
    object[key] = value(next, depth + 1);
  }
  return object;
}

describe('jsonMemberText', () => {
  it("gives the member's object value as sent, at any position", () => {
    expect(text('{"snapshot":{"a":1}}')).toBe('{"a":1}');
    expect(text('{"subject":"x","snapshot":{"a":[1,{"b":"}"}],"c":{}},"urgency":"low"}')).toBe(
      '{"a":[1,{"b":"}"}],"c":{}}',
    );
    expect(text('{"a":{"b":[]},"snapshot":{"s":"quote \\" brace { bracket ] backslash \\\\"}}')).toBe(
      '{"s":"quote \\" brace { bracket ] backslash \\\\"}',
    );
  });

  it('gives null where it cannot be sure, so the caller serialises the parsed value', () => {
    // The key twice, at any depth, or the word as a value.
    expect(text('{"snapshot":{"a":1},"snapshot":{"a":2}}')).toBeNull();
    expect(text('{"requester":{"snapshot":{}},"snapshot":{"a":1}}')).toBeNull();
    expect(text('{"description":"snapshot","snapshot":{"a":1}}')).toBeNull();
    // Whitespace around the colon, and a value that is not an object.
    expect(text('{"snapshot" :{"a":1}}')).toBeNull();
    expect(text('{"snapshot": {"a":1}}')).toBeNull();
    expect(text('{"snapshot":{"a": 1}}')).toBeNull();
    expect(text('{"snapshot":{"a":[1,\n2]}}')).toBeNull();
    // Whitespace inside a string is the string's own.
    expect(text('{"snapshot":{"a":" \t"}}')).toBe('{"a":" \t"}');
    expect(text('{"snapshot":null}')).toBeNull();
    expect(text('{"subject":"x"}')).toBeNull();
    // Text that ends early (not JSON.parse's to begin with): no answer rather than a wrong one.
    expect(text('{"snapshot":{"a":"abc')).toBeNull();
    expect(text('{"snapshot":{"a":"abc\\')).toBeNull();
    expect(text('{"snapshot":{"a":[1]')).toBeNull();
    // Inside a string, an escaped quote before the key's letters.
    expect(text('{"a\\"snapshot":{"a":1}}')).toBeNull();
  });

  it('refuses bytes that are not UTF-8: they were parsed as U+FFFD, not as sent', () => {
    const body = Buffer.concat([
      Buffer.from('{"snapshot":{"a":"'),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('"}}'),
    ]);
    expect(jsonMemberText(body, 'snapshot')).toBeNull();
    expect(text('{"snapshot":{"a":"é 😀"}}')).toBe('{"a":"é 😀"}');
  });

  it('returns a view of the body, not a copy', () => {
    const body = Buffer.from('{"snapshot":{"a":1}}');
    const found = jsonMemberText(body, 'snapshot');
    expect(found?.buffer).toBe(body.buffer);
  });

  it('over 3,000 random documents: whenever it answers, the text parses to exactly the parsed member', () => {
    const next = seededUniform(7); // the same documents on every run
    let answered = 0;
    for (let i = 0; i < 3000; i++) {
      const members: [string, unknown][] = [
        ['subject', value(next, 2)],
        ['requester', value(next, 1)],
        ['attachments', value(next, 2)],
      ];
      const snapshot = value(next, 0);
      members.splice(Math.floor(next() * 4), 0, ['snapshot', snapshot]);
      const body = JSON.stringify(Object.fromEntries(members));
      const found = text(body);
      const parsed = (JSON.parse(body) as { snapshot: unknown }).snapshot;
      if (found === null) {
        // Null only where the key or word appears more than once, or the value is not an object.
        const once = body.indexOf('"snapshot"') === body.lastIndexOf('"snapshot"');
        const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
        expect(once && isObject).toBe(false);
        continue;
      }
      answered++;
      expect(JSON.parse(found)).toEqual(parsed);
      expect(found).toBe(JSON.stringify(parsed));
    }
    // The property is not vacuous.
    expect(answered).toBeGreaterThan(300);
  });
});
