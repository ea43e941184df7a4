import type { ServiceInfo } from '../../../shared/snapshot/snapshot';
import type { CommandSpec } from './parse-utils';
import { LIMITS, cleanText, splitFields, splitLines } from './parse-utils';

/** Every loaded service with its LOAD, ACTIVE and SUB state; read by parseSystemctlUnits. */
export const SYSTEMCTL_UNITS_COMMAND: CommandSpec = [
  'systemctl',
  ['list-units', '--type=service', '--all', '--no-legend', '--plain', '--no-pager'],
];

/** Service unit files enabled to start automatically; read by parseSystemctlUnits. */
export const SYSTEMCTL_ENABLED_COMMAND: CommandSpec = [
  'systemctl',
  ['list-unit-files', '--type=service', '--state=enabled', '--no-legend', '--no-pager'],
];

/** Failed services, and enabled services that are not running; each list at most 100. */
export interface SystemctlServices {
  failed: ServiceInfo[];
  stoppedAutomatic: ServiceInfo[];
}

// Without --plain (or in older releases) failed and not-found units get a leading "●", which
// becomes "*" when the locale is not UTF-8 (the runner uses LC_ALL=C).
const MARKERS = new Set(['●', '*']);

// Systemd adds a JOB column only while some unit has a pending job; its cell is a job type, and
// blank (or "-" in some releases) on other rows. A lowercase job word followed by more text is
// taken as the JOB cell: descriptions are capitalized in practice, so the risk is a lost word.
const JOB_TYPES = new Set([
  '-',
  'start',
  'stop',
  'reload',
  'restart',
  'try-restart',
  'try-reload',
  'reload-or-start',
  'verify-active',
  'nop',
]);

/**
 * Reads `systemctl list-units` rows "UNIT LOAD ACTIVE SUB [JOB] DESCRIPTION" and the first column
 * of `systemctl list-unit-files`. Failed: ACTIVE is "failed". Stopped automatic: enabled and
 * ACTIVE is "inactive" (templates such as "getty@.service" never match an instance name).
 */
export function parseSystemctlUnits(unitsText: string, enabledText: string): SystemctlServices {
  const enabled = new Set<string>();
  for (const line of splitLines(enabledText)) {
    const [unit] = splitFields(line, 2);
    if (unit?.endsWith('.service')) enabled.add(unit);
  }

  const failed: ServiceInfo[] = [];
  const stoppedAutomatic: ServiceInfo[] = [];
  for (const line of splitLines(unitsText)) {
    const row = parseUnitRow(line);
    if (row === null) continue;
    if (row.active === 'failed') {
      if (failed.length < LIMITS.services) failed.push(toService(row));
    } else if (row.active === 'inactive' && enabled.has(row.unit)) {
      if (stoppedAutomatic.length < LIMITS.services) stoppedAutomatic.push(toService(row));
    }
  }
  return { failed, stoppedAutomatic };
}

interface UnitRow {
  unit: string;
  active: string;
  sub: string;
  description: string | null;
}

function parseUnitRow(line: string): UnitRow | null {
  let text = line.trim();
  const marker = text.split(' ', 1)[0] ?? '';
  if (MARKERS.has(marker)) text = text.slice(marker.length);
  const [unit, _load, active, sub, tail = ''] = splitFields(text, 5);
  if (unit === undefined || active === undefined || sub === undefined || !unit.includes('.')) return null;
  const [firstWord = '', afterJob = ''] = splitFields(tail, 2);
  const description = JOB_TYPES.has(firstWord) && afterJob !== '' ? afterJob : tail;
  return { unit, active, sub, description: description === '-' ? null : description };
}

function toService(row: UnitRow): ServiceInfo {
  // "failed (failed)" says nothing more than "failed"; "inactive (dead)" does.
  const state = row.sub === row.active ? row.active : `${row.active} (${row.sub})`;
  return {
    name: cleanText(row.unit, LIMITS.name) ?? row.unit.slice(0, LIMITS.name),
    state: cleanText(state, LIMITS.state) ?? 'unknown',
    description: cleanText(row.description, LIMITS.name),
  };
}
