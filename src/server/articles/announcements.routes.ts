import { z } from 'zod';
import {
  announcementListResponseSchema,
  announcementSchema,
  announcementSyncResponseSchema,
  createAnnouncementRequestSchema,
  listAnnouncementsQuerySchema,
  syncQuerySchema,
  updateAnnouncementRequestSchema,
  type AgentAnnouncementDto,
} from '../../shared/api/articles';
import { apiErrorSchema } from '../../shared/api/errors';
import { deviceOf, requireDevice, requireStaff } from '../auth/guards';
import type { ServerContext } from '../context';
import type { App } from '../http/types';
import { logPassedBoundaries } from './announcement-schedule';
import {
  createAnnouncement,
  deleteAnnouncement,
  getAnnouncement,
  isActive,
  listAnnouncements,
  loadAnnouncements,
  setAnnouncementStatus,
  toAgentAnnouncementDto,
  toAnnouncementDto,
  updateAnnouncement,
  type AnnouncementRow,
} from './announcement.store';
import { actorOf } from './content-changes';
import { parseCursor, readSyncPage, type SyncSource } from './sync.service';
import { isTargetedAt } from './targeting';

const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema };

/** Announcements ("mail is down"): staff CRUD and publishing, and delta sync to agents. */
export async function announcementRoutes(app: App, ctx: ServerContext): Promise<void> {
  const tags = ['announcements'];

  app.get(
    '/api/v1/announcements',
    {
      onRequest: requireStaff(ctx),
      schema: {
        tags,
        summary: 'List announcements (staff)',
        querystring: listAnnouncementsQuerySchema,
        response: { 200: announcementListResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { rows, total } = await listAnnouncements(ctx, request.query);
      const now = ctx.now();
      return {
        announcements: rows.map((r) => toAnnouncementDto(r, now)),
        total,
        limit: request.query.limit,
        offset: request.query.offset,
      };
    },
  );

  app.get(
    '/api/v1/announcements/sync',
    {
      onRequest: requireDevice(ctx),
      schema: {
        tags,
        summary: 'Delta sync of the active announcements for this device (device)',
        querystring: syncQuerySchema,
        response: { 200: announcementSyncResponseSchema, ...errors },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      const since = parseCursor(request.query.since);
      const now = ctx.now();
      await logPassedBoundaries(ctx, now);
      const source: SyncSource<AnnouncementRow, AgentAnnouncementDto> = {
        entity: 'announcement',
        load: (ids) => loadAnnouncements(ctx, ids),
        visible: (row) => isActive(row, now) && isTargetedAt(row, device),
        toItem: toAgentAnnouncementDto,
      };
      const page = await readSyncPage(ctx, source, since, request.query.limit);
      return { cursor: page.cursor, announcements: page.items, deleted: page.deleted, hasMore: page.hasMore };
    },
  );

  app.get(
    '/api/v1/announcements/:id',
    {
      onRequest: requireStaff(ctx),
      schema: {
        tags,
        summary: 'Get an announcement (staff)',
        params: idParams,
        response: { 200: announcementSchema, ...errors },
      },
    },
    async (request) => toAnnouncementDto(await getAnnouncement(ctx, request.params.id), ctx.now()),
  );

  app.post(
    '/api/v1/announcements',
    {
      onRequest: requireStaff(ctx, 'admin'),
      schema: {
        tags,
        summary: 'Create an announcement (admin)',
        body: createAnnouncementRequestSchema,
        response: { 201: announcementSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(toAnnouncementDto(await createAnnouncement(ctx, actorOf(request), request.body), ctx.now())),
  );

  app.patch(
    '/api/v1/announcements/:id',
    {
      onRequest: requireStaff(ctx, 'admin'),
      schema: {
        tags,
        summary: 'Change an announcement (admin)',
        params: idParams,
        body: updateAnnouncementRequestSchema,
        response: { 200: announcementSchema, ...errors },
      },
    },
    async (request) =>
      toAnnouncementDto(await updateAnnouncement(ctx, actorOf(request), request.params.id, request.body), ctx.now()),
  );

  app.delete(
    '/api/v1/announcements/:id',
    {
      onRequest: requireStaff(ctx, 'admin'),
      schema: {
        tags,
        summary: 'Delete an announcement (admin); agents are told to drop it',
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteAnnouncement(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  for (const [action, status] of [
    ['publish', 'published'],
    ['unpublish', 'draft'],
  ] as const) {
    app.post(
      `/api/v1/announcements/:id/${action}`,
      {
        onRequest: requireStaff(ctx, 'admin'),
        schema: {
          tags,
          summary: `${action === 'publish' ? 'Publish' : 'Unpublish'} an announcement (admin)`,
          params: idParams,
          response: { 200: announcementSchema, ...errors },
        },
      },
      async (request) =>
        toAnnouncementDto(await setAnnouncementStatus(ctx, actorOf(request), request.params.id, status), ctx.now()),
    );
  }
}
