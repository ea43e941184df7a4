import { useSyncExternalStore } from 'react';

/*
 * A small history-API router. The location is an external store fed by navigate() and by popstate,
 * so pages that call history.pushState and dispatch popstate themselves (the admin pages) are
 * followed too. Same-origin <a href> clicks anywhere in the document are turned into navigations.
 */

const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) window.addEventListener('popstate', notify);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** The current path and query string, re-rendering on every navigation. */
export function useLocation(): { path: string; search: URLSearchParams; href: string } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const [path = '/', query = ''] = href.split('?');
  return { path, search: new URLSearchParams(query), href };
}

/** Goes to a console path (pushes history, or replaces with `replace`) and scrolls to the top. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
  if (!options.replace) window.scrollTo(0, 0);
}

/** Matches `/tickets/:id` against a path; named segments come back decoded. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) return null;
  }
  return params;
}

/** Whether a click should stay a normal browser action (new tab, download, other origin, API file). */
function isPlainClick(event: globalThis.MouseEvent, anchor: HTMLAnchorElement): boolean {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
    return true;
  if (anchor.target && anchor.target !== '_self') return true;
  if (anchor.hasAttribute('download') || anchor.getAttribute('rel')?.includes('external')) return true;
  const url = new URL(anchor.href, window.location.href);
  if (url.origin !== window.location.origin) return true;
  // In-page anchors (#storage) stay with the browser.
  if (url.hash && url.pathname === window.location.pathname && url.search === window.location.search) return true;
  return url.pathname.startsWith('/api/');
}

/** Installs the document-wide click handler that routes same-origin links; returns its remover. */
export function interceptLinks(): () => void {
  const onClick = (event: globalThis.MouseEvent) => {
    const anchor = (event.target as Element | null)?.closest?.('a[href]');
    if (!(anchor instanceof HTMLAnchorElement) || isPlainClick(event, anchor)) return;
    const url = new URL(anchor.href, window.location.href);
    event.preventDefault();
    navigate(url.pathname + url.search);
  };
  document.addEventListener('click', onClick);
  return () => document.removeEventListener('click', onClick);
}
