import { navigate } from 'wouter/use-browser-location';

/*
 * The pages write plain `<a href>` links (so they stay links: middle-click, copy address, open in a
 * new tab). One document-wide click handler turns a plain left click on a same-origin console link
 * into a wouter navigation instead of a page load.
 */

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
    const to = url.pathname + url.search;
    if (to !== window.location.pathname + window.location.search) navigate(to);
  };
  document.addEventListener('click', onClick);
  return () => document.removeEventListener('click', onClick);
}
