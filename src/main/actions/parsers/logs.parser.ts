import {
  LIMITS,
  cleanText,
  eventMessage,
  parseJsonObject,
  parsePowerShellJson,
  splitLines,
  toIsoTime,
} from '../../diagnostics/parsers/parse-utils';

/** One collected log entry; unlike a snapshot's events, warnings and information are kept. */
export interface LogEntry {
  time: string;
  level: 'critical' | 'error' | 'warning' | 'info';
  source: string;
  id: string | null;
  message: string;
}

// Event levels per Get-WinEvent / the EventLevel enumeration (Microsoft Learn): 1 Critical, 2 Error,
// 3 Warning, 4 Informational (0 LogAlways, 5 Verbose are not asked for).
const WINDOWS_LEVEL: Record<number, LogEntry['level']> = { 1: 'critical', 2: 'error', 3: 'warning', 4: 'info' };

/**
 * Reads the Get-WinEvent JSON logsArgv('win32') asks for (TimeCreated already a UTC "o" string; one object
 * when a single event matched, nothing when none did), in the order the log gave (newest first).
 */
export function parseWindowsLog(text: string, maxEntries: number): LogEntry[] {
  const out: LogEntry[] = [];
  for (const item of parsePowerShellJson(text)) {
    const level = WINDOWS_LEVEL[Number(item.Level)];
    const time = typeof item.TimeCreated === 'string' ? toIsoTime(item.TimeCreated) : null;
    if (!level || time === null) continue;
    out.push({
      time,
      level,
      source: cleanText(item.ProviderName, LIMITS.name) ?? 'unknown',
      id: cleanText(item.Id, LIMITS.id),
      message: eventMessage(item.Message),
    });
    if (out.length >= maxEntries) break;
  }
  return out;
}

// Unified log message types (log(1), "messageType"): Fault, Error, Default, Info, Debug. Default is the
// log's ordinary level, which is as close to a warning as the unified log comes.
const MACOS_LEVEL: Record<string, LogEntry['level']> = {
  Fault: 'critical',
  Error: 'error',
  Default: 'warning',
  Info: 'info',
};

/** Reads `log show --style ndjson` lines, skipping the "Filtering…" line and the closing count record. */
export function parseMacosLogLines(text: string, maxEntries: number): LogEntry[] {
  const out: LogEntry[] = [];
  for (const line of splitLines(text)) {
    const entry = parseJsonObject(line);
    const level = entry && typeof entry.messageType === 'string' ? MACOS_LEVEL[entry.messageType] : undefined;
    const time = entry && typeof entry.timestamp === 'string' ? toIsoTime(entry.timestamp) : null;
    if (!entry || !level || time === null) continue;
    const image = typeof entry.processImagePath === 'string' ? entry.processImagePath.split('/').pop() : null;
    out.push({
      time,
      level,
      source: cleanText(image, LIMITS.name) ?? cleanText(entry.subsystem, LIMITS.name) ?? 'unknown',
      id: null,
      message: eventMessage(entry.eventMessage),
    });
    if (out.length >= maxEntries) break;
  }
  return out;
}
