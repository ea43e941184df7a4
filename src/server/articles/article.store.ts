import { sql, type Selectable } from 'kysely';
import type { z } from 'zod';
import type {
  AgentArticleDto,
  ArticleDto,
  ContentStatus,
  createArticleRequestSchema,
  updateArticleRequestSchema,
} from '../../shared/api/articles';
import type { FindingCode } from '../../shared/health/finding';
import type { ServerContext } from '../context';
import type { ArticlesTable } from '../db/schema';
import { notFound } from '../errors';
import { auditIn, inContentTransaction, recordChange, type Actor } from './content-changes';
import { buildSearchText } from './markdown-text';
import { ftsCondition } from './article-search';
import { parseSearchTerms } from './search-query';
import { parseFindingCodes, parseStringArray } from '../db/json-columns';

/*
 * Article storage: rows ↔ API shapes, and every write as one transaction with its sync-log and audit
 * entries. Routes stay thin; the sync and search modules read through the same row shape.
 */

/** The stored columns we read; PostgreSQL's generated search_vector is left out on purpose. */
export const ARTICLE_COLUMNS = [
  'id',
  'title',
  'body',
  'tags',
  'finding_codes',
  'target_os',
  'target_groups',
  'status',
  'created_at',
  'updated_at',
  'published_at',
  'deleted_at',
  'views',
  'helped',
] as const;
/** An article row as the API layers read it. */
export type ArticleRow = Pick<Selectable<ArticlesTable>, (typeof ARTICLE_COLUMNS)[number]>;

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

type CreateInput = z.output<typeof createArticleRequestSchema>;
type UpdateInput = z.output<typeof updateArticleRequestSchema>;

/** A live (not deleted) article, or 404. */
export async function getArticle(ctx: Pick<ServerContext, 'db'>, id: number): Promise<ArticleRow> {
  const row = await ctx.db.kysely
    .selectFrom('articles')
    .select(ARTICLE_COLUMNS)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound('Article');
  return row;
}

/** Loads rows by id, deleted ones included (sync reports those as deletions). */
export async function loadArticles(ctx: Pick<ServerContext, 'db'>, ids: number[]): Promise<ArticleRow[]> {
  return ctx.db.kysely.selectFrom('articles').select(ARTICLE_COLUMNS).where('id', 'in', ids).execute();
}

export interface ArticleFilter {
  status?: ContentStatus;
  tag?: string;
  finding?: FindingCode;
  q?: string;
  limit: number;
  offset: number;
}

/** Staff list: live articles, most recently changed first, with the total for paging. */
export async function listArticles(
  ctx: Pick<ServerContext, 'db'>,
  filter: ArticleFilter,
): Promise<{ rows: ArticleRow[]; total: number }> {
  const { dialect, kysely } = ctx.db;
  const contains = (column: 'tags' | 'finding_codes', value: string) =>
    dialect === 'postgres'
      ? sql<boolean>`${sql.ref(`a.${column}`)}::jsonb @> jsonb_build_array(${value}::text)`
      : sql<boolean>`EXISTS (SELECT 1 FROM json_each(${sql.ref(`a.${column}`)}) WHERE value = ${value})`;
  const terms = filter.q === undefined ? null : parseSearchTerms(filter.q);
  let query = kysely.selectFrom('articles as a').where('a.deleted_at', 'is', null);
  if (filter.status) query = query.where('a.status', '=', filter.status);
  if (filter.tag) query = query.where(contains('tags', filter.tag));
  if (filter.finding) query = query.where(contains('finding_codes', filter.finding));
  // A q without a single word matches nothing rather than everything.
  if (terms) query = query.where(terms.words.length > 0 ? ftsCondition(dialect, 'a', terms) : sql<boolean>`1 = 0`);
  const [rows, count] = await Promise.all([
    query
      .select(ARTICLE_COLUMNS.map((c) => `a.${c}` as const))
      .orderBy('a.updated_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Creates an article (draft unless asked otherwise). */
export async function createArticle(
  ctx: Pick<ServerContext, 'db' | 'now'>,
  actor: Actor,
  input: CreateInput,
): Promise<ArticleRow> {
  const now = ctx.now();
  return inContentTransaction(ctx, async (trx) => {
    const row = await trx
      .insertInto('articles')
      .values({
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
      })
      .returning(ARTICLE_COLUMNS)
      .executeTakeFirstOrThrow();
    await recordChange(trx, 'article', row.id, 'upsert', now);
    await auditIn(trx, ctx, {
      actorType: 'staff',
      actorId: actor.staffId,
      action: 'article.create',
      targetType: 'article',
      targetId: row.id,
      details: { title: row.title, status: row.status },
      ip: actor.ip,
    });
    return row;
  });
}

/** Changes content or targeting; a targeting change reaches agents as an upsert or a deletion. */
export async function updateArticle(
  ctx: Pick<ServerContext, 'db' | 'now'>,
  actor: Actor,
  id: number,
  input: UpdateInput,
): Promise<ArticleRow> {
  const now = ctx.now();
  return inContentTransaction(ctx, async (trx) => {
    const current = await trx
      .selectFrom('articles')
      .select(ARTICLE_COLUMNS)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!current) throw notFound('Article');
    const title = input.title ?? current.title;
    const body = input.body ?? current.body;
    const tags = input.tags ?? parseStringArray(current.tags);
    const row = await trx
      .updateTable('articles')
      .set({
        title,
        body,
        tags: JSON.stringify(tags),
        ...(input.findingCodes ? { finding_codes: JSON.stringify(input.findingCodes) } : {}),
        ...(input.targeting
          ? { target_os: JSON.stringify(input.targeting.os), target_groups: JSON.stringify(input.targeting.groups) }
          : {}),
        search_text: buildSearchText(title, tags, body),
        updated_at: now,
      })
      .where('id', '=', id)
      .returning(ARTICLE_COLUMNS)
      .executeTakeFirstOrThrow();
    await recordChange(trx, 'article', id, 'upsert', now);
    await auditIn(trx, ctx, {
      actorType: 'staff',
      actorId: actor.staffId,
      action: 'article.update',
      targetType: 'article',
      targetId: id,
      details: { fields: Object.keys(input) },
      ip: actor.ip,
    });
    return row;
  });
}

/** Publishes or unpublishes; asking for the current state changes nothing and logs nothing. */
export async function setArticleStatus(
  ctx: Pick<ServerContext, 'db' | 'now'>,
  actor: Actor,
  id: number,
  status: ContentStatus,
): Promise<ArticleRow> {
  const now = ctx.now();
  return inContentTransaction(ctx, async (trx) => {
    const current = await trx
      .selectFrom('articles')
      .select(ARTICLE_COLUMNS)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!current) throw notFound('Article');
    if (current.status === status) return current;
    const row = await trx
      .updateTable('articles')
      .set({ status, updated_at: now, ...(status === 'published' ? { published_at: now } : {}) })
      .where('id', '=', id)
      .returning(ARTICLE_COLUMNS)
      .executeTakeFirstOrThrow();
    // Unpublishing is an upsert of a row agents may no longer see; sync turns it into a deletion.
    await recordChange(trx, 'article', id, 'upsert', now);
    await auditIn(trx, ctx, {
      actorType: 'staff',
      actorId: actor.staffId,
      action: status === 'published' ? 'article.publish' : 'article.unpublish',
      targetType: 'article',
      targetId: id,
      ip: actor.ip,
    });
    return row;
  });
}

/** Soft-deletes: the row stays so that sync can tell agents to drop it. */
export async function deleteArticle(ctx: Pick<ServerContext, 'db' | 'now'>, actor: Actor, id: number): Promise<void> {
  const now = ctx.now();
  await inContentTransaction(ctx, async (trx) => {
    const result = await trx
      .updateTable('articles')
      .set({ deleted_at: now, updated_at: now })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound('Article');
    await recordChange(trx, 'article', id, 'delete', now);
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
