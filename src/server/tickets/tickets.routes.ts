import type { ServerContext } from '../context';
import type { App } from '../http/types';

/** Device and staff ticket endpoints: create with snapshot, conversation, updates, rating. */
export async function ticketRoutes(_app: App, _ctx: ServerContext): Promise<void> {
  // Routes arrive with this module's implementation.
}
