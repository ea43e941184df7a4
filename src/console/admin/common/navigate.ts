/** Moves to another console page without a reload; the shell's router listens to popstate. */
export function navigate(path: string): void {
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}
