import { z } from 'zod';
import { text } from '../text/text-schema';
import { endpointGroup } from './endpoint';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Largest page of the audit log one request returns. */
export const AUDIT_PAGE_MAX = 200;

/** GET /api/v1/audit query: keyset pages (before = the last id seen), newest first. */
export const auditQuerySchema = z.object({
  before: id.optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
  /** Action prefix, e.g. "device." or "enroll_secret.create". */
  action: text()
    .regex(/^[a-z0-9_.]{1,64}$/, 'must be an action prefix like "device."')
    .optional(),
  /** A staff user id, or "system" / "cli". */
  actor: z.union([z.enum(['system', 'cli']), id]).optional(),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.object({ type: z.enum(['staff', 'system', 'cli']), id: z.string().nullable(), name: z.string().nullable() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});
export type AuditEntryDto = z.infer<typeof auditEntrySchema>;

export const auditResponseSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next page; null on the last page. */
  nextBefore: z.number().nullable(),
});
export type AuditPage = z.infer<typeof auditResponseSchema>;

export const auditEndpoints = endpointGroup('audit', {
  listAudit: {
    summary: 'The audit log, newest first (admin)',
    query: auditQuerySchema,
    responses: { 200: auditResponseSchema },
  },
});
