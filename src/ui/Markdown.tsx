import type { MouseEvent, ReactElement, ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { isAllowedExternalUrl } from '../shared/external-url';

/*
 * The one Markdown renderer of the agent window and the console, for text from technicians, IT and
 * employees. It renders inert: raw HTML is skipped (never parsed into the DOM); a link survives only
 * when src/shared/external-url.ts allows it (https: to a named host, mailto:), everything else is
 * plain text; images are never fetched or linked — their alt text shows instead.
 * Where links go is the caller's: the window hands them to the main process (`onOpenLink`), the
 * console opens them in a new tab without an opener.
 */

/** Called with an allowed URL when a link is clicked; without it links open in a new tab. */
export type OpenLink = (url: string) => void;

function Link({ href, open, children }: { href: string; open?: OpenLink; children: ReactNode }): ReactElement {
  if (!open)
    return (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="external-link">
        {children}
      </a>
    );
  const click = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    open(href);
  };
  return (
    <a href={href} onClick={click} rel="noopener noreferrer nofollow" className="external-link">
      {children}
    </a>
  );
}

function components(open?: OpenLink): Components {
  return {
    a: ({ href, children }) =>
      href && isAllowedExternalUrl(href) ? (
        <Link href={href} open={open}>
          {children}
        </Link>
      ) : (
        <span className="blocked-link">{children}</span>
      ),
    // Never fetched, never linked: a tracking pixel or a look-alike button stays plain text.
    img: ({ alt }) => <span className="blocked-image">{alt ? `[image: ${alt}]` : '[image]'}</span>,
  };
}

const keepSafeUrls = (url: string): string => (isAllowedExternalUrl(url) ? url : '');

/** Renders untrusted Markdown as safe, link-aware HTML. */
export function Markdown({
  text,
  className,
  onOpenLink,
}: {
  text: string;
  className?: string;
  onOpenLink?: OpenLink;
}): ReactElement {
  return (
    <div className={className ? `markdown ${className}` : 'markdown'}>
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        skipHtml
        urlTransform={keepSafeUrls}
        components={components(onOpenLink)}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
