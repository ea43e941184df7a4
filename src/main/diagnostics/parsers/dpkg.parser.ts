import type { InstalledPackage } from '../../../shared/snapshot/snapshot';
import { makePackage, splitLines, uniquePackages } from './parse-utils';

/** Where dpkg keeps its database of packages, one deb-control(5) paragraph per package. */
export const DPKG_STATUS_PATH = '/var/lib/dpkg/status';

/**
 * Reads /var/lib/dpkg/status: blank-line separated paragraphs of "Field: value" lines, with
 * continuation lines starting with a space or tab. Keeps packages that are installed now
 * (Status "<want> ok installed": "install", but also "hold" and "deinstall", which are still on
 * disk). At most 20 000 rows, deduplicated by name and version (multi-arch copies).
 */
export function parseDpkgStatus(text: string): InstalledPackage[] {
  const rows: (InstalledPackage | null)[] = [];
  let name: string | null = null;
  let version: string | null = null;
  let status: string | null = null;

  const flush = (): void => {
    if (name !== null && status !== null && isInstalled(status)) {
      rows.push(makePackage('dpkg', name, version, null));
    }
    name = version = status = null;
  };

  for (const line of splitLines(text)) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    const first = line.charCodeAt(0);
    // Continuation lines (long descriptions, conffiles) never hold the fields we read.
    if (first === 0x20 || first === 0x09) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    // Field names are case-insensitive in deb-control(5).
    const field = line.slice(0, colon).toLowerCase();
    if (field === 'package') name = line.slice(colon + 1).trim();
    else if (field === 'version') version = line.slice(colon + 1).trim();
    else if (field === 'status') status = line.slice(colon + 1).trim();
  }
  flush();
  return uniquePackages(rows);
}

/** "install ok installed" and friends: error flag "ok" and status word "installed". */
function isInstalled(status: string): boolean {
  const words = status.split(' ').filter(Boolean);
  return words.length === 3 && words[1] === 'ok' && words[2] === 'installed';
}
