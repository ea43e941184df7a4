import type { SystemEvent } from '../../../shared/snapshot/snapshot';
import type { EventList } from './parse-utils';
import {
  LIMITS,
  cleanText,
  eventMessage,
  isRecord,
  isoFromEpochMs,
  newestFirst,
  parsePowerShellJson,
  toIsoTime,
} from './parse-utils';

/**
 * Critical (1) and error (2) events of the System log from the last 24 hours, at most 200,
 * with TimeCreated pre-formatted as a UTC round-trip ("o") string. One line, like
 * WINDOWS_SOFTWARE_SCRIPT, so it runs unchanged through a stdin-fed PowerShell session.
 */
export const WINDOWS_EVENTS_SCRIPT = [
  '[Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false);',
  "Get-WinEvent -FilterHashtable @{ LogName = 'System'; Level = 1, 2; StartTime = (Get-Date).AddHours(-24) }",
  '-MaxEvents 200 -ErrorAction SilentlyContinue',
  "| Select-Object @{ Name = 'TimeCreated'; Expression = { $_.TimeCreated.ToUniversalTime().ToString('o') } },",
  'Id, ProviderName, Level, Message',
  '| ConvertTo-Json -Compress',
].join(' ');

// Windows PowerShell 5.1 serializes a raw DateTime as "\/Date(1700000000000)\/" (JSON.parse
// leaves "/Date(1700000000000)/"); the milliseconds are UTC, an offset suffix is informational.
const DOTNET_DATE = /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/;

/**
 * Reads the script's JSON (array, single object, or empty). Level 1 is critical and 2 is error;
 * other levels and entries without a usable time are skipped. `total` counts every valid entry;
 * `entries` keeps the newest `maxEntries` (at most 200).
 */
export function parseWindowsEvents(text: string, maxEntries = 50): EventList {
  const events: SystemEvent[] = [];
  for (const item of parsePowerShellJson(text)) {
    const level = Number(item.Level);
    const time = timeOf(item.TimeCreated);
    if ((level !== 1 && level !== 2) || time === null) continue;
    events.push({
      time,
      source: cleanText(item.ProviderName, LIMITS.name) ?? 'unknown',
      level: level === 1 ? 'critical' : 'error',
      id: cleanText(item.Id, LIMITS.id),
      // Message is null when the provider's message resources are not installed.
      message: eventMessage(item.Message),
    });
  }
  return newestFirst(events, maxEntries);
}

function timeOf(value: unknown): string | null {
  // PowerShell 5.1 wraps a DateTime that carries extended properties as {value, DisplayHint, DateTime}.
  if (isRecord(value)) return timeOf(value.value);
  if (typeof value !== 'string') return null;
  const legacy = DOTNET_DATE.exec(value);
  if (legacy) return isoFromEpochMs(Number(legacy[1]));
  return toIsoTime(value);
}
