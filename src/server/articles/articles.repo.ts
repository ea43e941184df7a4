import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { ContentStatus } from '../../shared/api/articles';
import type { FindingCode } from '../../shared/health/finding';
import type { Db } from '../db/database';
import type { ArticlesTable, Database } from '../db/schema';
import { ftsCondition } from './article-search.repo';
import type { SearchTerms } from './search-query';

/* The articles table and its counters' log, article_events. */

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

/** A live (not deleted) article. */
export async function selectLiveArticle(db: Kysely<Database>, id: number): Promise<ArticleRow | undefined> {
  return db
    .selectFrom('articles')
    .select(ARTICLE_COLUMNS)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Rows by id, deleted ones included (sync reports those as deletions). */
export async function selectArticlesByIds(db: Kysely<Database>, ids: number[]): Promise<ArticleRow[]> {
  return db.selectFrom('articles').select(ARTICLE_COLUMNS).where('id', 'in', ids).execute();
}

/** The filters of the staff list; `terms` null means no text filter. */
export interface ArticleListFilter {
  status?: ContentStatus;
  tag?: string;
  finding?: FindingCode;
  terms: SearchTerms | null;
  limit: number;
  offset: number;
}

/** One page of live articles, most recently changed first, and how many match in all. */
export async function selectArticlePage(
  db: Db,
  filter: ArticleListFilter,
): Promise<{ rows: ArticleRow[]; total: number }> {
  const { dialect, kysely } = db;
  const contains = (column: 'tags' | 'finding_codes', value: string) =>
    dialect === 'postgres'
      ? sql<boolean>`${sql.ref(`a.${column}`)}::jsonb @> jsonb_build_array(${value}::text)`
      : sql<boolean>`EXISTS (SELECT 1 FROM json_each(${sql.ref(`a.${column}`)}) WHERE value = ${value})`;
  const { terms } = filter;
  let query = kysely.selectFrom('articles as a').where('a.deleted_at', 'is', null);
  if (filter.status) query = query.where('a.status', '=', filter.status);
  if (filter.tag) query = query.where(contains('tags', filter.tag));
  if (filter.finding) query = query.where(contains('finding_codes', filter.finding));
  // A text filter without a single word matches nothing rather than everything.
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

export async function insertArticle(db: Kysely<Database>, row: Insertable<ArticlesTable>): Promise<ArticleRow> {
  return db.insertInto('articles').values(row).returning(ARTICLE_COLUMNS).executeTakeFirstOrThrow();
}

export async function updateArticleRow(
  db: Kysely<Database>,
  id: number,
  set: Updateable<ArticlesTable>,
): Promise<ArticleRow> {
  return db.updateTable('articles').set(set).where('id', '=', id).returning(ARTICLE_COLUMNS).executeTakeFirstOrThrow();
}

/** Marks a live article deleted; false when there was none. */
export async function softDeleteArticle(db: Kysely<Database>, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('articles')
    .set({ deleted_at: now, updated_at: now })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** What decides whether a device may see an article. */
export async function selectArticleVisibility(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('articles')
    .select(['id', 'status', 'deleted_at', 'target_os', 'target_groups'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Whether the device has already said the article helped. */
export async function hasHelpedVote(db: Kysely<Database>, articleId: number, deviceId: string): Promise<boolean> {
  const seen = await db
    .selectFrom('article_events')
    .select('id')
    .where('article_id', '=', articleId)
    .where('device_id', '=', deviceId)
    .where('kind', '=', 'helped')
    .executeTakeFirst();
  return seen !== undefined;
}

/** Counts a view or a "this helped": the article's counter and its event row. */
export async function insertArticleEvent(
  db: Kysely<Database>,
  event: { articleId: number; deviceId: string; kind: 'view' | 'helped'; at: number },
): Promise<void> {
  await db
    .updateTable('articles')
    .set((eb) => (event.kind === 'view' ? { views: eb('views', '+', 1) } : { helped: eb('helped', '+', 1) }))
    .where('id', '=', event.articleId)
    .execute();
  await db
    .insertInto('article_events')
    .values({ article_id: event.articleId, device_id: event.deviceId, kind: event.kind, at: event.at })
    .execute();
}
