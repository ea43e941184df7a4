import type { ReactElement } from 'react';
import { ArticleInline } from '../../components/ArticleInline';
import { useDebounced } from '../../lib/hooks';
import { useIpcQuery } from '../../lib/ipc-query';

/**
 * Self-help articles matching what the employee is typing (deflection). The search is local and
 * instant, so a short debounce only avoids a search per keystroke.
 */
export function ArticleSuggestions({ text }: { text: string }): ReactElement | null {
  const query = useDebounced(text.trim(), 120);
  const enabled = query.length >= 3;
  const search = useIpcQuery(
    'articles:search',
    { query: query.slice(0, 500), limit: 3 },
    { enabled, keepPrevious: true },
  );
  const hits = enabled ? (search.value?.hits ?? []) : [];

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
