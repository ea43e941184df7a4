import { z } from 'zod';
import { apiErrorSchema } from '../../shared/api/errors';
import {
  categorySettingsResponseSchema,
  createGroupRequestSchema,
  groupListResponseSchema,
  groupSchema,
  putCategorySettingsRequestSchema,
  updateGroupRequestSchema,
} from '../../shared/api/settings';
import { audit } from '../audit/audit.service';
import { requireStaff, staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import type { App } from '../http/types';
import { listCategorySettings, putCategorySettings } from './categories.store';
import { createGroup, deleteGroup, listGroups, updateGroup } from './groups.store';

const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema };
const security = [{ staff: [] }];

/** Support groups (tiers) and ticket-category settings: technicians read them, administrators change them (audited). */
export async function settingsRoutes(app: App, ctx: ServerContext): Promise<void> {
  const staff = requireStaff(ctx);
  const admin = requireStaff(ctx, 'admin');
  const tags = ['settings'];

  app.get(
    '/api/v1/groups',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: 'List support groups (tiers)',
        security,
        response: { 200: groupListResponseSchema, ...errors },
      },
    },
    async () => ({ groups: await listGroups(ctx.db) }),
  );

  app.post(
    '/api/v1/groups',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Create a support group (admin)',
        security,
        body: createGroupRequestSchema,
        response: { 201: groupSchema, 409: apiErrorSchema, ...errors },
      },
    },
    async (request, reply) => {
      const group = await createGroup(ctx.db, request.body, ctx.now());
      await audit(ctx, {
        actorType: 'staff',
        actorId: staffOf(request).id,
        action: 'group.create',
        targetType: 'group',
        targetId: group.id,
        details: { name: group.name, tier: group.tier },
        ip: request.ip,
      });
      return reply.status(201).send(group);
    },
  );

  app.patch(
    '/api/v1/groups/:id',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Change a support group (admin); a rename carries over to its staff and tickets',
        security,
        params: idParams,
        body: updateGroupRequestSchema,
        response: { 200: groupSchema, 404: apiErrorSchema, 409: apiErrorSchema, ...errors },
      },
    },
    async (request) => {
      const { group, renamedFrom } = await updateGroup(ctx.db, request.params.id, request.body, ctx.now());
      const details = {
        fields: Object.keys(request.body),
        ...(renamedFrom !== null ? { renamedFrom, renamedTo: group.name } : {}),
      };
      await audit(ctx, {
        actorType: 'staff',
        actorId: staffOf(request).id,
        action: 'group.update',
        targetType: 'group',
        targetId: group.id,
        details,
        ip: request.ip,
      });
      return group;
    },
  );

  app.delete(
    '/api/v1/groups/:id',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Delete a support group nobody is in (admin)',
        security,
        params: idParams,
        response: { 204: z.null(), 404: apiErrorSchema, 409: apiErrorSchema, ...errors },
      },
    },
    async (request, reply) => {
      const removed = await deleteGroup(ctx.db, request.params.id);
      await audit(ctx, {
        actorType: 'staff',
        actorId: staffOf(request).id,
        action: 'group.delete',
        targetType: 'group',
        targetId: removed.id,
        details: { name: removed.name },
        ip: request.ip,
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/settings/categories',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: 'Ticket categories with their labels and whether each is offered',
        security,
        response: { 200: categorySettingsResponseSchema, ...errors },
      },
    },
    async () => ({ categories: await listCategorySettings(ctx.db) }),
  );

  app.put(
    '/api/v1/settings/categories',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Change the label or availability of ticket categories (admin); unlisted ones stay as they are',
        security,
        body: putCategorySettingsRequestSchema,
        response: { 200: categorySettingsResponseSchema, 422: apiErrorSchema, ...errors },
      },
    },
    async (request) => {
      const categories = await putCategorySettings(ctx.db, request.body.categories, ctx.now());
      await audit(ctx, {
        actorType: 'staff',
        actorId: staffOf(request).id,
        action: 'settings.categories.update',
        targetType: 'settings',
        targetId: 'categories',
        details: { changes: request.body.categories },
        ip: request.ip,
      });
      return { categories };
    },
  );
}
