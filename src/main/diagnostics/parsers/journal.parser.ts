import type { SystemEvent } from '../../../shared/snapshot/snapshot';
import type { CommandSpec, EventList } from './parse-utils';
import {
  LIMITS,
  cleanText,
  eventMessage,
  isoFromEpochMs,
  newestFirst,
  parseJsonObject,
  splitLines,
} from './parse-utils';

/**
 * The query whose output parseJournalJson reads: emergency..error priorities of the last day,
 * newest first, one JSON object per line. "-24h" is a relative time per systemd.time(7).
 */
export const JOURNAL_COMMAND: CommandSpec = [
  'journalctl',
  ['--priority=0..3', '--since=-24h', '--output=json', '--no-pager', '--quiet', '--reverse', '--lines=500'],
];

// journalctl --output=json writes fields over 4096 bytes as null unless --all is given.
const TOO_LONG = '(message longer than 4096 bytes, omitted by journalctl)';
const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Reads `journalctl --output=json` lines. PRIORITY 0-2 is critical and 3 is error; other
 * priorities and malformed lines are skipped. `total` counts every valid entry; `entries` keeps
 * the newest `maxEntries` (at most 200).
 */
export function parseJournalJson(text: string, maxEntries = 50): EventList {
  const events: SystemEvent[] = [];
  for (const line of splitLines(text)) {
    const entry = parseJsonObject(line);
    if (entry === null) continue;
    const event = toEvent(entry);
    if (event !== null) events.push(event);
  }
  return newestFirst(events, maxEntries);
}

function toEvent(entry: Record<string, unknown>): SystemEvent | null {
  const level = levelOf(field(entry, 'PRIORITY'));
  const time = timeOf(field(entry, '__REALTIME_TIMESTAMP'));
  if (level === null || time === null) return null;
  const kernel = field(entry, '_TRANSPORT') === 'kernel' ? 'kernel' : null;
  const source = field(entry, 'SYSLOG_IDENTIFIER') || field(entry, '_COMM') || kernel || 'unknown';
  const message = entry.MESSAGE === null ? TOO_LONG : eventMessage(field(entry, 'MESSAGE'));
  return {
    time,
    source: cleanText(source, LIMITS.name) ?? 'unknown',
    level,
    id: cleanText(field(entry, '_SYSTEMD_UNIT'), LIMITS.id),
    message,
  };
}

function levelOf(priority: string | null): SystemEvent['level'] | null {
  if (priority === '0' || priority === '1' || priority === '2') return 'critical';
  if (priority === '3') return 'error';
  return null;
}

/** __REALTIME_TIMESTAMP is microseconds since the epoch, as a decimal string. */
function timeOf(value: string | null): string | null {
  if (value === null || !/^\d{1,17}$/.test(value)) return null;
  return isoFromEpochMs(Math.floor(Number(value) / 1000));
}

/**
 * One field as text. Per the Journal JSON format a value is a string, an array of byte values
 * when it is not valid UTF-8 or not printable, or an array of such values when the field occurs
 * more than once in the entry (the first one is used).
 */
function field(entry: Record<string, unknown>, name: string): string | null {
  let value = entry[name];
  if (Array.isArray(value) && value.length > 0 && typeof value[0] !== 'number') value = value[0];
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return decodeBytes(value);
  return null;
}

function decodeBytes(values: unknown[]): string | null {
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const byte = values[i];
    if (typeof byte !== 'number' || !Number.isInteger(byte) || byte < 0 || byte > 255) return null;
    bytes[i] = byte;
  }
  // Invalid sequences become U+FFFD rather than failing the whole entry.
  return utf8.decode(bytes);
}
