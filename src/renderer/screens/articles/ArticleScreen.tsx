import { useState, type ReactElement } from 'react';
import { useAnnounce } from '../../components/Announcer';
import { Icon } from '../../components/Icon';
import { Page } from '../../components/Page';
import { ArticleBody } from '../../components/ArticleBody';
import { ErrorBox, Loading } from '../../components/Status';
import { Time } from '../../components/Time';
import { useApp } from '../../lib/app-context';
import { useMarkInteractive } from '../../lib/hooks';
import { useIpcMutation, useIpcQuery } from '../../lib/ipc-query';

/** One self-help article, with "This helped". */
export function ArticleScreen({ articleId }: { articleId: number }): ReactElement {
  const article = useIpcQuery('articles:get', { articleId });
  const helpedMutation = useIpcMutation('articles:helped');
  const [helped, setHelped] = useState<'no' | 'yes' | 'failed'>('no');
  const { navigate } = useApp();
  const announce = useAnnounce();
  useMarkInteractive(article.status !== 'loading');
  const back = { label: 'Self-help', onClick: () => navigate({ screen: 'articles' }) };

  async function markHelped(): Promise<void> {
    const response = await helpedMutation({ articleId });
    setHelped(response.ok ? 'yes' : 'failed');
    if (response.ok) announce('Thanks for telling us it helped.');
  }

  if (!article.value) {
    return (
      <Page title="Article" back={back}>
        {article.status === 'error' ? (
          <ErrorBox title="This article could not be opened" message={article.error} onRetry={article.reload} />
        ) : (
          <Loading label="Opening the article…" />
        )}
      </Page>
    );
  }
  const a = article.value;
  return (
    <Page title={a.title} back={back} subtitle={<Time iso={a.updatedAt} prefix="Updated" />}>
      <article className="card article-body">
        <ArticleBody articleId={a.id} text={a.body} />
      </article>
      {a.tags.length > 0 && (
        <ul className="tags" aria-label="Tags">
          {a.tags.map((t) => (
            <li key={t} className="tag">
              {t}
            </li>
          ))}
        </ul>
      )}
      <div className="row helped-row">
        {helped === 'yes' ? (
          <span className="helped-note">
            <Icon name="ok" size={16} /> Thanks — that helps IT know which guides work.
          </span>
        ) : (
          <>
            <button type="button" className="button" onClick={() => void markHelped()}>
              This helped
            </button>
            <button type="button" className="button button-quiet" onClick={() => navigate({ screen: 'help' })}>
              Still stuck? Get help
            </button>
          </>
        )}
        {helped === 'failed' && <span className="field-error">That did not go through; try again.</span>}
      </div>
    </Page>
  );
}
