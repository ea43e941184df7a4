/*
 * Whether a JSON text can hold NUL or an unpaired surrogate once parsed. JSON forbids raw control
 * characters in strings, and Node decodes UTF-8 with U+FFFD for any byte sequence that is not valid
 * UTF-8 (an encoded surrogate included), so both can only come from a `\u` escape. A body with no `\u`
 * anywhere parses to a document that needs no repair, and sanitizeMachineDocument's walk of every
 * string can be skipped. The scan is conservative: an escaped backslash followed by a `u` counts too.
 */

const BACKSLASH = 0x5c;
const LETTER_U = 0x75;

/** Scans a body chunk by chunk (a `\` at the end of one chunk and a `u` at the start of the next count). */
export class UnicodeEscapeScan {
  private found = false;
  private endsWithBackslash = false;

  /** Feeds the next chunk of the body. */
  update(chunk: Buffer): this {
    if (this.found || chunk.length === 0) return this;
    this.found = (this.endsWithBackslash && chunk[0] === LETTER_U) || chunk.includes('\\u');
    this.endsWithBackslash = chunk[chunk.length - 1] === BACKSLASH;
    return this;
  }

  /** True when the body fed so far holds `\u` somewhere, so its parsed strings may need repair. */
  get mayHoldUnsafeText(): boolean {
    return this.found;
  }
}
