import type { InstalledPackage } from '../../../shared/snapshot/snapshot';
import type { CommandSpec } from './parse-utils';
import { makePackage, splitLines, uniquePackages } from './parse-utils';

/**
 * The query whose output parseRpmQuery reads. The backslash escapes are passed to rpm as-is
 * (no shell): rpm's --queryformat expands "\t" and "\n" itself.
 */
export const RPM_COMMAND: CommandSpec = [
  'rpm',
  ['-qa', '--queryformat', '%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{VENDOR}\\n'],
];

/**
 * Reads "NAME<TAB>VERSION-RELEASE<TAB>VENDOR" lines. Skips gpg-pubkey pseudo-packages (imported
 * signing keys, not software); rpm's "(none)" vendor becomes null. At most 20 000 rows.
 */
export function parseRpmQuery(text: string): InstalledPackage[] {
  const rows: (InstalledPackage | null)[] = [];
  for (const line of splitLines(text)) {
    const fields = line.split('\t');
    if (fields.length < 2) continue;
    const [name = '', version = '', vendor = ''] = fields;
    if (name === 'gpg-pubkey' || name.trim() === '') continue;
    rows.push(makePackage('rpm', name, noneToNull(version), noneToNull(vendor)));
  }
  return uniquePackages(rows);
}

/** rpm prints "(none)" for a tag the package does not carry. */
function noneToNull(value: string): string | null {
  const text = value.trim();
  return text === '' || text === '(none)' ? null : text;
}
