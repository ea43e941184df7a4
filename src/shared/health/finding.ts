import { z } from 'zod';
import { FINDING_CODES, SEVERITIES, SEVERITY_RANK } from '../finding-codes';

export { FINDING_CODES, SEVERITY_RANK };

export const findingCodeSchema = z.enum(FINDING_CODES);
export type FindingCode = z.infer<typeof findingCodeSchema>;

export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

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
