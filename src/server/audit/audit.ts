import type { ServerContext } from '../context';

export interface AuditEntry {
  actorType: 'staff' | 'system' | 'cli';
  actorId: string | number | null;
  action: string;
  targetType?: string;
  targetId?: string | number;
  details?: Record<string, unknown>;
  ip?: string | null;
}

/** Appends one staff or system action to the audit log. */
export async function audit(ctx: Pick<ServerContext, 'db' | 'now'>, entry: AuditEntry): Promise<void> {
  await ctx.db.kysely
    .insertInto('audit_log')
    .values({
      at: ctx.now(),
      actor_type: entry.actorType,
      actor_id: entry.actorId === null ? null : String(entry.actorId),
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId === undefined ? null : String(entry.targetId),
      details: JSON.stringify(entry.details ?? {}),
      ip: entry.ip ?? null,
    })
    .execute();
}
