import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactElement } from 'react';
import type { ArticleSearchHit } from '../../shared/api/articles';
import { articleQuery, useArticleSearch } from '../api/articles.queries';

/** Markdown to insert for an article: its whole body, or its title and the matching excerpt. */
export type Insert = { mode: 'body' | 'excerpt'; text: string };

/** Search the knowledge base and insert an article into the reply in one click. */
export function ArticlePicker({
  onInsert,
  onClose,
}: {
  onInsert(insert: Insert): void;
  onClose(): void;
}): ReactElement {
  const [q, setQ] = useState('');
  // Searching as one types, without a request per key stroke.
  const [searched, setSearched] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const client = useQueryClient();
  useEffect(() => {
    const timer = window.setTimeout(() => setSearched(q.trim()), 200);
    return () => window.clearTimeout(timer);
  }, [q]);
  const search = useArticleSearch(q.trim() ? searched : '');
  const hits = (q.trim() && search.data) || [];
  const shownError = error ?? (q.trim() && search.error ? search.error.message : null);

  const insertBody = async (hit: ArticleSearchHit) => {
    setBusy(hit.id);
    try {
      const article = await client.fetchQuery(articleQuery(hit.id));
      onInsert({ mode: 'body', text: `**${article.title}**\n\n${article.body}` });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="article-picker card" role="dialog" aria-label="Insert a knowledge-base article">
      <div className="row">
        <input
          className="input spacer"
          type="search"
          autoFocus
          aria-label="Search articles"
          placeholder="Search the knowledge base…"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && onClose()}
        />
        <button type="button" className="btn btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      {shownError && (
        <div className="error-text" role="alert">
          {shownError}
        </div>
      )}
      {q.trim() && hits.length === 0 && !shownError && <div className="muted small">No matching articles.</div>}
      <ul className="article-hits">
        {hits.map((hit) => (
          <li key={hit.id}>
            <div className="article-hit-title">{hit.title}</div>
            <div className="muted small article-hit-snippet">{hit.snippet}</div>
            <div className="row">
              <button
                type="button"
                className="btn btn-small btn-primary"
                disabled={busy === hit.id}
                onClick={() => void insertBody(hit)}
                aria-label={`Insert the article ${hit.title}`}
              >
                Insert article
              </button>
              <button
                type="button"
                className="btn btn-small"
                onClick={() =>
                  onInsert({ mode: 'excerpt', text: `**${hit.title}**\n\n> ${hit.snippet.replace(/\n/g, ' ')}` })
                }
                aria-label={`Insert an excerpt of ${hit.title}`}
              >
                Insert excerpt
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
