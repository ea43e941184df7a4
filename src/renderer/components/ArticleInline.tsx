import { useId, useState, type ReactElement } from 'react';
import type { AgentArticleDto } from '../../shared/api/articles';
import { invoke } from '../lib/bridge';
import { useAnnounce } from './Announcer';
import { Icon } from './Icon';
import { Markdown } from './Markdown';
import { Loading } from './Status';

/** A self-help article shown as a title that opens in place (the body is fetched on first open). */
export function ArticleInline({ id, title, snippet }: { id: number; title: string; snippet?: string }): ReactElement {
  const [open, setOpen] = useState(false);
  const [article, setArticle] = useState<AgentArticleDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [helped, setHelped] = useState(false);
  const announce = useAnnounce();
  const panelId = useId();

  async function toggle(): Promise<void> {
    const next = !open;
    setOpen(next);
    if (next && !article) {
      const response = await invoke('articles:get', { articleId: id });
      if (response.ok) setArticle(response.value);
      else setError(response.error.message);
    }
  }

  async function markHelped(): Promise<void> {
    const response = await invoke('articles:helped', { articleId: id });
    if (response.ok) {
      setHelped(true);
      announce('Thanks, glad it helped.');
    } else setError(response.error.message);
  }

  return (
    <div className={`article-inline${open ? ' open' : ''}`}>
      <button
        type="button"
        className="article-inline-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => void toggle()}
      >
        <Icon name="articles" size={16} />
        <span className="article-inline-title">{title}</span>
        <span className="chevron" aria-hidden="true" />
      </button>
      {!open && snippet && <p className="article-inline-snippet">{snippet}</p>}
      <div id={panelId} className="article-inline-panel" hidden={!open}>
        {open && !article && !error && <Loading label="Opening the article…" />}
        {error && <p className="field-error">{error}</p>}
        {article && (
          <>
            <Markdown text={article.body} />
            <div className="row">
              {helped ? (
                <span className="helped-note">
                  <Icon name="ok" size={16} /> Thanks for telling us.
                </span>
              ) : (
                <button type="button" className="button button-small" onClick={() => void markHelped()}>
                  This helped
                </button>
              )}
            </div>
          </>
        )}
      </div>
    </div>
  );
}
