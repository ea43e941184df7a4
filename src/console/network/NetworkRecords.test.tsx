// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceBandwidthDto, TicketNetSummary } from '../../shared/api/netmon-history';
import { apiError, createFakeServer, type FakeRoutes } from '../../../test/fakes/console-server.fake';
import { renderWithData } from '../test-render';
import { DeviceBandwidth } from './DeviceBandwidth';
import { TicketNetwork } from './TicketNetwork';
import { hourHealth } from './TicketNetworkStored';

/*
 * The network records in the console against the fake server: the device's bandwidth (offline: no asking;
 * "Measure now" posts, waits and shows the agent's answer), and the ticket's stored 24 hours read instead of
 * the live history, with an hour that went a quarter unanswered shown down.
 */

const DEVICE = '7b0c3f8e-1d2a-4c5b-9e6f-0a1b2c3d4e5f';
const NOW = Date.now();
const HOUR = 3_600_000;

beforeEach(() => {
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

function serve(routes: FakeRoutes) {
  const server = createFakeServer({
    'GET /api/v1/netmon/settings': apiError(503, 'unavailable', 'not needed'),
    'GET /api/v1/netmon/checks': { body: { checks: [] } },
    'GET /api/v1/tickets/:id/netmon/affected': apiError(503, 'unavailable', 'not needed'),
    ...routes,
  });
  vi.stubGlobal('fetch', server.fetch);
  return server;
}

const result = (at: number, downMbps: number, trigger: 'schedule' | 'request' = 'schedule') => ({
  at,
  downMbps,
  upMbps: 50,
  bytes: 20_000_000,
  trigger,
});

describe('device bandwidth', () => {
  it('does not offer a test while the device is offline', async () => {
    serve({
      'GET /api/v1/devices/:id/netmon/bandwidth': {
        body: { results: [result(NOW - HOUR, 412.4)], online: false, everyHours: 0 } satisfies DeviceBandwidthDto,
      },
    });
    renderWithData(<DeviceBandwidth deviceId={DEVICE} />);
    expect(await screen.findByText('412.4 Mbit/s')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Measure now' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByRole('status').textContent).toContain('Offline');
  });

  it('asks the agent, shows that it is measuring, then the new result', async () => {
    let results = [result(NOW - HOUR, 412.4)];
    const server = serve({
      'GET /api/v1/devices/:id/netmon/bandwidth': () => ({ body: { results, online: true, everyHours: 6 } }),
      'POST /api/v1/devices/:id/netmon/bandwidth': { status: 202, body: { requestedAt: NOW } },
    });
    renderWithData(<DeviceBandwidth deviceId={DEVICE} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Measure now' }));
    expect(server.made('POST', '/api/v1/devices/:id/netmon/bandwidth')).toHaveLength(1);
    expect(await screen.findByRole('button', { name: 'Measuring…' })).toBeTruthy();
    results = [result(NOW + 2_000, 356.8, 'request'), ...results];
    await waitFor(() => expect(screen.getByLabelText('Latest bandwidth test').textContent).toContain('356.8 Mbit/s'), {
      timeout: 5_000,
    });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Measure now' }).hasAttribute('disabled')).toBe(false),
    );
  });
});

describe('ticket network, stored', () => {
  const point = (t: number, received: number, availabilityPct: number) => ({
    t,
    samples: 12,
    sent: 48,
    received,
    lossPct: ((48 - received) / 48) * 100,
    rttMs: 3,
    minMs: 2,
    maxMs: 4,
    stddevMs: null,
    jitterMs: 0.3,
    error: null,
    availabilityPct,
  });

  it('shows the copy kept with the ticket and never reads the live history', async () => {
    const created = NOW - 30 * 24 * HOUR;
    const summary: TicketNetSummary = {
      ticketId: 12,
      deviceId: DEVICE,
      from: created - 24 * HOUR,
      to: created,
      targets: [
        {
          target: 'gateway',
          samples: 288,
          rttMs: 3,
          p95Ms: 4,
          jitterMs: 0.3,
          lossPct: 2.08,
          availabilityPct: 97.92,
          healthAtFiling: 'ok',
          points: [point(created - 3 * HOUR, 48, 100), point(created - 2 * HOUR, 36, 75)],
        },
      ],
      wifi: { ssid: 'Corp-F3', reports: 144, avgDbm: -61, minDbm: -75, maxDbm: -52, rateMbps: 866.7 },
    };
    const server = serve({ 'GET /api/v1/tickets/:id/netmon/summary': { body: { summary } } });
    renderWithData(<TicketNetwork ticketId={12} deviceId={DEVICE} createdAt={new Date(created).toISOString()} />);
    const gateway = await screen.findByRole('listitem', { name: 'Gateway' });
    expect(within(gateway).getByText('OK')).toBeTruthy();
    expect(gateway.textContent).toMatch(/p95 4(\.0)? ms/);
    expect(screen.getByLabelText('Wi-Fi over the 24 hours').textContent).toContain('“Corp-F3”');
    expect(server.made('GET', '/api/v1/devices/:id/netmon')).toEqual([]);
    expect(hourHealth(summary.targets[0]!.points[1]!)).toBe('down');
    expect(hourHealth(summary.targets[0]!.points[0]!)).toBe('ok');
  });
});
