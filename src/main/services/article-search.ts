import type { ArticleHit } from '../../shared/ipc/contract';
import type { AgentArticle } from './api-client';

/*
 * Instant local search over the synced articles (works offline): MiniSearch over title (boosted),
 * body and tags, with prefix matching for the word being typed and light fuzziness for typos.
 * MiniSearch is imported on the first search, not with the agent: most days nobody searches.
 */

/** Markdown to plain text, enough for snippets. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_`~|-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function snippetOf(body: string, terms: string[], width = 160): string {
  const text = plainText(body);
  const lower = text.toLowerCase();
  const at =
    terms
      .map((t) => lower.indexOf(t.toLowerCase()))
      .filter((i) => i >= 0)
      .sort((a, b) => a - b)[0] ?? 0;
  const start = Math.max(0, at - Math.floor(width / 3));
  const slice = text.slice(start, start + width).trim();
  return `${start > 0 ? '…' : ''}${slice}${start + width < text.length ? '…' : ''}`;
}

/** A search index over a set of articles; rebuild it when the set changes. */
export interface ArticleIndex {
  search(query: string, limit: number): ArticleHit[];
}

/** Indexes the articles (loading MiniSearch the first time). */
export async function createArticleIndex(articles: readonly AgentArticle[]): Promise<ArticleIndex> {
  const { default: MiniSearch } = await import('minisearch');
  const mini = new MiniSearch<AgentArticle>({
    fields: ['title', 'body', 'tags'],
    storeFields: [],
    // MiniSearch reads the id through extractField too: it must stay a number.
    extractField: (doc, field) =>
      (field === 'id'
        ? doc.id
        : field === 'tags'
          ? doc.tags.join(' ')
          : field === 'body'
            ? plainText(doc.body)
            : field === 'title'
              ? doc.title
              : '') as string,
    searchOptions: { boost: { title: 3, tags: 2 }, prefix: true, fuzzy: 0.2, combineWith: 'AND' },
  });
  mini.addAll(articles as AgentArticle[]);
  const byId = new Map(articles.map((a) => [a.id, a]));
  return {
    search(query, limit) {
      const q = query.trim();
      if (!q) return [];
      let results = mini.search(q);
      // Every word must match first; if nothing does, fall back to any word.
      if (results.length === 0) results = mini.search(q, { combineWith: 'OR' });
      return results.slice(0, limit).flatMap((r) => {
        const article = byId.get(r.id as number);
        return article
          ? [{ id: article.id, title: article.title, snippet: snippetOf(article.body, r.terms), score: r.score }]
          : [];
      });
    },
  };
}
