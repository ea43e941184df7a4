import type { ServerContext } from '../context';
import type { App } from '../http/types';

/** Device inventory, snapshot history and diffs. */
export async function deviceRoutes(_app: App, _ctx: ServerContext): Promise<void> {
  // Routes arrive with this module's implementation.
}
