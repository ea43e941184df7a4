/*
 * The finding codes as plain data, with no zod: the console's article editor offers them without
 * loading the schema library. src/shared/health/finding.ts builds its schema from them.
 */

/** Stable codes of health findings; articles declare which codes they fix. */
export const FINDING_CODES = [
  'disk.almost_full',
  'disk.smart_failing',
  'memory.pressure',
  'battery.worn',
  'uptime.long',
  'network.no_gateway',
  'network.dns_failing',
  'network.server_unreachable',
  'network.url_unreachable',
  'services.failed',
  'cpu.hog',
  'reboot.pending',
  'events.recent_crashes',
  'security.firewall_off',
  'security.disk_unencrypted',
  'security.antivirus_off',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

/** How bad a finding is. */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Severity order for sorting: most severe first. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };
