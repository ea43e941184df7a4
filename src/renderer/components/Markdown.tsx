import { lazy, Suspense, type ReactElement } from 'react';
import type { RenderFixIt } from '../../ui/Markdown';
import { invoke } from '../lib/bridge';

/*
 * The shared Markdown renderer (src/ui/Markdown.tsx; react-markdown and remark-gfm are about a third
 * of the window's JavaScript) loads as its own chunk after the first screen, so the window is
 * interactive sooner. Until it arrives the text shows as plain text — React text, as inert as the
 * rendered form. Links are handed to the main process (external:open), never opened in the window.
 */

const SharedMarkdown = lazy(() => import('../../ui/Markdown').then((m) => ({ default: m.Markdown })));

const openExternal = (url: string): void => void invoke('external:open', { url });

/** Renders untrusted Markdown safely, loading the renderer on first use; Fix-it links go to `renderFixIt`. */
export function Markdown({
  text,
  className,
  renderFixIt,
}: {
  text: string;
  className?: string;
  renderFixIt?: RenderFixIt;
}): ReactElement {
  return (
    <Suspense
      fallback={
        <div className={className ? `markdown markdown-pending ${className}` : 'markdown markdown-pending'}>{text}</div>
      }
    >
      <SharedMarkdown text={text} className={className} onOpenLink={openExternal} renderFixIt={renderFixIt} />
    </Suspense>
  );
}
