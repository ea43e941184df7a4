import type { ServerContext } from '../context';
import type { App } from '../http/types';

/** Knowledge base articles and agent sync. */
export async function articleRoutes(_app: App, _ctx: ServerContext): Promise<void> {
  // Routes arrive with this module's implementation.
}
