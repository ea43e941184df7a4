import type { ServerContext } from '../context';
import type { App } from '../http/types';

/** Staff queue, ticket updates, escalation. */
export async function queueRoutes(_app: App, _ctx: ServerContext): Promise<void> {
  // Routes arrive with this module's implementation.
}
