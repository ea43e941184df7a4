/*
 * Text that PostgreSQL cannot store and SQLite stores silently: U+0000 (NUL) and unpaired UTF-16
 * surrogates (which have no UTF-8 form). Both databases must treat text the same, so people's input
 * is refused (see text-schema.ts) and machines' documents are repaired (sanitizeMachineText).
 * Zod-free: the console and the agent window may import these.
 */

/** What the schemas say when a field holds such characters. */
export const UNSAFE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired surrogates';

/** The replacement character that stands in for each unsafe code unit in machine documents. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

// A cheap first test (any NUL or surrogate, paired or not); only strings it matches are looked at closely.
const MAYBE_UNSAFE = /[\0\uD800-\uDFFF]/;
// NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const UNSAFE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** True when `value` holds a NUL character or an unpaired surrogate. */
export function hasUnsafeText(value: string): boolean {
  if (!MAYBE_UNSAFE.test(value)) return false;
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(value);
}

/** `value` with every NUL and unpaired surrogate replaced by U+FFFD (the same string when clean). */
export function sanitizeMachineText(value: string): string {
  if (!MAYBE_UNSAFE.test(value)) return value;
  return value.replace(UNSAFE, REPLACEMENT_CHARACTER);
}

/**
 * A machine document (snapshot, command output, log) with unsafe characters replaced in every string,
 * keys included. Copies only the objects and arrays on the path to a change; a clean document is
 * returned as is, so the common case costs one walk and no allocation.
 */
export function sanitizeMachineDocument<T>(value: T): T {
  return sanitizeValue(value) as T;
}

// Deeper than any machine document: such values are left for the schema to refuse, never a stack overflow.
const MAX_DEPTH = 64;

function sanitizeValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return sanitizeMachineText(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return sanitizeArray(value, depth + 1);
  return sanitizeObject(value as Record<string, unknown>, depth + 1);
}

function sanitizeArray(items: unknown[], depth: number): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const clean = sanitizeValue(item, depth);
    if (clean !== item) {
      copy ??= items.slice();
      copy[i] = clean;
    }
  }
  return copy ?? items;
}

function sanitizeObject(record: Record<string, unknown>, depth: number): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    const item = record[key];
    const clean = sanitizeValue(item, depth);
    const cleanKey = sanitizeMachineText(key);
    if (clean === item && cleanKey === key) continue;
    copy ??= { ...record };
    if (cleanKey !== key) delete copy[key];
    // defineProperty, not assignment: a "__proto__" key stays an own key and never reaches a prototype.
    Object.defineProperty(copy, cleanKey, { value: clean, enumerable: true, writable: true, configurable: true });
  }
  return copy ?? record;
}
