import { deviceOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import {
  createAnnouncement,
  deleteAnnouncement,
  getAnnouncement,
  listAnnouncements,
  setAnnouncementStatus,
  syncAnnouncements,
  updateAnnouncement,
} from './announcements.service';
import { actorOf } from './content-audit';

/** Announcements ("mail is down"): staff CRUD and publishing, and delta sync to agents. */
export async function announcementRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'listAnnouncements', async (request) => listAnnouncements(ctx, request.query));
  serve(app, ctx, 'syncAnnouncements', async (request) =>
    syncAnnouncements(ctx, deviceOf(request), request.query.since, request.query.limit),
  );
  serve(app, ctx, 'getAnnouncement', async (request) => getAnnouncement(ctx, request.params.id));
  serve(app, ctx, 'createAnnouncement', async (request, reply) =>
    reply.status(201).send(await createAnnouncement(ctx, actorOf(request), request.body)),
  );
  serve(app, ctx, 'updateAnnouncement', async (request) =>
    updateAnnouncement(ctx, actorOf(request), request.params.id, request.body),
  );
  serve(app, ctx, 'deleteAnnouncement', async (request, reply) => {
    await deleteAnnouncement(ctx, actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });
  for (const [name, status] of [
    ['publishAnnouncement', 'published'],
    ['unpublishAnnouncement', 'draft'],
  ] as const) {
    serve(app, ctx, name, async (request) => setAnnouncementStatus(ctx, actorOf(request), request.params.id, status));
  }
}
