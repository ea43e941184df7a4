import { FINDING_CODES, type FindingCode } from '../../shared/health/finding';

/*
 * Readers for the JSON kept in TEXT columns. A malformed or unexpected value reads as empty instead of
 * failing a request: the column was written by this server, and one bad row must not break a listing.
 */

const KNOWN_CODES = new Set<string>(FINDING_CODES);

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A JSON object column (event data, audit details); anything else reads as {}. */
export function parseJsonObject(text: string): Record<string, unknown> {
  const value = parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A JSON array-of-strings column (tags, targeting, groups); non-strings are dropped. */
export function parseStringArray(text: string): string[] {
  const value = parse(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A finding-codes column: distinct codes this server knows (a newer agent's codes are dropped, not passed on). */
export function parseFindingCodes(text: string): FindingCode[] {
  return [...new Set(parseStringArray(text).filter((code): code is FindingCode => KNOWN_CODES.has(code)))];
}
