import { useEffect, useState, type ReactElement } from 'react';
import { useLocation } from 'wouter';
import { useHistoryState } from 'wouter/use-browser-location';
import type { ArticleDto } from '../../../shared/api/articles';
import type { CreateArticleRequest } from '../../../shared/api/content-admin';
import { CONTENT_TITLE_MAX } from '../../../shared/content-limits';
import type { FindingCode } from '../../../shared/finding-codes';
import { useArticle, useArticleMutations } from '../../api/articles.queries';
import type { ApiError } from '../../api/http';
import { asApiError } from '../../api/query-client';
import { Markdown } from '../../../ui/Markdown';
import { formatDateTime } from '../../../shared/format';
import { splitList } from '../common/format';
import { targetingOf, TargetingFields, type TargetingDraft } from '../common/TargetingFields';
import { AdminPage, ConfirmButton, ErrorAlert } from '../common/ui';
import { FindingCodesPicker } from './FindingCodesPicker';

interface Draft {
  title: string;
  body: string;
  tagsText: string;
  findingCodes: FindingCode[];
  targeting: TargetingDraft;
}

const EMPTY: Draft = { title: '', body: '', tagsText: '', findingCodes: [], targeting: { os: [], groupsText: '' } };
const TAG = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;

function draftOf(a: ArticleDto): Draft {
  return {
    title: a.title,
    body: a.body,
    tagsText: a.tags.join(', '),
    findingCodes: a.findingCodes,
    targeting: { os: a.targeting.os, groupsText: a.targeting.groups.join(', ') },
  };
}

function payloadOf(d: Draft): Required<Omit<CreateArticleRequest, 'status'>> {
  return {
    title: d.title.trim(),
    body: d.body,
    tags: splitList(d.tagsText).map((t) => t.toLowerCase()),
    findingCodes: d.findingCodes,
    targeting: targetingOf(d.targeting),
  };
}

/** Problems to fix before saving, in words; empty when the draft can be saved. */
function problemsOf(d: Draft): string[] {
  const problems: string[] = [];
  if (!d.title.trim()) problems.push('Give the article a title.');
  const badTags = splitList(d.tagsText).filter((t) => !TAG.test(t) || t.length > 64);
  if (badTags.length) problems.push(`Tags may hold letters, digits, ".", "_" and "-" only: ${badTags.join(', ')}`);
  return problems;
}

/** Writes or edits one article: Markdown with a live preview, tags, findings, targeting, publishing. */
export function ArticleEditorPage({ params }: { params: Record<string, string> }): ReactElement {
  const id = params.id && params.id !== 'new' ? Number(params.id) : null;
  const [article, setArticle] = useState<ArticleDto | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  // After creating, the page moves to the new article's address with the notice in the history entry.
  const arrived = useHistoryState<{ notice?: string } | null>();
  const [saved, setSaved] = useState<string | null>(() => arrived?.notice ?? null);
  const [, navigate] = useLocation();
  const loaded = useArticle(id);
  const { create, update: updateArticle, setPublished, remove: removeArticle } = useArticleMutations();
  const [showProblems, setShowProblems] = useState(false);

  // The article is read once into the editor; later reads (after a save elsewhere) do not overwrite a draft.
  useEffect(() => {
    if (!loaded.data || article) return;
    setArticle(loaded.data);
    setDraft(draftOf(loaded.data));
  }, [loaded.data]);
  useEffect(() => {
    if (loaded.error) setError(loaded.error);
  }, [loaded.error]);

  const dirty = article
    ? JSON.stringify(payloadOf(draft)) !== JSON.stringify(payloadOf(draftOf(article)))
    : draft !== EMPTY;
  const problems = problemsOf(draft);
  const update = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(null);
  };

  async function save(publish: boolean | null): Promise<void> {
    if (problems.length) {
      setShowProblems(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      let current: ArticleDto;
      if (article === null) {
        current = await create.mutateAsync({
          ...payloadOf(draft),
          status: publish ? 'published' : 'draft',
        });
      } else {
        current = dirty ? await updateArticle.mutateAsync({ id: article.id, body: payloadOf(draft) }) : article;
        if (publish !== null && (current.status === 'published') !== publish)
          current = await setPublished.mutateAsync({ id: article.id, publish });
      }
      const notice =
        current.status === 'published'
          ? 'Saved and published: agents receive it at their next sync.'
          : 'Saved as a draft: agents do not see it.';
      if (article === null) {
        navigate(`/admin/articles/${current.id}`, { replace: true, state: { notice } });
        return;
      }
      setArticle(current);
      setDraft(draftOf(current));
      setSaved(notice);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  async function remove(): Promise<void> {
    if (!article) return;
    try {
      await removeArticle.mutateAsync(article.id);
      navigate('/admin/articles');
    } catch (e) {
      setError(asApiError(e));
    }
  }

  const published = article?.status === 'published';
  return (
    <AdminPage
      title={article ? 'Edit article' : 'New article'}
      actions={
        <a className="btn" href="/admin/articles">
          Back to articles
        </a>
      }
    >
      {id !== null && !article && !error ? <div className="muted">Loading…</div> : null}
      <ErrorAlert error={error} />
      {showProblems && problems.length ? (
        <div className="alert alert-error" role="alert">
          {problems.map((p) => (
            <div key={p}>{p}</div>
          ))}
        </div>
      ) : null}
      {id === null || article ? (
        <form className="stack" onSubmit={(e) => (e.preventDefault(), void save(null))}>
          <div className="toolbar">
            <span className={`badge ${published ? 'badge-ok' : ''}`}>{published ? 'Published' : 'Draft'}</span>
            {article ? (
              <span className="muted">
                Updated {formatDateTime(article.updatedAt)} · {article.views} views · {article.helped} found it helpful
              </span>
            ) : null}
            {dirty ? <span className="badge badge-warning">Unsaved changes</span> : null}
            <span className="spacer" />
            <button type="submit" className="btn" disabled={busy}>
              {article ? 'Save' : 'Save draft'}
            </button>
            {published ? (
              <button type="button" className="btn" disabled={busy} onClick={() => void save(false)}>
                Unpublish
              </button>
            ) : (
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save(true)}>
                {dirty || !article ? 'Save and publish' : 'Publish'}
              </button>
            )}
            {article ? (
              <ConfirmButton
                label="Delete"
                question={`Delete "${article.title}"? Agents drop it at their next sync.`}
                onConfirm={remove}
              />
            ) : null}
          </div>
          {saved ? (
            <div className="alert alert-info" role="status">
              {saved}
            </div>
          ) : null}
          <label className="field">
            <span>Title</span>
            <input
              className="input admin-title-input"
              value={draft.title}
              maxLength={CONTENT_TITLE_MAX}
              onChange={(e) => update({ title: e.target.value })}
              placeholder="e.g. Free up disk space"
              required
            />
          </label>
          <div className="admin-editor">
            <label className="field">
              <span>Body (Markdown)</span>
              <textarea
                className="input admin-markdown-input"
                value={draft.body}
                onChange={(e) => update({ body: e.target.value })}
                placeholder={'## Steps\n1. Open **Settings**\n2. …'}
              />
            </label>
            <section className="field" aria-label="Preview">
              <span>Preview</span>
              <div className="card admin-preview" data-testid="article-preview">
                {draft.title.trim() ? <h2>{draft.title}</h2> : null}
                {draft.body.trim() ? (
                  <Markdown text={draft.body} />
                ) : (
                  <p className="muted">The preview appears here as you type.</p>
                )}
              </div>
            </section>
          </div>
          <label className="field">
            <span>Tags (comma-separated; findings suggest articles by tag too)</span>
            <input
              className="input"
              value={draft.tagsText}
              onChange={(e) => update({ tagsText: e.target.value })}
              placeholder="disk-space, storage"
            />
          </label>
          <div className="grid-2">
            <FindingCodesPicker value={draft.findingCodes} onChange={(findingCodes) => update({ findingCodes })} />
            <TargetingFields value={draft.targeting} onChange={(targeting) => update({ targeting })} />
          </div>
        </form>
      ) : null}
    </AdminPage>
  );
}
