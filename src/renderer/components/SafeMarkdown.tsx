import type { MouseEvent, ReactElement } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { isAllowedExternalUrl } from '../../shared/ipc/external-url';
import { invoke } from '../lib/bridge';

/*
 * Markdown from technicians and IT rendered inert: raw HTML is skipped (never parsed into the DOM),
 * only https: and mailto: links survive and a click hands them to the main process (external:open)
 * instead of navigating the window, and images are never fetched — their alt text is shown instead.
 */

function openExternal(event: MouseEvent<HTMLAnchorElement>, url: string): void {
  event.preventDefault();
  void invoke('external:open', { url });
}

const components: Components = {
  a: ({ href, children }) =>
    href && isAllowedExternalUrl(href) ? (
      <a href={href} onClick={(event) => openExternal(event, href)} rel="noopener noreferrer" className="external-link">
        {children}
      </a>
    ) : (
      <span className="blocked-link">{children}</span>
    ),
  img: ({ alt }) => <span className="blocked-image">{alt ? `[image: ${alt}]` : '[image]'}</span>,
};

const keepSafeUrls = (url: string): string => (isAllowedExternalUrl(url) ? url : '');

/** Renders untrusted Markdown as safe, link-aware text. */
export function SafeMarkdown({ text, className }: { text: string; className?: string }): ReactElement {
  return (
    <div className={className ? `markdown ${className}` : 'markdown'}>
      <ReactMarkdown remarkPlugins={[remarkGfm]} skipHtml urlTransform={keepSafeUrls} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
