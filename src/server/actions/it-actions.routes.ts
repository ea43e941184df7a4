import { staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import {
  auditAdminDenial,
  getItCatalog,
  removeEntry,
  removeScript,
  savePackage,
  saveScript,
  saveService,
} from './it-actions.service';

/** IT's allow-lists and scripts: technicians read them, IT admins change them (a technician's try is audited). */
export async function itActionRoutes(app: App, ctx: ServerContext): Promise<void> {
  const adminOnly = { beforeGuard: [auditAdminDenial(ctx)] };
  const actor = (request: Parameters<typeof staffOf>[0]) => ({ staff: staffOf(request), ip: request.ip });

  serve(app, ctx, 'getItCatalog', async () => getItCatalog(ctx));

  serve(
    app,
    ctx,
    'putItService',
    async (request, reply) => {
      const { entry, created } = await saveService(ctx, actor(request), request.params.id, request.body);
      return reply.status(created ? 201 : 200).send(entry);
    },
    adminOnly,
  );
  serve(
    app,
    ctx,
    'deleteItService',
    async (request, reply) => {
      await removeEntry(ctx, actor(request), 'service', request.params.id);
      return reply.status(204).send(null);
    },
    adminOnly,
  );

  serve(
    app,
    ctx,
    'putItPackage',
    async (request, reply) => {
      const { entry, created } = await savePackage(ctx, actor(request), request.params.id, request.body);
      return reply.status(created ? 201 : 200).send(entry);
    },
    adminOnly,
  );
  serve(
    app,
    ctx,
    'deleteItPackage',
    async (request, reply) => {
      await removeEntry(ctx, actor(request), 'package', request.params.id);
      return reply.status(204).send(null);
    },
    adminOnly,
  );

  serve(
    app,
    ctx,
    'putItScript',
    async (request, reply) => {
      const { script, created } = await saveScript(ctx, actor(request), request.params.slug, request.body);
      return reply.status(created ? 201 : 200).send(script);
    },
    adminOnly,
  );
  serve(
    app,
    ctx,
    'deleteItScript',
    async (request, reply) => {
      await removeScript(ctx, actor(request), request.params.slug);
      return reply.status(204).send(null);
    },
    adminOnly,
  );
}
