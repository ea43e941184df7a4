import type { ArticleSearchHit } from '../../shared/api/articles';
import type { DeviceIdentity } from '../auth/guards';
import type { ServerContext } from '../context';
import { parseStringArray } from '../db/json-columns';
import { selectSearchHits } from './article-search.repo';
import { excerpt, stripMarkdown } from '../../shared/text/markdown-text';
import { parseSearchTerms } from './search-query';

/*
 * Full-text search over articles (the indexes are in article-search.repo.ts). Snippets are cut in
 * JavaScript from the body's plain text, so both databases answer with the same text and the index
 * stays free of highlighting work.
 */

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
  const rows = await selectSearchHits(ctx.db, terms, who.kind === 'device' ? who.device : null, limit);
  return rows.map((r) => ({
    id: Number(r.id),
    title: r.title,
    snippet: excerpt(stripMarkdown(r.body), terms.words),
    tags: parseStringArray(r.tags),
    score: Math.round(Number(r.score) * 1e6) / 1e6,
  }));
}
