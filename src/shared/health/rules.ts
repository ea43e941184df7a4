import type { Snapshot } from '../snapshot';
import type { Finding, FindingCode } from './finding';
import { FINDING_CODES, SEVERITY_RANK } from '../finding-codes';
import { batteryWorn, cpuHog, diskAlmostFull, diskSmartFailing, memoryPressure } from './hardware.rules';
import { dnsFailing, noGateway, serverUnreachable, urlUnreachable } from './network.rules';
import type { HealthRule, HealthThresholds } from './rule';
import { clip, DEFAULT_THRESHOLDS } from './rule';
import { antivirusOff, diskUnencrypted, firewallOff } from './security.rules';
import { rebootPending, recentCrashes, servicesFailed, uptimeLong } from './system.rules';

export type { HealthRule, HealthThresholds, RuleHit } from './rule';
export { DEFAULT_THRESHOLDS } from './rule';
export { isCrashEvent } from './system.rules';
export { isUserFilesystem } from './hardware.rules';

/** Exactly one rule per finding code; the mapped type makes a missing or extra rule a compile error. */
const RULES_BY_CODE: { [C in FindingCode]: HealthRule<C> } = {
  'disk.almost_full': diskAlmostFull,
  'disk.smart_failing': diskSmartFailing,
  'memory.pressure': memoryPressure,
  'battery.worn': batteryWorn,
  'uptime.long': uptimeLong,
  'network.no_gateway': noGateway,
  'network.dns_failing': dnsFailing,
  'network.server_unreachable': serverUnreachable,
  'network.url_unreachable': urlUnreachable,
  'services.failed': servicesFailed,
  'cpu.hog': cpuHog,
  'reboot.pending': rebootPending,
  'events.recent_crashes': recentCrashes,
  'security.firewall_off': firewallOff,
  'security.disk_unencrypted': diskUnencrypted,
  'security.antivirus_off': antivirusOff,
};

/** Every health rule, in FINDING_CODES order. */
export const HEALTH_RULES: readonly HealthRule[] = FINDING_CODES.map((code) => RULES_BY_CODE[code]);

// Limits of findingSchema; evidence quotes probe text, so it is bounded here, not trusted.
const MAX_TITLE = 200;
const MAX_EVIDENCE = 1000;

/** Runs every rule over a snapshot; findings come most severe first, then by code. */
export function evaluateHealth(snapshot: Snapshot, thresholds: HealthThresholds = DEFAULT_THRESHOLDS): Finding[] {
  const findings: Finding[] = [];
  for (const rule of HEALTH_RULES) {
    for (const hit of rule.evaluate(snapshot, thresholds)) {
      findings.push({
        code: rule.code,
        severity: hit.severity,
        title: clip(rule.title, MAX_TITLE),
        evidence: clip(hit.evidence, MAX_EVIDENCE),
        articleTags: [...rule.articleTags],
      });
    }
  }
  // Array.prototype.sort is stable, so hits of one rule keep the rule's own order (e.g. by mount).
  return findings.sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
