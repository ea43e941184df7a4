import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { listAuditLog } from './audit.service';

/** The audit log (admin): who did what, newest first. */
export async function auditRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'listAudit', async (request) => listAuditLog(ctx, request.query));
}
