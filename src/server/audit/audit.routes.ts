import type { ServerContext } from '../context';
import type { App } from '../http/types';

/** The audit log (admin). */
export async function auditRoutes(_app: App, _ctx: ServerContext): Promise<void> {
  // Routes arrive with this module's implementation.
}
