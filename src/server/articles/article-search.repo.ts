import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DeviceIdentity } from '../auth/guards';
import type { Db, Dialect } from '../db/database';
import { parseStringArray } from '../db/json-columns';
import type { Database } from '../db/schema';
import { toFts5Match, toTsQuery, type SearchTerms } from './search-query';

/*
 * The full-text indexes of the articles table: SQLite's FTS5 table articles_fts ranked by bm25,
 * PostgreSQL's generated search_vector column ranked by ts_rank. Only safe words reach the query
 * syntax (search-query.ts).
 */

/** A condition "<alias> matches the terms" for filtering queries (the staff list). */
export function ftsCondition(dialect: Dialect, alias: string, terms: SearchTerms): RawBuilder<SqlBool> {
  const id = sql.ref(`${alias}.id`);
  return dialect === 'postgres'
    ? sql<SqlBool>`${sql.ref(`${alias}.search_vector`)} @@ to_tsquery('english', ${toTsQuery(terms)})`
    : sql<SqlBool>`${id} IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ${toFts5Match(terms)})`;
}

/**
 * The targeting rule of isTargetedAt (targeting.ts) as a SQL condition over
 * `<alias>.target_os/target_groups`, for queries that must filter before LIMIT (search). The device's
 * groups are passed re-serialized, never raw.
 */
export function targetedAtSql(
  dialect: Dialect,
  alias: string,
  device: Pick<DeviceIdentity, 'os_platform' | 'groups'>,
): RawBuilder<SqlBool> {
  const os = sql.ref(`${alias}.target_os`);
  const groups = sql.ref(`${alias}.target_groups`);
  const mine = JSON.stringify(parseStringArray(device.groups));
  if (dialect === 'postgres') {
    return sql<SqlBool>`((${os} = '[]' OR ${os}::jsonb @> jsonb_build_array(${device.os_platform}::text))
      AND (${groups} = '[]' OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(${groups}::jsonb) AS t(v)
        WHERE t.v IN (SELECT jsonb_array_elements_text(${mine}::jsonb)))))`;
  }
  return sql<SqlBool>`((${os} = '[]' OR EXISTS (SELECT 1 FROM json_each(${os}) WHERE value = ${device.os_platform}))
    AND (${groups} = '[]' OR EXISTS (SELECT 1 FROM json_each(${groups}) WHERE value IN (SELECT value FROM json_each(${mine})))))`;
}

/** A search hit as read from the database; higher scores are better on both databases. */
export interface SearchHitRow {
  id: number;
  title: string;
  body: string;
  tags: string;
  score: number;
}

/**
 * The best `limit` live articles matching the terms (which hold at least one word), best first;
 * with a device, only published ones targeted at it.
 */
export async function selectSearchHits(
  db: Db,
  terms: SearchTerms,
  device: Pick<DeviceIdentity, 'os_platform' | 'groups'> | null,
  limit: number,
): Promise<SearchHitRow[]> {
  const { dialect, kysely } = db;
  const visible = device ? sql`AND a.status = 'published' AND ${targetedAtSql(dialect, 'a', device)}` : sql``;
  if (dialect === 'postgres') {
    const { rows } =
      await sql<SearchHitRow>`SELECT a.id, a.title, a.body, a.tags, ts_rank(a.search_vector, query) AS score
      FROM articles a, to_tsquery('english', ${toTsQuery(terms)}) AS query
      WHERE a.search_vector @@ query AND a.deleted_at IS NULL ${visible}
      ORDER BY score DESC, a.id LIMIT ${limit}`.execute(kysely);
    return rows;
  }
  return searchSqlite(kysely, toFts5Match(terms), visible, limit);
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
): Promise<SearchHitRow[]> {
  const window = limit * WINDOW_FACTOR;
  const { rows: top } = await sql<{ id: number; score: number }>`SELECT rowid AS id, -bm25(articles_fts) AS score
    FROM articles_fts WHERE articles_fts MATCH ${match} ORDER BY bm25(articles_fts), rowid LIMIT ${window}`.execute(
    kysely,
  );
  if (top.length === 0) return [];
  const { rows } = await sql<Omit<SearchHitRow, 'score'>>`SELECT a.id, a.title, a.body, a.tags FROM articles a
    WHERE a.id IN (${sql.join(top.map((t) => t.id))}) AND a.deleted_at IS NULL ${visible}`.execute(kysely);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hits = top.flatMap((t) => {
    const row = byId.get(t.id);
    return row ? [{ ...row, score: t.score }] : [];
  });
  if (hits.length >= limit || top.length < window) return hits.slice(0, limit);
  const { rows: ranked } = await sql<SearchHitRow>`SELECT a.id, a.title, a.body, a.tags, -bm25(articles_fts) AS score
    FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
    WHERE articles_fts MATCH ${match} AND a.deleted_at IS NULL ${visible}
    ORDER BY bm25(articles_fts), a.id LIMIT ${limit}`.execute(kysely);
  return ranked;
}
