import type { ServerContext } from '../context';
import type { App } from '../http/types';

/** Announcements and agent sync. */
export async function announcementRoutes(_app: App, _ctx: ServerContext): Promise<void> {
  // Routes arrive with this module's implementation.
}
