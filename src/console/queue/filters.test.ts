import { describe, expect, it } from 'vitest';
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
