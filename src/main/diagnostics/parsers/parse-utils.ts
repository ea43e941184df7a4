import type { InstalledPackage, SoftwareSource, SystemEvent } from '../../../shared/snapshot/snapshot';

/*
 * Helpers shared by the command-output parsers. Everything here is pure: strings in, values out.
 * The limits mirror the bounds in src/shared/snapshot/sections.ts; the parser tests validate
 * their output against those schemas, so a drift between the two fails a test.
 */

/** A command a probe runs: the binary and its arguments, passed to execFile without a shell. */
export type CommandSpec = readonly [command: string, args: readonly string[]];

/** What an event-log parser returns: how many entries matched, and the newest ones up to the cap. */
export interface EventList {
  total: number;
  entries: SystemEvent[];
}

/** Size bounds of snapshot fields and lists, as declared by the snapshot schema. */
export const LIMITS = {
  name: 256,
  version: 128,
  state: 64,
  id: 64,
  message: 1024,
  packages: 20_000,
  services: 100,
  events: 200,
  printers: 64,
} as const;

/** Splits command output into lines, dropping a UTF-8 BOM and accepting LF or CRLF endings. */
export function splitLines(text: string): string[] {
  return stripBom(text).split(/\r?\n/);
}

/** Removes the byte-order mark Windows tools may put before UTF-8 output. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Cuts a string to at most `max` UTF-16 units, ending in "…" and never splitting a surrogate pair. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = value.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  // A lone high surrogate would make the string invalid UTF-16 once serialized.
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Collapses line breaks, tabs and control characters to single spaces and trims. */
export function oneLine(value: string): string {
  // Control characters are folded too: journald and the unified log carry them verbatim.
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** One-line, trimmed, truncated text; null when nothing is left. */
export function cleanText(value: unknown, max: number): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
  if (typeof value !== 'string') return null;
  const text = oneLine(value);
  return text === '' ? null : truncate(text, max);
}

/** An event message: one line, at most 1024 characters, with a placeholder when empty. */
export function eventMessage(value: unknown, placeholder = '(no message text)'): string {
  return cleanText(value, LIMITS.message) ?? placeholder;
}

/** Builds a package row with every field cleaned and truncated; null when there is no name. */
export function makePackage(
  source: SoftwareSource,
  name: unknown,
  version: unknown,
  publisher: unknown,
): InstalledPackage | null {
  const cleanName = cleanText(name, LIMITS.name);
  if (cleanName === null) return null;
  return {
    name: cleanName,
    version: cleanText(version, LIMITS.version),
    source,
    publisher: cleanText(publisher, LIMITS.name),
  };
}

/**
 * Drops rows that repeat an earlier name and version (multi-arch dpkg, the 32/64-bit registry
 * views, user and system flatpak installs) and caps the list at the schema bound.
 */
export function uniquePackages(rows: Iterable<InstalledPackage | null>): InstalledPackage[] {
  const seen = new Set<string>();
  const out: InstalledPackage[] = [];
  for (const row of rows) {
    if (row === null) continue;
    const key = `${row.name}\u0000${row.version ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(row);
    if (out.length >= LIMITS.packages) break;
  }
  return out;
}

/**
 * Splits a whitespace-aligned row into at most `count` fields; the last one keeps the rest of
 * the line with its inner spaces (descriptions, dates). Linear scan, no regex backtracking.
 */
export function splitFields(line: string, count: number): string[] {
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  while (fields.length < count) {
    while (i < n && isBlank(line.charCodeAt(i))) i++;
    if (i >= n) break;
    if (fields.length === count - 1) {
      fields.push(line.slice(i).trimEnd());
      break;
    }
    const start = i;
    while (i < n && !isBlank(line.charCodeAt(i))) i++;
    fields.push(line.slice(start, i));
  }
  return fields;
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d;
}

/** Parses one JSON line into a plain object; null for blank, malformed or non-object lines. */
export function parseJsonObject(line: string): Record<string, unknown> | null {
  const text = line.trim();
  if (text === '' || text[0] !== '{') return null;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * Reads `ConvertTo-Json` output: an array for several results, a bare object for exactly one,
 * and nothing at all for none. Non-object items and malformed text yield no rows.
 */
export function parsePowerShellJson(text: string): Record<string, unknown>[] {
  const body = stripBom(text).trim();
  if (body === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return [];
  }
  const items = Array.isArray(value) ? value : [value];
  return items.filter(isRecord);
}

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Only fixed-width groups and one optional fraction: no nested quantifiers, so no backtracking.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Normalizes "2026-11-23T18:15:32.1234567Z", "…+01:00" or the unified log's
 * "2026-11-23 10:15:32.123456-0800" to a canonical UTC ISO string; null when invalid.
 */
export function toIsoTime(text: string): string | null {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac = '', zulu, sign, oh, om] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(wall);
  // Date.UTC silently rolls "02-31" or "25:00" over; reject those instead of inventing a time.
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    check.getUTCHours() !== Number(h) ||
    check.getUTCMinutes() !== Number(mi) ||
    check.getUTCSeconds() !== Number(s)
  ) {
    return null;
  }
  const offsetMinutes = zulu ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  return isoFromEpochMs(wall + ms - offsetMinutes * 60_000);
}

// Year 10000 and later serialize as "+010000-…", which is not an ISO-8601 datetime the schema accepts.
const MAX_EPOCH_MS = Date.UTC(10000, 0, 1) - 1;

/** Milliseconds since the epoch (1970..9999) to a UTC ISO string; null outside that range. */
export function isoFromEpochMs(ms: number): string | null {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_EPOCH_MS) return null;
  return new Date(Math.floor(ms)).toISOString();
}

/** Clamps a caller's entry limit to 0..200 (the schema bound); non-numbers fall back to 50. */
export function clampEntries(maxEntries: number): number {
  if (!Number.isFinite(maxEntries)) return 50;
  return Math.max(0, Math.min(Math.floor(maxEntries), LIMITS.events));
}

/** Orders events newest first (stable for equal times), keeps `maxEntries`, and counts them all. */
export function newestFirst(events: SystemEvent[], maxEntries: number): EventList {
  // Times are canonical UTC ISO strings, so string order is time order.
  const sorted = [...events].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  return { total: events.length, entries: sorted.slice(0, clampEntries(maxEntries)) };
}
