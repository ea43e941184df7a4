import type { InstalledPackage } from '../../../shared/snapshot/snapshot';
import type { CommandSpec } from './parse-utils';
import { makePackage, splitLines, uniquePackages } from './parse-utils';

/** The listing parseSnapList reads. */
export const SNAP_COMMAND: CommandSpec = ['snap', ['list']];

// Appended to a publisher by snap: verified ("✓", or "**" without a UTF-8 locale) and starred
// ("✪", or "*"). The runner uses LC_ALL=C, so the ASCII forms are the usual ones.
const BADGES = ['✓', '✪', '**', '*'];

/**
 * Reads the table "Name Version Rev Tracking Publisher Notes" (whitespace-aligned; no cell
 * contains spaces). Rows before the header line, such as "No snaps are installed yet", are
 * ignored. The publisher loses its badges, and "-" (a locally installed snap) becomes null.
 */
export function parseSnapList(text: string): InstalledPackage[] {
  const rows: (InstalledPackage | null)[] = [];
  let headerSeen = false;
  let publisherColumn = -1;
  for (const line of splitLines(text)) {
    const cells = line.trim().split(/\s+/);
    if (!headerSeen) {
      headerSeen = cells[0] === 'Name' && cells[1] === 'Version';
      // Releases before snapd 2.33 called the column "Developer".
      publisherColumn = cells.findIndex((c) => c === 'Publisher' || c === 'Developer');
      continue;
    }
    if (cells.length < 2) continue;
    const [name, version] = cells;
    rows.push(makePackage('snap', name, version, publisher(cells[publisherColumn])));
  }
  return uniquePackages(rows);
}

function publisher(cell: string | undefined): string | null {
  if (cell === undefined) return null;
  let value = cell;
  // A publisher can carry both badges, so strip until none is left.
  for (let badge = findBadge(value); badge; badge = findBadge(value)) value = value.slice(0, -badge.length);
  return value === '' || value === '-' ? null : value;
}

function findBadge(value: string): string | undefined {
  return BADGES.find((badge) => value.endsWith(badge));
}
