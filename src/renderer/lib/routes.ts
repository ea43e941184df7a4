import type { Route } from '../../shared/ipc/contract';

/*
 * The window's screens as paths for wouter (in memory: the window has no address bar), and back: the
 * main process and the screens speak in `Route` values of the contract, the router in paths.
 */

/** The path of a route: "/", "/tickets", "/tickets/42", "/articles/7". */
export function pathOf(route: Route): string {
  switch (route.screen) {
    case 'home':
      return '/';
    case 'ticket':
      return `/tickets/${route.ticketId}`;
    case 'article':
      return `/articles/${route.articleId}`;
    default:
      return `/${route.screen}`;
  }
}

const SCREENS = new Set<string>(['check', 'help', 'tickets', 'articles', 'announcements', 'settings', 'about']);

/** The route of a path; anything unknown is Home. */
export function routeOf(path: string): Route {
  const [, first = '', second, ...rest] = path.split('/');
  const id = second !== undefined && /^[1-9]\d{0,15}$/.test(second) ? Number(second) : null;
  if (rest.length === 0 && id !== null) {
    if (first === 'tickets') return { screen: 'ticket', ticketId: id };
    if (first === 'articles') return { screen: 'article', articleId: id };
  }
  if (second === undefined && SCREENS.has(first))
    return { screen: first as Exclude<Route['screen'], 'ticket' | 'article'> };
  return { screen: 'home' };
}
