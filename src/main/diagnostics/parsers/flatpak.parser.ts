import type { InstalledPackage } from '../../../shared/snapshot/snapshot';
import type { CommandSpec } from './parse-utils';
import { makePackage, splitLines, uniquePackages } from './parse-utils';

/** The listing parseFlatpakList reads; not on a terminal, flatpak prints it tab-separated without a header. */
export const FLATPAK_COMMAND: CommandSpec = ['flatpak', ['list', '--app', '--columns=name,application,version,origin']];

/**
 * Reads "Name<TAB>Application ID<TAB>Version<TAB>Origin" rows. The name falls back to the
 * application id, an empty version is null, and the origin remote (e.g. "flathub") stands in
 * for the publisher. Apps installed both per-user and system-wide appear once.
 */
export function parseFlatpakList(text: string): InstalledPackage[] {
  const rows: (InstalledPackage | null)[] = [];
  for (const line of splitLines(text)) {
    const fields = line.split('\t');
    if (fields.length < 2) continue;
    const [name = '', application = '', version = '', origin = ''] = fields.map((f) => f.trim());
    // A header only appears on a terminal, but a wrapper script may have forced one.
    if (application === '' || application === 'Application ID') continue;
    rows.push(makePackage('flatpak', name || application, version, origin));
  }
  return uniquePackages(rows);
}
