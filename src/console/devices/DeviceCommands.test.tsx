// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import type { CommandDto } from '../../shared/api/commands';
import type { DeviceDetail } from '../../shared/api/inventory';
import type { LocalActionDto } from '../../shared/api/local-actions';
import { createFakeServer } from '../../../test/fakes/console-server.fake';
import { renderWithData } from '../test-render';
import { DevicePage } from './DevicePage';

/* The device page lists what technicians ran on the device, from any ticket, each linked to its ticket. */

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const DEVICE_ID = '0b6c1c8e-7d2f-4b7e-9b1a-3f2d5c6e7a81';
const NOW = Date.now();

const DEVICE: DeviceDetail = {
  id: DEVICE_ID,
  hostname: 'lt-jdoe-0042',
  os: { platform: 'linux', name: 'Debian GNU/Linux', version: '12' },
  agentVersion: '0.1.0',
  lastSeenAt: new Date(NOW).toISOString(),
  online: true,
  healthStatus: 'healthy',
  openTickets: 1,
  lastSnapshotId: null,
  revoked: false,
  machineId: 'm-1',
  groups: [],
  enrolledAt: new Date(NOW - 86_400_000).toISOString(),
  lastSnapshot: null,
  findings: [],
};

const command = (over: Partial<CommandDto>): CommandDto => ({
  id: '5b0d6a0e-0000-4000-8000-000000000001',
  deviceId: DEVICE_ID,
  ticketId: 9,
  action: 'net.ping',
  title: 'Ping',
  params: { host: '127.0.0.1', count: 4 },
  reason: 'Checking the network',
  visibility: 'internal',
  requestedBy: { id: 1, name: 'Tess Tech' },
  issuedAt: new Date(NOW - 60_000).toISOString(),
  expiresAt: new Date(NOW + 3_600_000).toISOString(),
  status: 'failed',
  consent: { by: 'policy', name: null, at: new Date(NOW).toISOString() },
  refusal: null,
  result: { exitCode: 1, durationMs: 850, output: '100% packet loss', fields: null, error: null },
  updatedAt: new Date(NOW).toISOString(),
  ...over,
});

it("lists the device's commands from every ticket, each linked to its ticket", async () => {
  const server = createFakeServer({
    [`GET /api/v1/devices/${DEVICE_ID}`]: { body: DEVICE },
    [`GET /api/v1/devices/${DEVICE_ID}/snapshots`]: { body: { snapshots: [], total: 0 } },
    'GET /api/v1/tickets': { body: { tickets: [], nextCursor: null } },
    [`GET /api/v1/devices/${DEVICE_ID}/commands`]: {
      body: {
        commands: [
          command({}),
          command({
            id: '5b0d6a0e-0000-4000-8000-000000000002',
            ticketId: null,
            action: 'dns.flush-cache',
            title: 'Flush the DNS cache',
            params: {},
            status: 'expired',
            consent: null,
            result: null,
          }),
        ],
      },
    },
  });
  vi.stubGlobal('fetch', server.fetch);
  renderWithData(<DevicePage params={{ id: DEVICE_ID }} />);
  const list = await screen.findByRole('list', { name: 'Commands on this device' });
  const [ping, flush] = within(list).getAllByRole('listitem');
  expect(within(ping!).getByText('Failed')).toBeTruthy();
  expect(within(ping!).getByRole('link', { name: '#9' }).getAttribute('href')).toBe('/tickets/9');
  expect(within(ping!).getByText('Ran unattended (IT policy)')).toBeTruthy();
  expect(within(ping!).getByText('850 ms')).toBeTruthy();
  expect(within(ping!).getByLabelText('Output of Ping').textContent).toBe('100% packet loss');
  expect(within(flush!).getByText('Expired')).toBeTruthy();
  expect(within(flush!).queryByRole('link')).toBeNull();
  await waitFor(() => expect(server.made('GET', `/api/v1/devices/${DEVICE_ID}/commands`)).toHaveLength(1));
});

it('tells a prompt nobody answered apart from a denial: expired, no one named', async () => {
  const server = createFakeServer({
    [`GET /api/v1/devices/${DEVICE_ID}`]: { body: DEVICE },
    [`GET /api/v1/devices/${DEVICE_ID}/snapshots`]: { body: { snapshots: [], total: 0 } },
    'GET /api/v1/tickets': { body: { tickets: [], nextCursor: null } },
    [`GET /api/v1/devices/${DEVICE_ID}/commands`]: {
      body: {
        commands: [
          command({ status: 'expired', consent: null, result: null, expiry: 'No answer before the request expired' }),
          command({
            id: '5b0d6a0e-0000-4000-8000-000000000002',
            status: 'denied',
            consent: { by: 'employee', name: 'Jo Doe', at: new Date(NOW).toISOString() },
            result: null,
          }),
        ],
      },
    },
  });
  vi.stubGlobal('fetch', server.fetch);
  renderWithData(<DevicePage params={{ id: DEVICE_ID }} />);
  const list = await screen.findByRole('list', { name: 'Commands on this device' });
  const [unanswered, denied] = within(list).getAllByRole('listitem');
  expect(within(unanswered!).getByText('Expired')).toBeTruthy();
  expect(
    within(unanswered!).getByText('No answer before the request expired; nobody allowed or denied it'),
  ).toBeTruthy();
  expect(within(unanswered!).queryByText(/Denied by/)).toBeNull();
  expect(within(denied!).getByText('Denied by Jo Doe')).toBeTruthy();
});

it('lists the employee’s Fix-it runs among the commands by time, marked “Run by the employee”', async () => {
  const run = (over: Partial<LocalActionDto>): LocalActionDto => ({
    id: '7c0d6a0e-0000-4000-8000-000000000001',
    deviceId: DEVICE_ID,
    action: 'disk.clear-temp',
    title: 'Clear temporary files',
    params: { olderThanDays: 7 },
    source: { kind: 'finding', code: 'disk.almost_full' },
    ok: true,
    exitCode: null,
    durationMs: 2300,
    fields: { bytesFreed: 5 * 1024 * 1024, filesDeleted: 3, skipped: 0 },
    output: '/tmp: 3 file(s), 5242880 bytes freed, 0 skipped\n',
    outputTruncated: false,
    error: null,
    startedAt: new Date(NOW - 30_000).toISOString(),
    receivedAt: new Date(NOW - 29_000).toISOString(),
    ...over,
  });
  const server = createFakeServer({
    [`GET /api/v1/devices/${DEVICE_ID}`]: { body: DEVICE },
    [`GET /api/v1/devices/${DEVICE_ID}/snapshots`]: { body: { snapshots: [], total: 0 } },
    'GET /api/v1/tickets': { body: { tickets: [], nextCursor: null } },
    [`GET /api/v1/devices/${DEVICE_ID}/commands`]: { body: { commands: [command({})] } },
    [`GET /api/v1/devices/${DEVICE_ID}/local-actions`]: {
      body: {
        runs: [
          run({}),
          run({
            id: '7c0d6a0e-0000-4000-8000-000000000002',
            action: 'printing.restart-spooler',
            title: 'Restart the print spooler',
            params: { clearJobs: true },
            source: { kind: 'article', articleId: 12 },
            ok: false,
            exitCode: 1,
            fields: {},
            output: '',
            error: 'exit: systemctl exited 1',
            startedAt: new Date(NOW - 120_000).toISOString(),
          }),
        ],
      },
    },
  });
  vi.stubGlobal('fetch', server.fetch);
  renderWithData(<DevicePage params={{ id: DEVICE_ID }} />);
  const list = await screen.findByRole('list', { name: 'Commands on this device' });
  await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(3));
  const [temp, ping, spooler] = within(list).getAllByRole('listitem');
  expect(temp!.textContent).toContain('Clear temporary files');
  expect(within(temp!).getByText('Run by the employee')).toBeTruthy();
  expect(within(temp!).getByText('Freed 5.0 MB (3 files).')).toBeTruthy();
  expect(within(temp!).getByText('disk.almost_full')).toBeTruthy();
  expect(within(temp!).getByLabelText('Output of Clear temporary files').textContent).toContain('5242880 bytes freed');
  expect(ping!.textContent).toContain('Ping');
  expect(within(ping!).queryByText('Run by the employee')).toBeNull();
  expect(within(spooler!).getByText('Failed')).toBeTruthy();
  expect(within(spooler!).getByText('exit: systemctl exited 1')).toBeTruthy();
  expect(within(spooler!).getByRole('link', { name: '#12' }).getAttribute('href')).toBe('/admin/articles/12');
});
