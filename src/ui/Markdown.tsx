import type { MouseEvent, ReactElement, ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { fixItTarget } from '../shared/actions/self-service';
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

/**
 * Renders a Fix-it link (`[words](deskside-fix:ACTION)`, issue 12) as the caller's button. Without it (the
 * console) the words show as a marked span: nothing there runs anything.
 */
export type RenderFixIt = (action: string, children: ReactNode) => ReactElement;

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

function FixItLink({ href, render, children }: { href: string; render?: RenderFixIt; children: ReactNode }) {
  const action = fixItTarget(href) ?? '';
  if (render) return render(action, children);
  return (
    <span className="fix-it-link" title={`A “Fix it” button in the tray window (${action})`}>
      {children}
    </span>
  );
}

function components(open?: OpenLink, fixIt?: RenderFixIt): Components {
  return {
    a: ({ href, children }) =>
      href && fixItTarget(href) !== null ? (
        <FixItLink href={href} render={fixIt}>
          {children}
        </FixItLink>
      ) : href && isAllowedExternalUrl(href) ? (
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

// Fix-it targets are kept for the `a` component above, which never makes them a link.
const keepSafeUrls = (url: string): string => (isAllowedExternalUrl(url) || fixItTarget(url) !== null ? url : '');

/** Renders untrusted Markdown as safe, link-aware HTML. */
export function Markdown({
  text,
  className,
  onOpenLink,
  renderFixIt,
}: {
  text: string;
  className?: string;
  onOpenLink?: OpenLink;
  renderFixIt?: RenderFixIt;
}): ReactElement {
  return (
    <div className={className ? `markdown ${className}` : 'markdown'}>
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        skipHtml
        urlTransform={keepSafeUrls}
        components={components(onOpenLink, renderFixIt)}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
