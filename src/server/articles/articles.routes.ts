import { z } from 'zod';
import {
  articleListResponseSchema,
  articleSchema,
  createArticleRequestSchema,
  listArticlesQuerySchema,
  updateArticleRequestSchema,
} from '../../shared/api/articles';
import { apiErrorSchema } from '../../shared/api/errors';
import { requireStaff } from '../auth/guards';
import type { ServerContext } from '../context';
import type { App } from '../http/types';
import { articleAgentRoutes } from './article-agent.routes';
import {
  createArticle,
  deleteArticle,
  getArticle,
  listArticles,
  setArticleStatus,
  toArticleDto,
  updateArticle,
} from './article.store';
import { actorOf } from './content-changes';

const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema };

/** Knowledge-base articles: staff CRUD and publishing here, search, sync and counters in article-agent.routes. */
export async function articleRoutes(app: App, ctx: ServerContext): Promise<void> {
  const tags = ['articles'];

  app.get(
    '/api/v1/articles',
    {
      onRequest: requireStaff(ctx),
      schema: {
        tags,
        summary: 'List articles (staff)',
        querystring: listArticlesQuerySchema,
        response: { 200: articleListResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { rows, total } = await listArticles(ctx, request.query);
      return { articles: rows.map(toArticleDto), total, limit: request.query.limit, offset: request.query.offset };
    },
  );

  app.get(
    '/api/v1/articles/:id',
    {
      onRequest: requireStaff(ctx),
      schema: {
        tags,
        summary: 'Get an article (staff)',
        params: idParams,
        response: { 200: articleSchema, ...errors },
      },
    },
    async (request) => toArticleDto(await getArticle(ctx, request.params.id)),
  );

  app.post(
    '/api/v1/articles',
    {
      onRequest: requireStaff(ctx, 'admin'),
      schema: {
        tags,
        summary: 'Create an article (admin)',
        body: createArticleRequestSchema,
        response: { 201: articleSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(toArticleDto(await createArticle(ctx, actorOf(request), request.body))),
  );

  app.patch(
    '/api/v1/articles/:id',
    {
      onRequest: requireStaff(ctx, 'admin'),
      schema: {
        tags,
        summary: 'Change an article (admin)',
        params: idParams,
        body: updateArticleRequestSchema,
        response: { 200: articleSchema, ...errors },
      },
    },
    async (request) => toArticleDto(await updateArticle(ctx, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/articles/:id',
    {
      onRequest: requireStaff(ctx, 'admin'),
      schema: {
        tags,
        summary: 'Delete an article (admin); agents are told to drop it',
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteArticle(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  for (const [action, status] of [
    ['publish', 'published'],
    ['unpublish', 'draft'],
  ] as const) {
    app.post(
      `/api/v1/articles/:id/${action}`,
      {
        onRequest: requireStaff(ctx, 'admin'),
        schema: {
          tags,
          summary: `${action === 'publish' ? 'Publish' : 'Unpublish'} an article (admin)`,
          params: idParams,
          response: { 200: articleSchema, ...errors },
        },
      },
      async (request) => toArticleDto(await setArticleStatus(ctx, actorOf(request), request.params.id, status)),
    );
  }

  await articleAgentRoutes(app, ctx);
}
