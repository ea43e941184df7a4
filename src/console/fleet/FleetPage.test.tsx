// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FleetSoftwareResponse, FleetSummary } from '../../shared/api/fleet';
import { apiError, createFakeServer, type FakeRoutes } from '../../../test/fakes/console-server.fake';
import { renderWithData, TEST_USER } from '../test-render';
import { FleetPage } from './FleetPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  history.replaceState(null, '', '/');
});

const SUMMARY: FleetSummary = {
  devices: 3,
  online: 2,
  byOs: [
    { platform: 'linux', name: 'Ubuntu', version: '24.04.2 LTS', devices: 2 },
    { platform: 'win32', name: 'Windows 11 Pro', version: '23H2', devices: 1 },
  ],
  byHealth: [
    { status: 'critical', devices: 1 },
    { status: 'warning', devices: 0 },
    { status: 'healthy', devices: 2 },
    { status: 'unknown', devices: 0 },
  ],
  byFinding: [{ code: 'disk.almost_full', devices: 1 }],
};

const ALPHA = {
  id: '6f1c2f9e-34c2-4b4e-9a51-0d1f2a3b4c5d',
  hostname: 'lt-alpha',
  os: { platform: 'linux', name: 'Ubuntu', version: '24.04.2 LTS' },
  healthStatus: 'critical' as const,
  lastSeenAt: '2026-03-02T09:00:00.000Z',
  online: true,
};

const CHROME_OLD: FleetSoftwareResponse = {
  matches: [{ ...ALPHA, name: 'google-chrome-stable', version: '120.0.6099.109-1', source: 'dpkg' }],
  total: 1,
  devices: 1,
  versions: [
    { version: '134.0.6998.35-1', devices: 1 },
    { version: '120.0.6099.109-1', devices: 1 },
  ],
};

function fleetAt(path: string, routes: FakeRoutes = {}) {
  history.replaceState(null, '', path);
  const server = createFakeServer({
    'GET /api/v1/fleet/summary': { body: SUMMARY },
    'GET /api/v1/fleet/software': { body: CHROME_OLD },
    'GET /api/v1/fleet/devices': { body: { devices: [ALPHA], total: 1 } },
    ...routes,
  });
  vi.stubGlobal('fetch', server.fetch);
  renderWithData(<FleetPage />, { user: TEST_USER });
  return server;
}

describe('Fleet page', () => {
  it('shows the OS breakdown, health and finding counts as tables linking to the devices behind them', async () => {
    fleetAt('/fleet');
    const os = await screen.findByRole('table', { name: 'Operating systems' });
    expect(
      within(os)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Operating system', 'Devices']);
    expect(within(os).getByRole('rowheader', { name: 'Ubuntu 24.04.2 LTS' })).toBeTruthy();
    expect(within(os).getByRole('link', { name: '2 devices with Ubuntu 24.04.2 LTS' }).getAttribute('href')).toBe(
      '/fleet?os=Ubuntu&osVersion=24.04.2+LTS#fleet-devices',
    );
    const health = screen.getByRole('table', { name: 'Health' });
    expect(within(health).getByRole('link', { name: '1 critical devices' }).getAttribute('href')).toBe(
      '/devices?health=critical',
    );
    // Nothing to list behind a zero.
    expect(within(health).queryByRole('link', { name: /warning/ })).toBeNull();
    const findings = screen.getByRole('table', { name: 'Findings' });
    expect(within(findings).getByRole('link', { name: '1 devices with disk.almost_full' }).getAttribute('href')).toBe(
      '/fleet?finding=disk.almost_full#fleet-devices',
    );
    expect(screen.getByRole('link', { name: '2 online' })).toBeTruthy();
  });

  it('finds the devices with a package older than a version, from the keyboard, with links to their pages', async () => {
    const user = userEvent.setup();
    const server = fleetAt('/fleet');
    await user.click(screen.getByRole('textbox', { name: 'Package name' }));
    await user.keyboard('google-chrome-stable');
    await user.tab();
    await user.keyboard('125{Enter}');

    expect(await screen.findByRole('status')).toHaveProperty(
      'textContent',
      '1 device has google-chrome-stable older than 125.',
    );
    const [request] = server.made('GET', '/api/v1/fleet/software');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      name: 'google-chrome-stable',
      versionBelow: '125',
      limit: '50',
      offset: '0',
    });
    const table = screen.getByRole('table', { name: 'Devices with google-chrome-stable' });
    expect(within(table).getByRole('link', { name: 'lt-alpha' }).getAttribute('href')).toBe(`/devices/${ALPHA.id}`);
    expect(within(table).getByRole('cell', { name: '120.0.6099.109-1' })).toBeTruthy();
    expect(location.search).toBe('?package=google-chrome-stable&below=125');
  });

  it('lists the devices of a filter from the URL and clears it', async () => {
    const user = userEvent.setup();
    const server = fleetAt('/fleet?finding=disk.almost_full');
    const table = await screen.findByRole('table', { name: 'Devices: with disk.almost_full' });
    expect(within(table).getByRole('link', { name: 'lt-alpha' })).toBeTruthy();
    expect(server.made('GET', '/api/v1/fleet/devices')[0]?.query.get('finding')).toBe('disk.almost_full');
    await user.click(screen.getByRole('button', { name: 'Clear filter' }));
    expect(screen.queryByRole('table', { name: /^Devices:/ })).toBeNull();
    expect(location.search).toBe('');
  });

  it('says why the server refused a search', async () => {
    fleetAt('/fleet?package=chrome&below=..', {
      'GET /api/v1/fleet/software': apiError(
        400,
        'bad_request',
        'versionBelow: A version needs at least one digit or letter',
      ),
    });
    expect((await screen.findByRole('alert')).textContent).toContain('A version needs at least one digit or letter');
    expect(screen.getByRole('textbox', { name: 'Older than version' })).toHaveProperty('value', '..');
  });
});
