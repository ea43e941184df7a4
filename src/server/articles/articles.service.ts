import type { z } from 'zod';
import type { AgentArticleDto, ArticleDto, ArticleSyncResponse, ContentStatus } from '../../shared/api/articles';
import type {
  createArticleRequestSchema,
  listArticlesQuerySchema,
  updateArticleRequestSchema,
} from '../../shared/api/content-admin';
import type { DeviceIdentity } from '../auth/guards';
import type { ServerContext } from '../context';
import { parseFindingCodes, parseStringArray } from '../db/json-columns';
import { notFound } from '../errors';
import {
  hasHelpedVote,
  insertArticle,
  insertArticleEvent,
  selectArticlePage,
  selectArticlesByIds,
  selectArticleVisibility,
  selectLiveArticle,
  softDeleteArticle,
  updateArticleRow,
  type ArticleRow,
} from './articles.repo';
import { auditIn, type Actor } from './content-audit';
import { insertContentChange } from './content-changes.repo';
import { writeContent } from './content-writes';
import { buildSearchText } from './markdown-text';
import { parseSearchTerms } from './search-query';
import { parseCursor, readSyncPage } from './sync.service';
import { isTargetedAt } from './targeting';

/*
 * Knowledge-base articles: rows ↔ API shapes, and every write as one transaction with its sync-log
 * and audit entries. Search is in article-search.service.ts.
 */

export type { ArticleRow } from './articles.repo';

type Ctx = Pick<ServerContext, 'db' | 'now' | 'bus'>;
type CreateInput = z.output<typeof createArticleRequestSchema>;
type UpdateInput = z.output<typeof updateArticleRequestSchema>;
type ListQuery = z.output<typeof listArticlesQuerySchema>;

const iso = (ms: number) => new Date(ms).toISOString();

/** The staff view of a row. */
export function toArticleDto(row: ArticleRow): ArticleDto {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    tags: parseStringArray(row.tags),
    findingCodes: parseFindingCodes(row.finding_codes),
    targeting: {
      os: parseStringArray(row.target_os) as ArticleDto['targeting']['os'],
      groups: parseStringArray(row.target_groups),
    },
    status: row.status,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    publishedAt: row.published_at === null ? null : iso(row.published_at),
    views: row.views,
    helped: row.helped,
  };
}

/** The agent's view of a row. */
export function toAgentArticleDto(row: ArticleRow): AgentArticleDto {
  const { id, title, body, tags, findingCodes, updatedAt, publishedAt } = toArticleDto(row);
  return { id, title, body, tags, findingCodes, updatedAt, publishedAt };
}

/** A live (not deleted) article, or 404. */
export async function getArticle(ctx: Pick<ServerContext, 'db'>, id: number): Promise<ArticleDto> {
  const row = await selectLiveArticle(ctx.db.kysely, id);
  if (!row) throw notFound('Article');
  return toArticleDto(row);
}

/** Staff list: live articles, most recently changed first, with the total for paging. */
export async function listArticles(ctx: Pick<ServerContext, 'db'>, query: ListQuery) {
  const { rows, total } = await selectArticlePage(ctx.db, {
    status: query.status,
    tag: query.tag,
    finding: query.finding,
    terms: query.q === undefined ? null : parseSearchTerms(query.q),
    limit: query.limit,
    offset: query.offset,
  });
  return { articles: rows.map(toArticleDto), total, limit: query.limit, offset: query.offset };
}

/** Creates an article (draft unless asked otherwise). */
export async function createArticle(ctx: Ctx, actor: Actor, input: CreateInput): Promise<ArticleDto> {
  const now = ctx.now();
  return writeContent(ctx, 'articles', async (trx) => {
    const row = await insertArticle(trx, {
      title: input.title,
      body: input.body,
      tags: JSON.stringify(input.tags),
      finding_codes: JSON.stringify(input.findingCodes),
      target_os: JSON.stringify(input.targeting.os),
      target_groups: JSON.stringify(input.targeting.groups),
      status: input.status,
      created_at: now,
      updated_at: now,
      published_at: input.status === 'published' ? now : null,
      deleted_at: null,
      views: 0,
      helped: 0,
      search_text: buildSearchText(input.title, input.tags, input.body),
    });
    await insertContentChange(trx, 'article', row.id, 'upsert', now);
    await auditIn(trx, ctx, {
      actorType: 'staff',
      actorId: actor.staffId,
      action: 'article.create',
      targetType: 'article',
      targetId: row.id,
      details: { title: row.title, status: row.status },
      ip: actor.ip,
    });
    return toArticleDto(row);
  });
}

/** Changes content or targeting; a targeting change reaches agents as an upsert or a deletion. */
export async function updateArticle(ctx: Ctx, actor: Actor, id: number, input: UpdateInput): Promise<ArticleDto> {
  const now = ctx.now();
  return writeContent(ctx, 'articles', async (trx) => {
    const current = await selectLiveArticle(trx, id);
    if (!current) throw notFound('Article');
    const title = input.title ?? current.title;
    const body = input.body ?? current.body;
    const tags = input.tags ?? parseStringArray(current.tags);
    const row = await updateArticleRow(trx, id, {
      title,
      body,
      tags: JSON.stringify(tags),
      ...(input.findingCodes ? { finding_codes: JSON.stringify(input.findingCodes) } : {}),
      ...(input.targeting
        ? { target_os: JSON.stringify(input.targeting.os), target_groups: JSON.stringify(input.targeting.groups) }
        : {}),
      search_text: buildSearchText(title, tags, body),
      updated_at: now,
    });
    await insertContentChange(trx, 'article', id, 'upsert', now);
    await auditIn(trx, ctx, {
      actorType: 'staff',
      actorId: actor.staffId,
      action: 'article.update',
      targetType: 'article',
      targetId: id,
      details: { fields: Object.keys(input) },
      ip: actor.ip,
    });
    return toArticleDto(row);
  });
}

/** Publishes or unpublishes; asking for the current state changes nothing and logs nothing. */
export async function setArticleStatus(ctx: Ctx, actor: Actor, id: number, status: ContentStatus): Promise<ArticleDto> {
  const now = ctx.now();
  return writeContent(ctx, 'articles', async (trx) => {
    const current = await selectLiveArticle(trx, id);
    if (!current) throw notFound('Article');
    if (current.status === status) return toArticleDto(current);
    const row = await updateArticleRow(trx, id, {
      status,
      updated_at: now,
      ...(status === 'published' ? { published_at: now } : {}),
    });
    // Unpublishing is an upsert of a row agents may no longer see; sync turns it into a deletion.
    await insertContentChange(trx, 'article', id, 'upsert', now);
    await auditIn(trx, ctx, {
      actorType: 'staff',
      actorId: actor.staffId,
      action: status === 'published' ? 'article.publish' : 'article.unpublish',
      targetType: 'article',
      targetId: id,
      ip: actor.ip,
    });
    return toArticleDto(row);
  });
}

/** Soft-deletes: the row stays so that sync can tell agents to drop it. */
export async function deleteArticle(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  const now = ctx.now();
  await writeContent(ctx, 'articles', async (trx) => {
    if (!(await softDeleteArticle(trx, id, now))) throw notFound('Article');
    await insertContentChange(trx, 'article', id, 'delete', now);
    await auditIn(trx, ctx, {
      actorType: 'staff',
      actorId: actor.staffId,
      action: 'article.delete',
      targetType: 'article',
      targetId: id,
      ip: actor.ip,
    });
  });
}

type Device = Pick<DeviceIdentity, 'id' | 'os_platform' | 'groups'>;

/** One page of the delta sync of the articles this device may see; `since` is the raw cursor (400 invalid_cursor). */
export async function syncArticles(
  ctx: Pick<ServerContext, 'db'>,
  device: Device,
  since: string,
  limit: number,
): Promise<ArticleSyncResponse> {
  const page = await readSyncPage(
    ctx,
    {
      entity: 'article',
      load: (ids) => selectArticlesByIds(ctx.db.kysely, ids),
      visible: (row) => row.deleted_at === null && row.status === 'published' && isTargetedAt(row, device),
      toItem: toAgentArticleDto,
    },
    parseCursor(since),
    limit,
  );
  return { cursor: page.cursor, articles: page.items, deleted: page.deleted, hasMore: page.hasMore };
}

/** Counts a view or a "this helped" for the deflection report; unknown or invisible articles are 404. */
export async function countArticleEvent(ctx: Ctx, id: number, device: Device, kind: 'view' | 'helped'): Promise<void> {
  const now = ctx.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await selectArticleVisibility(trx, id);
    if (!row || row.deleted_at !== null || row.status !== 'published' || !isTargetedAt(row, device))
      throw notFound('Article');
    // One vote per device: pressing "this helped" twice must not inflate the deflection report.
    if (kind === 'helped' && (await hasHelpedVote(trx, id, device.id))) return;
    await insertArticleEvent(trx, { articleId: id, deviceId: device.id, kind, at: now });
  });
}
