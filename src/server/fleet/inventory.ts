import { createHash } from 'node:crypto';
import type { Finding } from '../../shared/health/finding';
import type { Snapshot } from '../../shared/snapshot';

/*
 * What a snapshot puts in the fleet index (device_software, device_findings), with fingerprints so an
 * unchanged package list or finding set is not rewritten. Pure: no database.
 */

/** One installed package as indexed. */
export interface SoftwareRow {
  name: string;
  nameLower: string;
  version: string | null;
  source: string;
}

/** One finding as indexed. */
export interface FindingRow {
  code: string;
  severity: Finding['severity'];
}

/** A snapshot's index rows and their fingerprints. */
export interface DeviceInventory {
  software: SoftwareRow[];
  findings: FindingRow[];
  softwareHash: string;
  findingsHash: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The packages and findings (each code once, at its worst severity) of a snapshot, with their fingerprints. */
export function inventoryOf(
  snapshot: Snapshot,
  findings: readonly Pick<Finding, 'code' | 'severity'>[],
): DeviceInventory {
  // On every ticket submission's path: one pass and one hash, no per-package JSON or set. A package
  // listed twice is indexed twice; the fleet queries count devices and drop repeated copies.
  const software: SoftwareRow[] = [];
  let text = '';
  for (const pkg of snapshot.sections.software?.packages ?? []) {
    const name = pkg.name.trim();
    if (!name) continue;
    const version = pkg.version?.trim() || null;
    // NUL cannot occur in snapshot text (sanitized when received), so it separates the fields.
    text += `${name}\u0000${version ?? '\u0001'}\u0000${pkg.source}\n`;
    software.push({ name, nameLower: name.toLowerCase(), version, source: pkg.source });
  }
  const worst = new Map<string, FindingRow>();
  for (const f of findings) {
    const known = worst.get(f.code);
    if (!known || rank(f.severity) > rank(known.severity)) worst.set(f.code, { code: f.code, severity: f.severity });
  }
  const findingRows = [...worst.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    software,
    findings: findingRows,
    softwareHash: sha256(text),
    findingsHash: sha256(JSON.stringify(findingRows)),
  };
}

const rank = (severity: Finding['severity']) => (severity === 'critical' ? 2 : severity === 'warning' ? 1 : 0);
