// @vitest-environment jsdom
import { act, cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StaffUserDto } from '../../shared/api/auth';
import { createFakeServer } from '../../../test/fakes/console-server.fake';
import { renderWithData, TEST_USER } from '../test-render';
import { interceptLinks } from './links';
import { Shell } from './Shell';

const ADMIN: StaffUserDto = { ...TEST_USER, role: 'admin' };

beforeAll(() => {
  // jsdom lays nothing out.
  window.scrollTo = () => undefined;
  Element.prototype.scrollIntoView = () => undefined;
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  history.replaceState(null, '', '/');
});

function shellAt(path: string, user: StaffUserDto = TEST_USER) {
  history.replaceState(null, '', path);
  const server = createFakeServer({
    'GET /api/v1/tickets': { body: { tickets: [], nextCursor: null, total: 0 } },
    'GET /api/v1/staff': { body: { staff: [] } },
    'GET /api/v1/groups': { body: { groups: [] } },
    'GET /api/v1/devices': { body: { devices: [], total: 0 } },
    'GET /api/v1/articles': { body: { articles: [], total: 0 } },
  });
  vi.stubGlobal('fetch', server.fetch);
  renderWithData(<Shell />, { user });
  return server;
}

describe('Console routes (wouter)', () => {
  it('opens a deep link with its query string: the queue asks the API for the filters in the URL', async () => {
    const server = shellAt('/?status=pending&assignee=me');
    expect(await screen.findByRole('heading', { name: 'Queue', level: 1 })).toBeTruthy();
    expect(document.title).toBe('Queue · Deskside');
    const [request] = server.made('GET', '/api/v1/tickets');
    expect(request?.query.getAll('status')).toEqual(['pending']);
    expect(request?.query.get('assignee')).toBe('me');
  });

  it('reads "new" as the new-article page, not as an article id', async () => {
    shellAt('/admin/articles/new', ADMIN);
    expect(await screen.findByRole('heading', { name: 'New article', level: 1 })).toBeTruthy();
    expect(document.title).toBe('New article · Deskside');
  });

  it('answers an unknown address and an admin page reached by a technician', async () => {
    shellAt('/no/such/page');
    expect(screen.getByRole('heading', { name: 'Page not found' })).toBeTruthy();
    cleanup();
    shellAt('/admin/settings/staff');
    expect(screen.getByRole('heading', { name: 'Administrators only' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Settings' })).toBeNull();
  });

  it('follows same-origin links without a page load, and back goes back', async () => {
    const user = userEvent.setup();
    const removeLinks = interceptLinks();
    try {
      shellAt('/');
      await user.click(screen.getByRole('link', { name: 'Devices' }));
      expect(location.pathname).toBe('/devices');
      expect(await screen.findByRole('heading', { name: 'Devices', level: 1 })).toBeTruthy();
      expect(screen.getByRole('link', { name: 'Devices' }).getAttribute('aria-current')).toBe('page');
      await act(async () => {
        history.back();
        await new Promise<void>((resolve) => window.addEventListener('popstate', () => resolve(), { once: true }));
      });
      expect(location.pathname).toBe('/');
      expect(await screen.findByRole('heading', { name: 'Queue', level: 1 })).toBeTruthy();
    } finally {
      removeLinks();
    }
  });
});
