// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  DeviceNetmonDto,
  NetmonAffectedDto,
  NetmonFleetDto,
  NetmonSettingsDto,
  NetPoint,
} from '../../shared/api/netmon';
import { createFakeServer, type FakeRoutes } from '../../../test/fakes/console-server.fake';
import { netmonChanged } from '../api/netmon.queries';
import { renderWithData } from '../test-render';
import { DeviceNetwork } from './DeviceNetwork';
import { NetworkPage } from './NetworkPage';
import { mergeSeries, TicketNetwork, windowsFor } from './TicketNetwork';

/*
 * The network views against the fake server: the device section's empty state, zoom (the window it asks
 * for) and latest link; the fleet grid's cells in words and its refresh on the live event; the ticket's
 * 24 hours (which windows, how they merge) and who else is affected.
 */

const DEVICE = '7b0c3f8e-1d2a-4c5b-9e6f-0a1b2c3d4e5f';
const NOW = Date.now();
const MIN = 60_000;

beforeEach(() => {
  // jsdom has no layout: recharts' container only needs the observer to exist.
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const SETTINGS: NetmonSettingsDto = {
  plan: {
    enabled: true,
    intervalSeconds: 45,
    probes: 4,
    timeoutMs: 2000,
    gateway: true,
    gatewayTcpPort: 53,
    dns: true,
    server: true,
    targets: [{ slug: 'mail', label: 'Mail (SMTP)', method: 'tcp', host: 'mail.example.com', port: 587 }],
    bandwidthEveryHours: 0,
    bandwidthBytes: 1 << 20,
  },
  retention: { rawDays: 7, fiveMinuteDays: 90, hourlyDays: 730 },
  updatedAt: null,
};

function point(t: number, fields: Partial<NetPoint> = {}): NetPoint {
  return {
    t,
    samples: 5,
    sent: 20,
    received: 20,
    lossPct: 0,
    rttMs: 12,
    minMs: 9,
    maxMs: 20,
    stddevMs: 2,
    jitterMs: 1.5,
    error: null,
    ...fields,
  };
}

function deviceView(window: string, fields: Partial<DeviceNetmonDto> = {}): DeviceNetmonDto {
  const span = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '90d': 90 * 86_400_000 }[window]!;
  return {
    window,
    resolution: window === '1h' ? 'raw' : window === '24h' ? '5m' : '1h',
    from: NOW - span,
    to: NOW,
    targets: [],
    wifi: [],
    link: null,
    site: null,
    ...fields,
  };
}

function serve(routes: FakeRoutes) {
  const server = createFakeServer({
    'GET /api/v1/netmon/settings': { body: SETTINGS },
    'GET /api/v1/netmon/checks': { body: { checks: [] } },
    ...routes,
  });
  vi.stubGlobal('fetch', server.fetch);
  return server;
}

describe('device network section', () => {
  it('explains an empty history with the plan’s interval', async () => {
    serve({ 'GET /api/v1/devices/:id/netmon': { body: deviceView('24h') } });
    renderWithData(<DeviceNetwork deviceId={DEVICE} />);
    const empty = await screen.findByText(/No samples yet/);
    await waitFor(() => expect(empty.parentElement!.textContent).toContain('every 45 s'));
    expect(empty.parentElement!.textContent).toContain('and 1 IT target');
  });

  it('asks for the window chosen, names targets and shows the latest link', async () => {
    const server = serve({
      'GET /api/v1/devices/:id/netmon': (r) => {
        const window = r.query.get('window')!;
        return {
          body: deviceView(window, {
            targets: [
              { target: 'server', points: [point(NOW - 10 * MIN), point(NOW - 5 * MIN)] },
              {
                target: 'it:mail',
                points: [point(NOW - 10 * MIN), point(NOW - 5 * MIN, { received: 10, lossPct: 50 })],
              },
            ],
            link: {
              at: NOW - MIN,
              interface: 'wlan0',
              subnet: '10.3.1.0/24',
              kind: 'wifi',
              wifi: { ssid: 'Corp', bssid: '00:11:22:33:44:55', signalDbm: -61, rateMbps: 300, channel: 36, band: '5' },
              errors: null,
              vpn: { up: true, name: 'Corp VPN' },
            },
            site: { key: 'site:floor-3', kind: 'site', name: 'Floor 3' },
          }),
        };
      },
    });
    const user = userEvent.setup();
    renderWithData(<DeviceNetwork deviceId={DEVICE} />);
    const section = await screen.findByRole('region', { name: 'Network' });
    await within(section).findByRole('figure', { name: 'Help-desk server' });
    expect(server.made('GET', `/api/v1/devices/${DEVICE}/netmon`)[0]!.query.get('window')).toBe('24h');
    // Built-in targets first, then IT's by their label; Mail lost half its answers in the last bucket.
    const figures = within(section).getAllByRole('figure');
    expect(figures.map((f) => f.getAttribute('aria-label'))).toEqual(['Help-desk server', 'Mail (SMTP)']);
    await waitFor(() => expect(within(figures[1]!).getByText('Now: Degraded')).toBeTruthy());
    for (const fact of ['Corp', '00:11:22:33:44:55', '-61 dBm', '300 Mbit/s', '36 (5 GHz)', 'Floor 3', 'up (Corp VPN)'])
      expect(within(section).getByText(fact)).toBeTruthy();

    await user.click(within(section).getByRole('button', { name: 'Show the last 90 days' }));
    await waitFor(() =>
      expect(server.made('GET', `/api/v1/devices/${DEVICE}/netmon`).at(-1)!.query.get('window')).toBe('90d'),
    );
    expect(await within(section).findByText(/hourly averages over the last 90 days/)).toBeTruthy();
    expect(within(section).getByRole('button', { name: 'Show the last 90 days' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
  });
});

describe('fleet grid', () => {
  const fleet = (mail: 'degraded' | 'ok'): NetmonFleetDto => ({
    computedAt: NOW,
    windowMs: 15 * MIN,
    targets: ['gateway', 'it:mail'],
    sites: [{ key: 'site:floor-3', kind: 'site', name: 'Floor 3' }],
    cells: [
      { target: 'gateway', site: 'site:floor-3', health: 'ok', ok: 3, degraded: 0, down: 0, lossPct: 0, rttMs: 2 },
      { target: 'gateway', site: null, health: 'down', ok: 0, degraded: 0, down: 1, lossPct: 100, rttMs: null },
      mail === 'degraded'
        ? {
            target: 'it:mail',
            site: 'site:floor-3',
            health: 'degraded',
            ok: 1,
            degraded: 2,
            down: 0,
            lossPct: 20,
            rttMs: 350,
          }
        : { target: 'it:mail', site: 'site:floor-3', health: 'ok', ok: 3, degraded: 0, down: 0, lossPct: 0, rttMs: 30 },
    ],
  });

  it('colours targets × sites with their numbers in words, and follows the live event', async () => {
    let state: 'degraded' | 'ok' = 'degraded';
    serve({ 'GET /api/v1/netmon/fleet': () => ({ body: fleet(state) }) });
    const { client } = renderWithData(<NetworkPage />);
    const grid = await screen.findByRole('table', { name: 'Targets by site' });
    expect(
      within(grid)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Target', 'Floor 3', 'No known site']);
    const mail = await within(grid).findByRole('button', { name: /^Mail \(SMTP\) at Floor 3: Degraded/ });
    expect(mail.getAttribute('aria-label')).toBe(
      'Mail (SMTP) at Floor 3: Degraded. 3 devices: 1 ok, 2 degraded, 0 down. Loss 20%, average round trip 350 ms.',
    );
    expect(mail.textContent).toBe('Degraded2/3');
    expect(within(grid).getByRole('button', { name: /^Gateway at No known site: Down/ })).toBeTruthy();
    // Mail has no cell without a site: an empty cell, not a button.
    expect(within(grid).getAllByRole('button')).toHaveLength(3);
    expect(screen.getByRole('list', { name: 'Legend' }).textContent).toContain('Degraded (1)');

    state = 'ok';
    act(() => netmonChanged(client, { type: 'netmon', what: 'fleet' }));
    expect(await within(grid).findByRole('button', { name: /^Mail \(SMTP\) at Floor 3: OK/ })).toBeTruthy();
    expect(screen.getByText(/No server-side checks/)).toBeTruthy();
  });
});

describe('ticket network', () => {
  it('reads the 24 hours before a ticket from the finest windows that hold them', () => {
    const DAY = 86_400_000;
    expect(windowsFor(NOW - 10 * MIN, NOW)).toEqual(['24h', '7d']);
    expect(windowsFor(NOW - 3 * DAY, NOW)).toEqual(['7d']);
    expect(windowsFor(NOW - 30 * DAY, NOW)).toEqual(['90d']);
    expect(windowsFor(NOW - 120 * DAY, NOW)).toEqual([]);
    const created = NOW - 2 * 3_600_000;
    const fine = deviceView('24h', {
      targets: [
        { target: 'gateway', points: [point(NOW - 23 * 3_600_000), point(created - MIN), point(created + MIN)] },
      ],
    });
    const coarse = deviceView('7d', {
      targets: [
        {
          target: 'gateway',
          points: [point(created - 25 * 3_600_000), point(NOW - 25 * 3_600_000), point(NOW - 23 * 3_600_000)],
        },
      ],
    });
    const merged = mergeSeries([fine, coarse], created - DAY, created);
    // Hourly before the 24 h window's start, 5-minute within it, nothing after the ticket or a day before it.
    expect(merged.get('gateway')!.map((p) => p.t)).toEqual([NOW - 25 * 3_600_000, NOW - 23 * 3_600_000, created - MIN]);
  });

  it('shows each target’s health when filed and who else is affected, with their tickets', async () => {
    const created = new Date(NOW - 5 * MIN).toISOString();
    const affected: NetmonAffectedDto = {
      ticketId: 12,
      deviceId: DEVICE,
      from: NOW - 35 * MIN,
      to: NOW,
      site: { key: 'site:floor-3', kind: 'site', name: 'Floor 3' },
      degradedTargets: ['it:mail'],
      devices: [
        {
          deviceId: '8b0c3f8e-1d2a-4c5b-9e6f-0a1b2c3d4e5f',
          hostname: 'lt-ben-0207',
          site: { key: 'site:floor-3', kind: 'site', name: 'Floor 3' },
          reasons: ['site', 'target'],
          targets: [{ target: 'it:mail', health: 'degraded', lossPct: 40, rttMs: 380 }],
          ticketIds: [14],
        },
      ],
    };
    serve({
      'GET /api/v1/devices/:id/netmon': (r) => ({
        body: deviceView(r.query.get('window')!, {
          targets: [
            { target: 'gateway', points: [point(NOW - 60 * MIN), point(NOW - 10 * MIN)] },
            { target: 'it:mail', points: [point(NOW - 60 * MIN), point(NOW - 10 * MIN, { received: 8, lossPct: 60 })] },
          ],
        }),
      }),
      'GET /api/v1/tickets/:id/netmon/affected': { body: affected },
    });
    renderWithData(<TicketNetwork ticketId={12} deviceId={DEVICE} createdAt={created} />);
    const card = await screen.findByRole('region', { name: 'Network in the 24 hours before the ticket' });
    const targets = await within(card).findByRole('list', { name: 'Targets' });
    expect(
      within(targets)
        .getAllByRole('listitem')
        .map((li) => li.getAttribute('aria-label')),
    ).toEqual(['Gateway', 'Mail (SMTP)']);
    expect(within(within(targets).getByRole('listitem', { name: 'Mail (SMTP)' })).getByText('Degraded')).toBeTruthy();
    expect(within(within(targets).getByRole('listitem', { name: 'Gateway' })).getByText('OK')).toBeTruthy();
    const others = await within(card).findByRole('list', { name: 'Other affected devices' });
    const ben = within(others).getByRole('listitem', { name: 'lt-ben-0207' });
    expect(ben.textContent).toContain('same site and same target');
    expect(ben.textContent).toContain('Mail (SMTP): degraded (40% loss)');
    expect(within(ben).getByRole('link', { name: 'Ticket #14' }).getAttribute('href')).toBe('/tickets/14');
  });
});
