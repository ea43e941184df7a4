import { useEffect, useState, type ReactElement } from 'react';
import type { ContentStatus } from '../../../shared/api/articles';
import { useArticles } from '../../api/articles.queries';
import { formatDateTime } from '../../../shared/format';
import { describeTargeting } from '../common/TargetingFields';
import { AdminPage, ErrorAlert } from '../common/ui';

/** The knowledge base: every article with its status, reach and counters, searchable. */
export function ArticlesPage(): ReactElement {
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<ContentStatus | ''>('');
  // Searching as one types, without a request per key stroke.
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const list = useArticles({ q, status: status || undefined, limit: 100 });

  return (
    <AdminPage
      title="Knowledge base"
      actions={
        <a className="btn btn-primary" href="/admin/articles/new">
          New article
        </a>
      }
    >
      <div className="toolbar" role="search">
        <input
          className="input admin-search"
          type="search"
          aria-label="Search articles"
          placeholder="Search titles and text…"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <select
          className="input"
          aria-label="Status"
          value={status}
          onChange={(e) => setStatus(e.target.value as ContentStatus | '')}
        >
          <option value="">All statuses</option>
          <option value="published">Published</option>
          <option value="draft">Drafts</option>
        </select>
        <span className="muted" aria-live="polite">
          {list.data ? `${list.data.total} article${list.data.total === 1 ? '' : 's'}` : ''}
        </span>
      </div>
      <ErrorAlert error={list.error} prefix="Could not load the articles" />
      <div className="card admin-flush">
        <table className="table" aria-label="Articles">
          <thead>
            <tr>
              <th>Title</th>
              <th>Status</th>
              <th>Tags</th>
              <th>Fixes findings</th>
              <th>Shown to</th>
              <th className="admin-num">Views</th>
              <th className="admin-num">Helped</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.articles ?? []).map((a) => (
              <tr key={a.id}>
                <td>
                  <a href={`/admin/articles/${a.id}`}>{a.title}</a>
                </td>
                <td>
                  <span className={`badge ${a.status === 'published' ? 'badge-ok' : ''}`}>
                    {a.status === 'published' ? 'Published' : 'Draft'}
                  </span>
                </td>
                <td>
                  {a.tags.length ? (
                    a.tags.map((t) => (
                      <span key={t} className="badge admin-chip">
                        {t}
                      </span>
                    ))
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  {a.findingCodes.length ? (
                    a.findingCodes.map((c) => (
                      <code key={c} className="admin-code">
                        {c}
                      </code>
                    ))
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>{describeTargeting(a.targeting)}</td>
                <td className="admin-num">{a.views}</td>
                <td className="admin-num">{a.helped}</td>
                <td className="admin-nowrap">{formatDateTime(a.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data && list.data.articles.length === 0 ? (
          <div className="empty">
            {q || status
              ? 'No article matches.'
              : 'No articles yet. Write the first one: the agent offers it next to the findings it fixes.'}
          </div>
        ) : null}
        {list.isPending ? <div className="empty">Loading…</div> : null}
        {list.data && list.data.total > list.data.articles.length ? (
          <div className="empty">
            Showing the {list.data.articles.length} most recently updated of {list.data.total}; search or filter to find
            the others.
          </div>
        ) : null}
      </div>
    </AdminPage>
  );
}
