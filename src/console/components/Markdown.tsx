import type { ReactElement } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { isAllowedExternalUrl } from '../../shared/ipc/external-url';

/*
 * Markdown from staff and employees rendered safely: raw HTML is dropped (never parsed into the DOM),
 * links survive only when https: or mailto: and open in a new tab without an opener, images are not
 * fetched (a link to them is shown instead), so no text can run script or reach file: or javascript:.
 */

const components: Components = {
  a: ({ href, children }) =>
    href && isAllowedExternalUrl(href) ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    ) : (
      <span className="markdown-blocked-link">{children}</span>
    ),
  img: ({ src, alt }) =>
    typeof src === 'string' && isAllowedExternalUrl(src) ? (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow">
        {alt || 'image'}
      </a>
    ) : (
      <span>{alt ?? ''}</span>
    ),
};

function keepSafeUrls(url: string): string {
  return isAllowedExternalUrl(url) ? url : '';
}

/** Renders Markdown text as inert HTML. */
export function Markdown({ text, className }: { text: string; className?: string }): ReactElement {
  return (
    <div className={className ? `markdown ${className}` : 'markdown'}>
      <ReactMarkdown remarkPlugins={[remarkGfm]} skipHtml urlTransform={keepSafeUrls} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
