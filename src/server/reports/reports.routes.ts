import type { ServerContext } from '../context';
import type { App } from '../http/types';

/** Reports for IT. */
export async function reportRoutes(_app: App, _ctx: ServerContext): Promise<void> {
  // Routes arrive with this module's implementation.
}
