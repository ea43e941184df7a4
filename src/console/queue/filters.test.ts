import { describe, expect, it } from 'vitest';
import { matchPath } from '../app/router';
import { filtersFrom, filtersToQuery, filtersToSearch } from './filters';

describe('queue filters in the URL', () => {
  it('keeps known filters only, in one canonical order', () => {
    const filters = filtersFrom(new URLSearchParams('q=vpn&evil=1&assignee=me&status=open'));
    expect(filters).toEqual({ q: 'vpn', assignee: 'me', status: 'open' });
    expect(filtersToSearch(filters)).toBe('?status=open&assignee=me&q=vpn');
    expect(filtersToSearch({})).toBe('');
  });

  it('turns "all" statuses into every status for the API', () => {
    expect(filtersToQuery({ status: 'all' }).status).toEqual(['new', 'open', 'pending', 'resolved', 'closed']);
    expect(filtersToQuery({ status: 'pending' }).status).toEqual(['pending']);
    expect(filtersToQuery({}).status).toBeUndefined();
  });
});

describe('matchPath', () => {
  it('matches named segments and decodes them', () => {
    expect(matchPath('/tickets/:id', '/tickets/42')).toEqual({ id: '42' });
    expect(matchPath('/devices/:id', '/devices/a%20b')).toEqual({ id: 'a b' });
    expect(matchPath('/', '/')).toEqual({});
  });

  it('refuses other shapes and broken escapes', () => {
    expect(matchPath('/tickets/:id', '/tickets')).toBeNull();
    expect(matchPath('/tickets/:id', '/tickets/1/extra')).toBeNull();
    expect(matchPath('/snapshots/:id/changes', '/snapshots/3/other')).toBeNull();
    expect(matchPath('/tickets/:id', '/tickets/%E0%A4%A')).toBeNull();
  });
});
