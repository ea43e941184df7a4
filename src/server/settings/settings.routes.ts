import { audit } from '../audit/audit.service';
import { staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { listCategorySettings, putCategorySettings } from './categories.service';
import { createGroup, deleteGroup, listGroups, updateGroup } from './groups.service';

/** Support groups (tiers) and ticket-category settings: technicians read them, administrators change them (audited). */
export async function settingsRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'listGroups', async () => ({ groups: await listGroups(ctx.db) }));

  serve(app, ctx, 'createGroup', async (request, reply) => {
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
  });

  serve(app, ctx, 'updateGroup', async (request) => {
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
  });

  serve(app, ctx, 'deleteGroup', async (request, reply) => {
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
  });

  serve(app, ctx, 'getCategories', async () => ({ categories: await listCategorySettings(ctx.db) }));

  serve(app, ctx, 'replaceCategories', async (request) => {
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
  });
}
