import type { ReactElement } from 'react';
import { FixItButton, FixItPanel, useFixIt } from './FixIt';
import { Markdown } from './Markdown';

/**
 * A self-help article's Markdown, its Fix-it links as buttons (issue 12); the confirm, progress and
 * result of one of them show under the text.
 */
export function ArticleBody({ articleId, text }: { articleId: number; text: string }): ReactElement {
  const fix = useFixIt({ kind: 'article', articleId });
  return (
    <>
      <Markdown
        text={text}
        renderFixIt={(action, children) => (
          <FixItButton fix={fix} action={action}>
            {children}
          </FixItButton>
        )}
      />
      <FixItPanel fix={fix} />
    </>
  );
}
