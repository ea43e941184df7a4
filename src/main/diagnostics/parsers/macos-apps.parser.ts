import type { InstalledPackage } from '../../../shared/snapshot/snapshot';
import type { CommandSpec } from './parse-utils';
import { isRecord, makePackage, stripBom, uniquePackages } from './parse-utils';

/** The inventory parseSystemProfilerApps reads (JSON output exists since macOS 10.15). */
export const SYSTEM_PROFILER_APPS_COMMAND: CommandSpec = ['system_profiler', ['SPApplicationsDataType', '-json']];

/** Converts a binary Info.plist to XML on stdout, for when parseInfoPlist returns null. */
export function plutilToXmlCommand(plistPath: string): CommandSpec {
  return ['plutil', ['-convert', 'xml1', '-o', '-', plistPath]];
}

/**
 * Reads an app bundle's Info.plist (XML property list). Name: CFBundleDisplayName, then
 * CFBundleName, then the bundle file name without ".app"; version: CFBundleShortVersionString,
 * then CFBundleVersion. Null for binary plists ("bplist00…") and for text that is not a plist dict.
 */
export function parseInfoPlist(xml: string, bundleFileName: string): InstalledPackage | null {
  const text = stripBom(xml);
  if (text.startsWith('bplist')) return null;
  const keys = topLevelStrings(text);
  if (keys === null) return null;
  const fileName = bundleFileName.slice(bundleFileName.lastIndexOf('/') + 1).replace(/\.app\/?$/i, '');
  const pick = (...names: string[]): string | null => {
    for (const name of names) {
      const value = keys.get(name)?.trim();
      if (value) return value;
    }
    return null;
  };
  const name = pick('CFBundleDisplayName', 'CFBundleName') ?? fileName;
  return makePackage('applications', name, pick('CFBundleShortVersionString', 'CFBundleVersion'), null);
}

/**
 * String values of the root dict, found with a linear tag scan (no XML library, no regex over
 * the whole document). Null when there is no root <dict>.
 */
function topLevelStrings(text: string): Map<string, string> | null {
  const values = new Map<string, string>();
  let depth = 0;
  let sawRoot = false;
  let key: string | null = null;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      i = skipPast(text, '-->', lt);
      continue;
    }
    const gt = text.indexOf('>', lt);
    if (gt < 0) break;
    const raw = text.slice(lt + 1, gt).trim();
    i = gt + 1;
    if (raw[0] === '?' || raw[0] === '!') continue; // <?xml …?>, <!DOCTYPE …>
    const closing = raw[0] === '/';
    const empty = raw.endsWith('/');
    const tag =
      raw
        .replace(/^\/|\/$/g, '')
        .trim()
        .split(/\s/, 1)[0] ?? '';

    if (tag === 'dict' || tag === 'array') {
      if (empty) {
        if (depth === 1) key = null;
        continue;
      }
      if (closing) {
        depth--;
        if (depth === 0 && sawRoot) return values;
        continue;
      }
      if (depth === 0) {
        if (tag !== 'dict') return null;
        sawRoot = true;
      } else if (depth === 1) {
        key = null; // a nested container is the value of the pending key
      }
      depth++;
      continue;
    }
    if (closing || tag === 'plist') continue;

    // A scalar element: read its text up to the matching close tag.
    let content = '';
    if (!empty) {
      const close = text.indexOf(`</${tag}>`, i);
      if (close < 0) break;
      content = text.slice(i, close);
      i = close + tag.length + 3;
    }
    if (depth !== 1) continue;
    if (tag === 'key') {
      key = decodeEntities(content);
    } else {
      if (key !== null && tag === 'string') values.set(key, decodeEntities(content));
      key = null;
    }
  }
  return sawRoot ? values : null;
}

function skipPast(text: string, marker: string, from: number): number {
  const at = text.indexOf(marker, from);
  return at < 0 ? text.length : at + marker.length;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric character references. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * Reads `system_profiler SPApplicationsDataType -json`: items with _name, version, obtained_from
 * and signed_by (the certificate chain, leaf first). The publisher is the organisation in the
 * leaf certificate ("Developer ID Application: Slack Technologies, Inc. (BQR82RBBHL)" gives
 * "Slack Technologies, Inc."), else obtained_from ("apple", "mac_app_store", …; "unknown" is null). At most 20 000 rows.
 */
export function parseSystemProfilerApps(json: string): InstalledPackage[] {
  let root: unknown;
  try {
    root = JSON.parse(stripBom(json));
  } catch {
    return [];
  }
  const items = isRecord(root) ? root.SPApplicationsDataType : undefined;
  if (!Array.isArray(items)) return [];
  return uniquePackages(
    items.filter(isRecord).map((item) => {
      const chain = Array.isArray(item.signed_by) ? item.signed_by : [];
      // "unknown" is system_profiler saying it could not tell, not a publisher's name.
      const obtained = item.obtained_from === 'unknown' ? null : item.obtained_from;
      const publisher = organisation(chain[0]) ?? obtained;
      return makePackage('applications', item._name, item.version, publisher);
    }),
  );
}

function organisation(authority: unknown): string | null {
  if (typeof authority !== 'string') return null;
  // Apple's own signing identities ("Software Signing") carry no "<kind>: <name>" part.
  const colon = authority.indexOf(': ');
  if (colon < 0) return null;
  const name = authority.slice(colon + 2).trim();
  // Drop the ten-character team identifier Apple appends in parentheses.
  const team = name.lastIndexOf(' (');
  const org = team > 0 && /^ \([A-Z0-9]{10}\)$/.test(name.slice(team)) ? name.slice(0, team) : name;
  return org === '' ? null : org;
}
