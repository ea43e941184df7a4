import type { AuditPage, AuditQuery } from '../../shared/api/audit';
import { selectStaffNames } from '../auth/staff.repo';
import type { ServerContext } from '../context';
import { parseJsonObject } from '../db/json-columns';
import { insertAuditRow, selectAuditRows } from './audit.repo';

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
  await insertAuditRow(ctx.db.kysely, {
    at: ctx.now(),
    actor_type: entry.actorType,
    actor_id: entry.actorId === null ? null : String(entry.actorId),
    action: entry.action,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId === undefined ? null : String(entry.targetId),
    details: JSON.stringify(entry.details ?? {}),
    ip: entry.ip ?? null,
  });
}

/** One page of the audit log, newest first, with staff actors named. */
export async function listAuditLog(ctx: Pick<ServerContext, 'db'>, query: AuditQuery): Promise<AuditPage> {
  const { before, limit, action, actor } = query;
  // One extra row tells whether another page exists without a count.
  const rows = await selectAuditRows(
    ctx.db.kysely,
    {
      before,
      actionPrefix: action,
      actor:
        actor === undefined ? undefined : typeof actor === 'number' ? { type: 'staff', id: actor } : { type: actor },
    },
    limit + 1,
  );
  const page = rows.slice(0, limit);
  const staffIds = new Set(
    page.filter((r) => r.actor_type === 'staff' && /^\d+$/.test(r.actor_id ?? '')).map((r) => Number(r.actor_id)),
  );
  const names = await selectStaffNames(ctx.db.kysely, [...staffIds]);
  return {
    entries: page.map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      actor: {
        type: r.actor_type,
        id: r.actor_id,
        name: r.actor_type === 'staff' && r.actor_id ? (names.get(Number(r.actor_id)) ?? null) : null,
      },
      action: r.action,
      target: r.target_type === null ? null : { type: r.target_type, id: r.target_id },
      details: parseJsonObject(r.details),
      ip: r.ip,
    })),
    nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
