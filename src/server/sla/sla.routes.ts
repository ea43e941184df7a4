import type { ServerContext } from '../context';
import type { App } from '../http/types';

/** SLA policies and escalation rules. */
export async function slaRoutes(_app: App, _ctx: ServerContext): Promise<void> {
  // Routes arrive with this module's implementation.
}
