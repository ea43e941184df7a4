import { isUtf8 } from 'node:buffer';

/*
 * The text of one member's value inside a JSON body, located without parsing it again: a ticket's
 * snapshot is most of its body (80 KB here), and re-serialising the parsed snapshot to store it cost
 * more than finding its bytes (JSON.stringify and Buffer.from 0.36 ms against a 0.1 ms scan).
 *
 * Sound only for a body that JSON.parse accepted and that holds no `\u` escape (json-escapes.ts):
 * - Without `\u`, every key spelled `snapshot` holds the bytes `"snapshot"`, so one occurrence in the
 *   whole body means at most one such key at any depth; when the parsed body has that member, this is it.
 * - Preceded by `{` or `,` and followed by `:`, the occurrence is that key: inside a string a quote only
 *   appears escaped (`\"`), and a string closed right after `{` or `,` is not valid JSON.
 * - The value's end is found by counting brackets outside strings; in valid JSON that is exact.
 * - Bytes that are not UTF-8 were parsed as U+FFFD: such a text is refused, since it is not what was parsed.
 * So JSON.parse of the text returned gives exactly the member's parsed value. Text with whitespace
 * between tokens is refused too, so what is returned is what JSON.stringify of the parsed value gives,
 * save for numbers and escapes written otherwise than JSON.stringify writes them (`1.0`, `\/`): the same
 * document all the same. Anything else (a second occurrence, such as a description that reads
 * "snapshot"; whitespace; a value that is not an object) yields null and the caller serialises the
 * parsed value instead.
 */

const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Where the object value starting at `start` (its `{`) ends, exclusive; -1 when the text ends first or has whitespace. */
function objectEnd(text: Uint8Array, start: number): number {
  let depth = 0;
  const length = text.length;
  let i = start;
  while (i < length) {
    const byte = text[i++] as number;
    if (byte === QUOTE) {
      // Skip the string: an escaped character is never its end. Most of a snapshot's bytes are in
      // strings, and most of those are lower-case letters, above both bytes of interest.
      for (;;) {
        if (i >= length) return -1;
        const inner = text[i++] as number;
        if (inner > BACKSLASH) continue;
        if (inner === QUOTE) break;
        if (inner === BACKSLASH) i++;
      }
    } else if (byte <= SPACE) {
      // Whitespace between tokens: parsed the same, but not the form the parsed value serialises to.
      return -1;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (--depth === 0) return i;
    }
  }
  return -1;
}

/**
 * The bytes of the object value of the only member named `key` in `body` (a view, not a copy), or null
 * when it cannot be located with certainty. Preconditions (see above): JSON.parse accepted `body`, and it
 * holds no `\u` escape. `key` must need no escaping in JSON.
 */
export function jsonMemberText(body: Buffer, key: string): Buffer | null {
  const needle = `"${key}"`;
  const at = body.indexOf(needle);
  if (at <= 0 || body.indexOf(needle, at + 1) !== -1) return null;
  const before = body[at - 1];
  if (before !== OPEN_BRACE && before !== COMMA) return null;
  const colon = at + needle.length;
  if (body[colon] !== COLON || body[colon + 1] !== OPEN_BRACE) return null;
  const end = objectEnd(body, colon + 1);
  if (end === -1) return null;
  const text = body.subarray(colon + 1, end);
  return isUtf8(text) ? text : null;
}
