import type { SystemEvent } from '../../../shared/snapshot/snapshot';
import type { CommandSpec, EventList } from './parse-utils';
import { LIMITS, cleanText, eventMessage, newestFirst, parseJsonObject, splitLines, toIsoTime } from './parse-utils';

/** The unified-log query parseMacosLog reads: errors and faults of the last day, one JSON object per line. */
export const MACOS_LOG_COMMAND: CommandSpec = [
  'log',
  ['show', '--last', '24h', '--predicate', 'messageType == error OR messageType == fault', '--style', 'ndjson'],
];

/**
 * Reads `log show --style ndjson`. A "Fault" is critical and an "Error" is error; the source is
 * the process's executable name, else the subsystem. The "Filtering the log data using …" line and
 * the closing {"count":…,"finished":1} record are skipped like any other non-event line.
 * `total` counts every valid entry; `entries` keeps the newest `maxEntries` (at most 200).
 */
export function parseMacosLog(text: string, maxEntries = 50): EventList {
  const events: SystemEvent[] = [];
  for (const line of splitLines(text)) {
    const entry = parseJsonObject(line);
    if (entry === null) continue;
    const level = entry.messageType === 'Fault' ? 'critical' : entry.messageType === 'Error' ? 'error' : null;
    const time = typeof entry.timestamp === 'string' ? toIsoTime(entry.timestamp) : null;
    if (level === null || time === null) continue;
    events.push({
      time,
      source:
        cleanText(basename(entry.processImagePath), LIMITS.name) ??
        cleanText(entry.subsystem, LIMITS.name) ??
        'unknown',
      level,
      id: null,
      message: eventMessage(entry.eventMessage),
    });
  }
  return newestFirst(events, maxEntries);
}

function basename(path: unknown): string | null {
  if (typeof path !== 'string') return null;
  return path.slice(path.lastIndexOf('/') + 1);
}
