import { useState, type ReactElement } from 'react';
import { Icon } from '../../components/Icon';
import { Page } from '../../components/Page';
import { Empty, ErrorBox, Loading } from '../../components/Status';
import { Time } from '../../components/Time';
import { useApp } from '../../lib/app-context';
import { plainExcerpt } from '../../../shared/text/markdown-text';
import { useDebounced, useMarkInteractive } from '../../lib/hooks';
import { useIpcQuery } from '../../lib/ipc-query';

/** "Self-help": every synced article, searchable, readable offline. */
export function ArticlesScreen(): ReactElement {
  const list = useIpcQuery('articles:list', {});
  const [text, setText] = useState('');
  const query = useDebounced(text.trim(), 100);
  // While the next answer is on its way the previous hits stay on screen.
  const search = useIpcQuery('articles:search', { query, limit: 20 }, { enabled: query !== '', keepPrevious: true });
  const hits = query ? (search.value?.hits ?? null) : null;
  const { navigate } = useApp();
  useMarkInteractive(list.status !== 'loading');

  const articles = [...(list.value?.articles ?? [])].sort((a, b) => a.title.localeCompare(b.title));
  const rows = hits ?? articles.map((a) => ({ id: a.id, title: a.title, snippet: plainExcerpt(a.body), score: 0 }));

  return (
    <Page
      title="Self-help"
      subtitle={
        list.value?.syncedAt ? (
          <Time iso={list.value.syncedAt} prefix="Guides from IT, updated" />
        ) : (
          'Guides from IT, readable offline.'
        )
      }
    >
      <div className="search">
        <Icon name="search" size={16} />
        <label htmlFor="article-search" className="visually-hidden">
          Search self-help articles
        </label>
        <input
          id="article-search"
          type="search"
          placeholder="Search, e.g. printer, VPN, disk full"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      {list.status === 'loading' && <Loading label="Loading articles…" />}
      {list.status === 'error' && (
        <ErrorBox title="Articles could not be loaded" message={list.error} onRetry={list.reload} />
      )}
      {list.value && articles.length === 0 && (
        <Empty icon="articles" title="No articles yet">
          When IT publishes self-help guides they appear here, and stay readable offline.
        </Empty>
      )}
      {hits && hits.length === 0 && (
        <Empty icon="search" title={`Nothing found for “${query}”`}>
          Try other words, or ask the help desk from Get help.
        </Empty>
      )}
      {rows.length > 0 && (
        <ul className="article-list" aria-label={hits ? 'Search results' : 'All articles'}>
          {rows.map((row) => (
            <li key={row.id}>
              <button
                type="button"
                className="article-row"
                onClick={() => navigate({ screen: 'article', articleId: row.id })}
              >
                <span className="article-row-title">{row.title}</span>
                {row.snippet && <span className="muted small">{row.snippet}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
