import { sql, type ExpressionBuilder } from 'kysely';
import { z } from 'zod';
import { text } from '../../shared/text/text-schema';
import { apiErrorSchema } from '../../shared/api/errors';
import { requireStaff } from '../auth/guards';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import type { App } from '../http/types';
import { parseJsonObject } from '../db/json-columns';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** GET /api/v1/audit query: keyset pages (before = the last id seen), newest first. */
const auditQuerySchema = z.object({
  before: id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Action prefix, e.g. "device." or "enroll_secret.create". */
  action: text()
    .regex(/^[a-z0-9_.]{1,64}$/, 'must be an action prefix like "device."')
    .optional(),
  /** A staff user id, or "system" / "cli". */
  actor: z.union([z.enum(['system', 'cli']), id]).optional(),
});

const auditEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.object({ type: z.enum(['staff', 'system', 'cli']), id: z.string().nullable(), name: z.string().nullable() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});

const auditResponseSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next page; null on the last page. */
  nextBefore: z.number().nullable(),
});

/** The audit log (admin): who did what, newest first. */
export async function auditRoutes(app: App, ctx: ServerContext): Promise<void> {
  app.get(
    '/api/v1/audit',
    {
      onRequest: requireStaff(ctx, 'admin'),
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first (admin)',
        security: [{ staff: [] }],
        querystring: auditQuerySchema,
        response: { 200: auditResponseSchema, 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema },
      },
    },
    async (request) => {
      const { before, limit, action, actor } = request.query;
      const filters = (eb: ExpressionBuilder<Database, 'audit_log'>) =>
        eb.and([
          ...(before ? [eb('id', '<', before)] : []),
          // The prefix is [a-z0-9_.] only, so only "_" needs escaping for LIKE.
          ...(action ? [sql<boolean>`action like ${`${action.replace(/_/g, '!_')}%`} escape '!'`] : []),
          ...(actor === undefined
            ? []
            : typeof actor === 'number'
              ? [eb('actor_type', '=', 'staff'), eb('actor_id', '=', String(actor))]
              : [eb('actor_type', '=', actor)]),
        ]);
      // One extra row tells whether another page exists without a count.
      const rows = await ctx.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where(filters)
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);

      const staffIds = [
        ...new Set(
          page.filter((r) => r.actor_type === 'staff' && /^\d+$/.test(r.actor_id ?? '')).map((r) => Number(r.actor_id)),
        ),
      ];
      const staff = staffIds.length
        ? await ctx.db.kysely.selectFrom('staff_users').select(['id', 'name']).where('id', 'in', staffIds).execute()
        : [];
      const names = new Map(staff.map((s) => [String(s.id), s.name]));

      return {
        entries: page.map((r) => ({
          id: r.id,
          at: new Date(r.at).toISOString(),
          actor: {
            type: r.actor_type,
            id: r.actor_id,
            name: r.actor_type === 'staff' && r.actor_id ? (names.get(r.actor_id) ?? null) : null,
          },
          action: r.action,
          target: r.target_type === null ? null : { type: r.target_type, id: r.target_id },
          details: parseJsonObject(r.details),
          ip: r.ip,
        })),
        nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  );
}
