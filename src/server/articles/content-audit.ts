import type { FastifyRequest } from 'fastify';
import { audit, type AuditEntry } from '../audit/audit.service';
import { staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import type { Trx } from './content-changes.repo';

/** The staff member and address behind a content write, for the audit log. */
export interface Actor {
  staffId: number;
  ip: string | null;
}

/** The actor of a request that passed the staff guard. */
export function actorOf(request: FastifyRequest): Actor {
  return { staffId: staffOf(request).id, ip: request.ip };
}

/** Writes an audit entry inside the content transaction, so no write goes unaudited. */
export async function auditIn(trx: Trx, ctx: Pick<ServerContext, 'db' | 'now'>, entry: AuditEntry): Promise<void> {
  await audit({ db: { ...ctx.db, kysely: trx }, now: ctx.now }, entry);
}
