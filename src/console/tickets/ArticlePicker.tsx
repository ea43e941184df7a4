import { useEffect, useState, type ReactElement } from 'react';
import type { ArticleSearchHit } from '../../shared/api/articles';
import { api } from '../api/http';

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
  const [hits, setHits] = useState<ArticleSearchHit[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  useEffect(() => {
    const text = q.trim();
    if (!text) {
      setHits([]);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      api
        .get<{ results: ArticleSearchHit[] }>(
          '/api/v1/articles/search',
          { q: text, limit: 8 },
          { signal: controller.signal },
        )
        .then(
          (answer) => {
            setHits(answer.results);
            setError(null);
          },
          (e: Error) => e.name !== 'AbortError' && setError(e.message),
        );
    }, 200);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [q]);

  const insertBody = async (hit: ArticleSearchHit) => {
    setBusy(hit.id);
    try {
      const article = await api.get<{ title: string; body: string }>(`/api/v1/articles/${hit.id}`);
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
      {error && (
        <div className="error-text" role="alert">
          {error}
        </div>
      )}
      {q.trim() && hits.length === 0 && !error && <div className="muted small">No matching articles.</div>}
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
