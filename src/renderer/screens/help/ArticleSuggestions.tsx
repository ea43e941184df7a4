import { useEffect, useState, type ReactElement } from 'react';
import type { ArticleHit } from '../../../shared/ipc/contract';
import { ArticleInline } from '../../components/ArticleInline';
import { invoke } from '../../lib/bridge';
import { useDebounced } from '../../lib/hooks';

/**
 * Self-help articles matching what the employee is typing (deflection). The search is local and
 * instant, so a short debounce only avoids a search per keystroke.
 */
export function ArticleSuggestions({ text }: { text: string }): ReactElement | null {
  const query = useDebounced(text.trim(), 120);
  const [hits, setHits] = useState<ArticleHit[]>([]);

  useEffect(() => {
    let live = true;
    if (query.length < 3) {
      setHits([]);
      return;
    }
    void invoke('articles:search', { query: query.slice(0, 500), limit: 3 }).then((response) => {
      if (live && response.ok) setHits(response.value.hits);
    });
    return () => {
      live = false;
    };
  }, [query]);

  if (hits.length === 0) return null;
  return (
    <aside className="suggestions" aria-labelledby="suggestions-heading" data-testid="suggestions">
      <h2 id="suggestions-heading">Might one of these fix it?</h2>
      {hits.map((hit) => (
        <ArticleInline key={hit.id} id={hit.id} title={hit.title} snippet={hit.snippet} />
      ))}
    </aside>
  );
}
