import { z } from 'zod';

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

export const findingCodeSchema = z.enum(FINDING_CODES);
export type FindingCode = z.infer<typeof findingCodeSchema>;

export const severitySchema = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof severitySchema>;

/** Severity order for sorting: most severe first. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export const findingSchema = z.object({
  code: findingCodeSchema,
  severity: severitySchema,
  title: z.string().max(200),
  /** What in the snapshot triggered it, in words a technician can verify. */
  evidence: z.string().max(1000),
  /** Self-help article tags that address it. */
  articleTags: z.array(z.string().max(64)).max(16),
});
export type Finding = z.infer<typeof findingSchema>;
