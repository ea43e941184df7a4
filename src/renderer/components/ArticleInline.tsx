import { useId, useState, type ReactElement } from 'react';
import { useIpcMutation, useIpcQuery } from '../lib/ipc-query';
import { useAnnounce } from './Announcer';
import { Icon } from './Icon';
import { ArticleBody } from './ArticleBody';
import { Loading } from './Status';

/** A self-help article shown as a title that opens in place (the body is fetched on first open). */
export function ArticleInline({ id, title, snippet }: { id: number; title: string; snippet?: string }): ReactElement {
  const [open, setOpen] = useState(false);
  // Fetched on first open, then kept (and refreshed when the articles sync).
  const query = useIpcQuery('articles:get', { articleId: id }, { enabled: open, staleTime: Infinity });
  const article = query.value;
  const helpedMutation = useIpcMutation('articles:helped');
  const [helpError, setHelpError] = useState<string | null>(null);
  const error = helpError ?? (query.status === 'error' ? query.error : null);
  const [helped, setHelped] = useState(false);
  const announce = useAnnounce();
  const panelId = useId();

  function toggle(): void {
    setOpen((current) => !current);
  }

  async function markHelped(): Promise<void> {
    const response = await helpedMutation({ articleId: id });
    if (response.ok) {
      setHelped(true);
      announce('Thanks, glad it helped.');
    } else setHelpError(response.error.message);
  }

  return (
    <div className={`article-inline${open ? ' open' : ''}`}>
      <button
        type="button"
        className="article-inline-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={toggle}
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
            <ArticleBody articleId={id} text={article.body} />
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
