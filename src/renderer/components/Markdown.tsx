import { lazy, Suspense, type ReactElement } from 'react';

/*
 * The Markdown renderer (react-markdown, remark-gfm: about a third of the window's JavaScript) loads
 * as its own chunk after the first screen, so the window is interactive sooner. Until it arrives the
 * text shows as plain text — React text, as inert as the rendered form.
 */

const SafeMarkdown = lazy(() => import('./SafeMarkdown').then((m) => ({ default: m.SafeMarkdown })));

/** Renders untrusted Markdown safely (see SafeMarkdown), loading the renderer on first use. */
export function Markdown({ text, className }: { text: string; className?: string }): ReactElement {
  return (
    <Suspense
      fallback={
        <div className={className ? `markdown markdown-pending ${className}` : 'markdown markdown-pending'}>{text}</div>
      }
    >
      <SafeMarkdown text={text} className={className} />
    </Suspense>
  );
}
