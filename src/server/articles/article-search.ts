import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { ArticleSearchHit } from '../../shared/api/articles';
import type { DeviceIdentity } from '../auth/guards';
import type { ServerContext } from '../context';
import type { Dialect } from '../db/database';
import type { Database } from '../db/schema';
import { excerpt, stripMarkdown } from '../../shared/text/markdown-text';
import { parseSearchTerms, toFts5Match, toTsQuery, type SearchTerms } from './search-query';
import { parseStringArray } from '../db/json-columns';
import { targetedAtSql } from './targeting';

/*
 * Full-text search over articles: SQLite's FTS5 index ranked by bm25, PostgreSQL's generated tsvector
 * ranked by ts_rank. Snippets are cut in JavaScript from the body's plain text, so both databases
 * answer with the same text and the index stays free of highlighting work.
 */

/** A condition "<alias> matches the terms" for filtering queries (the staff list). */
export function ftsCondition(dialect: Dialect, alias: string, terms: SearchTerms): RawBuilder<SqlBool> {
  const id = sql.ref(`${alias}.id`);
  return dialect === 'postgres'
    ? sql<SqlBool>`${sql.ref(`${alias}.search_vector`)} @@ to_tsquery('english', ${toTsQuery(terms)})`
    : sql<SqlBool>`${id} IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ${toFts5Match(terms)})`;
}

interface HitRow {
  id: number;
  title: string;
  body: string;
  tags: string;
  score: number;
}

/** Who is searching: staff see every live article, a device only published ones targeted at it. */
export type Searcher = { kind: 'staff' } | { kind: 'device'; device: Pick<DeviceIdentity, 'os_platform' | 'groups'> };

/** Ranked search; input that holds no searchable word returns no results. */
export async function searchArticles(
  ctx: Pick<ServerContext, 'db'>,
  who: Searcher,
  q: string,
  limit: number,
): Promise<ArticleSearchHit[]> {
  const terms = parseSearchTerms(q);
  if (terms.words.length === 0) return [];
  const { dialect, kysely } = ctx.db;
  const visible =
    who.kind === 'device' ? sql`AND a.status = 'published' AND ${targetedAtSql(dialect, 'a', who.device)}` : sql``;
  const rows =
    dialect === 'postgres'
      ? (
          await sql<HitRow>`SELECT a.id, a.title, a.body, a.tags, ts_rank(a.search_vector, query) AS score
            FROM articles a, to_tsquery('english', ${toTsQuery(terms)}) AS query
            WHERE a.search_vector @@ query AND a.deleted_at IS NULL ${visible}
            ORDER BY score DESC, a.id LIMIT ${limit}`.execute(kysely)
        ).rows
      : await searchSqlite(kysely, toFts5Match(terms), visible, limit);
  return rows.map((r) => ({
    id: Number(r.id),
    title: r.title,
    snippet: excerpt(stripMarkdown(r.body), terms.words),
    tags: parseStringArray(r.tags),
    score: Math.round(Number(r.score) * 1e6) / 1e6,
  }));
}

// How many of the best matches to rank before checking visibility: enough that filters rarely empty it.
const WINDOW_FACTOR = 4;

/*
 * Most of an FTS5 query's time goes into reading the matching article rows (long bodies spill onto
 * overflow pages), not into bm25. So rank inside the index first, read only the best few rows, and
 * filter those; only if filters dropped too many of them, rank again over the visible rows alone.
 * bm25() is lower-is-better and negative; it is negated so that, as on PostgreSQL, higher is better.
 */
async function searchSqlite(
  kysely: Kysely<Database>,
  match: string,
  visible: RawBuilder<unknown>,
  limit: number,
): Promise<HitRow[]> {
  const window = limit * WINDOW_FACTOR;
  const { rows: top } = await sql<{ id: number; score: number }>`SELECT rowid AS id, -bm25(articles_fts) AS score
    FROM articles_fts WHERE articles_fts MATCH ${match} ORDER BY bm25(articles_fts), rowid LIMIT ${window}`.execute(
    kysely,
  );
  if (top.length === 0) return [];
  const { rows } = await sql<Omit<HitRow, 'score'>>`SELECT a.id, a.title, a.body, a.tags FROM articles a
    WHERE a.id IN (${sql.join(top.map((t) => t.id))}) AND a.deleted_at IS NULL ${visible}`.execute(kysely);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hits = top.flatMap((t) => {
    const row = byId.get(t.id);
    return row ? [{ ...row, score: t.score }] : [];
  });
  if (hits.length >= limit || top.length < window) return hits.slice(0, limit);
  const { rows: ranked } = await sql<HitRow>`SELECT a.id, a.title, a.body, a.tags, -bm25(articles_fts) AS score
    FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
    WHERE articles_fts MATCH ${match} AND a.deleted_at IS NULL ${visible}
    ORDER BY bm25(articles_fts), a.id LIMIT ${limit}`.execute(kysely);
  return ranked;
}
