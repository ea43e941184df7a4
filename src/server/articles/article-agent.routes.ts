import { z } from 'zod';
import {
  articleSearchResponseSchema,
  articleSyncResponseSchema,
  searchArticlesQuerySchema,
  syncQuerySchema,
} from '../../shared/api/articles';
import { apiErrorSchema } from '../../shared/api/errors';
import { deviceOf, requireDevice, requireDeviceOrStaff } from '../auth/guards';
import type { ServerContext } from '../context';
import { notFound } from '../errors';
import type { App } from '../http/types';
import { searchArticles } from './article-search';
import { loadArticles, toAgentArticleDto, type ArticleRow } from './article.store';
import { parseCursor, readSyncPage, type SyncSource } from './sync.service';
import { isTargetedAt } from './targeting';

const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema };

/** Article routes agents use: search (staff too), delta sync, and the view/helped counters. */
export async function articleAgentRoutes(app: App, ctx: ServerContext): Promise<void> {
  const tags = ['articles'];

  app.get(
    '/api/v1/articles/search',
    {
      onRequest: requireDeviceOrStaff(ctx),
      schema: {
        tags,
        summary: 'Full-text search; devices see only published articles targeted at them',
        querystring: searchArticlesQuerySchema,
        response: { 200: articleSearchResponseSchema, ...errors },
      },
    },
    async (request) => {
      const auth = request.auth;
      const who =
        auth?.kind === 'device' ? { kind: 'device' as const, device: auth.device } : { kind: 'staff' as const };
      return { results: await searchArticles(ctx, who, request.query.q, request.query.limit) };
    },
  );

  app.get(
    '/api/v1/articles/sync',
    {
      onRequest: requireDevice(ctx),
      schema: {
        tags,
        summary: 'Delta sync of the articles this device may see (device)',
        querystring: syncQuerySchema,
        response: { 200: articleSyncResponseSchema, ...errors },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      const source: SyncSource<ArticleRow, ReturnType<typeof toAgentArticleDto>> = {
        entity: 'article',
        load: (ids) => loadArticles(ctx, ids),
        visible: (row) => row.deleted_at === null && row.status === 'published' && isTargetedAt(row, device),
        toItem: toAgentArticleDto,
      };
      const page = await readSyncPage(ctx, source, parseCursor(request.query.since), request.query.limit);
      return { cursor: page.cursor, articles: page.items, deleted: page.deleted, hasMore: page.hasMore };
    },
  );

  for (const kind of ['view', 'helped'] as const) {
    app.post(
      `/api/v1/articles/:id/${kind}`,
      {
        onRequest: requireDevice(ctx),
        schema: {
          tags,
          summary:
            kind === 'view'
              ? 'The employee opened the article (device)'
              : 'The article solved the problem (device); counted once per device',
          params: idParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await countArticleEvent(ctx, request.params.id, deviceOf(request), kind);
        return reply.status(204).send(null);
      },
    );
  }
}

/** Counts a view or a "this helped" for the deflection report; unknown or invisible articles are 404. */
async function countArticleEvent(
  ctx: ServerContext,
  id: number,
  device: ReturnType<typeof deviceOf>,
  kind: 'view' | 'helped',
): Promise<void> {
  const now = ctx.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('articles')
      .select(['id', 'status', 'deleted_at', 'target_os', 'target_groups'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || row.deleted_at !== null || row.status !== 'published' || !isTargetedAt(row, device))
      throw notFound('Article');
    if (kind === 'helped') {
      // One vote per device: pressing "this helped" twice must not inflate the deflection report.
      const seen = await trx
        .selectFrom('article_events')
        .select('id')
        .where('article_id', '=', id)
        .where('device_id', '=', device.id)
        .where('kind', '=', 'helped')
        .executeTakeFirst();
      if (seen) return;
    }
    await trx
      .updateTable('articles')
      .set((eb) => (kind === 'view' ? { views: eb('views', '+', 1) } : { helped: eb('helped', '+', 1) }))
      .where('id', '=', id)
      .execute();
    await trx.insertInto('article_events').values({ article_id: id, device_id: device.id, kind, at: now }).execute();
  });
}
