import type { InstalledPackage } from '../../../shared/snapshot/snapshot';
import { makePackage, parsePowerShellJson, uniquePackages } from './parse-utils';

/**
 * Lists the Uninstall entries of the 64-bit and 32-bit (WOW6432Node) machine views and of the
 * current user, leaving out system components and child entries (updates carry ParentKeyName).
 * One line, so it runs unchanged through a stdin-fed PowerShell session or -Command; output is
 * UTF-8 without BOM so non-ASCII names survive the console code page.
 */
export const WINDOWS_SOFTWARE_SCRIPT = [
  '[Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false);',
  String.raw`Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*',`,
  String.raw`'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*',`,
  String.raw`'HKCU:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*' -ErrorAction SilentlyContinue`,
  '| Where-Object { $_.DisplayName -and $_.SystemComponent -ne 1 -and -not $_.ParentKeyName }',
  '| Select-Object DisplayName, DisplayVersion, Publisher, PSPath',
  '| ConvertTo-Json -Compress',
].join(' ');

/**
 * Reads the script's JSON: an array, a single object when one entry matched, or nothing when none
 * did. Entries repeated across registry views (same name and version) appear once; null
 * versions and publishers stay null. At most 20 000 rows.
 */
export function parseWindowsSoftware(text: string): InstalledPackage[] {
  return uniquePackages(
    parsePowerShellJson(text).map((item) =>
      makePackage('registry', item.DisplayName, item.DisplayVersion, item.Publisher),
    ),
  );
}
