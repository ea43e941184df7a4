import { deviceOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { searchArticles } from './article-search.service';
import {
  countArticleEvent,
  createArticle,
  deleteArticle,
  getArticle,
  listArticles,
  setArticleStatus,
  syncArticles,
  updateArticle,
} from './articles.service';
import { actorOf } from './content-audit';

/** Knowledge-base articles: staff CRUD and publishing; search (staff and devices), delta sync and counters for agents. */
export async function articleRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'listArticles', async (request) => listArticles(ctx, request.query));
  serve(app, ctx, 'getArticle', async (request) => getArticle(ctx, request.params.id));
  serve(app, ctx, 'createArticle', async (request, reply) =>
    reply.status(201).send(await createArticle(ctx, actorOf(request), request.body)),
  );
  serve(app, ctx, 'updateArticle', async (request) =>
    updateArticle(ctx, actorOf(request), request.params.id, request.body),
  );
  serve(app, ctx, 'deleteArticle', async (request, reply) => {
    await deleteArticle(ctx, actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });
  for (const [name, status] of [
    ['publishArticle', 'published'],
    ['unpublishArticle', 'draft'],
  ] as const) {
    serve(app, ctx, name, async (request) => setArticleStatus(ctx, actorOf(request), request.params.id, status));
  }

  serve(app, ctx, 'searchArticles', async (request) => {
    const auth = request.auth;
    const who = auth?.kind === 'device' ? { kind: 'device' as const, device: auth.device } : { kind: 'staff' as const };
    return { results: await searchArticles(ctx, who, request.query.q, request.query.limit) };
  });
  serve(app, ctx, 'syncArticles', async (request) =>
    syncArticles(ctx, deviceOf(request), request.query.since, request.query.limit),
  );
  for (const [name, kind] of [
    ['articleViewed', 'view'],
    ['articleHelped', 'helped'],
  ] as const) {
    serve(app, ctx, name, async (request, reply) => {
      await countArticleEvent(ctx, request.params.id, deviceOf(request), kind);
      return reply.status(204).send(null);
    });
  }
}
