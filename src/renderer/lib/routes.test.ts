import { describe, expect, it } from 'vitest';
import type { Route } from '../../shared/ipc/contract';
import { pathOf, routeOf } from './routes';

describe('window routes', () => {
  const routes: Route[] = [
    { screen: 'home' },
    { screen: 'check' },
    { screen: 'help' },
    { screen: 'tickets' },
    { screen: 'ticket', ticketId: 42 },
    { screen: 'articles' },
    { screen: 'article', articleId: 7 },
    { screen: 'announcements' },
    { screen: 'settings' },
    { screen: 'about' },
  ];

  it('turns every route into a path and back', () => {
    for (const route of routes) expect(routeOf(pathOf(route))).toEqual(route);
    expect(pathOf({ screen: 'ticket', ticketId: 42 })).toBe('/tickets/42');
  });

  it('reads unknown or malformed paths as Home', () => {
    for (const path of ['/nowhere', '/tickets/0', '/tickets/abc', '/tickets/1/x', '/home', '/settings/1', ''])
      expect(routeOf(path)).toEqual({ screen: 'home' });
  });
});
