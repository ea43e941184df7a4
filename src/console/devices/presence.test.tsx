// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { afterEach, expect, it, vi } from 'vitest';
import type { DeviceSummary } from '../../shared/api/inventory';
import type { StaffEvent } from '../../shared/channel/staff-events';
import { createFakeServer } from '../../../test/fakes/console-server.fake';
import { useStaffEvents } from '../api/live';
import { renderWithData } from '../test-render';
import { DevicesPage } from './DevicesPage';

/*
 * Presence on the device list: each device's online badge and last seen, the presence filter, and the
 * live side — a `devices` staff event (a device came online or left) re-reads the list at once, long
 * before the 30 s refresh.
 */

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  history.replaceState(null, '', '/');
});

/** The browser's EventSource as the console uses it: the test says what the server streams. */
class FakeEventSource {
  static last: FakeEventSource | null = null;
  onmessage: ((message: MessageEvent<string>) => void) | null = null;
  onopen: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  emit(event: StaffEvent): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(event) }));
  }
  close(): void {
    this.closed = true;
  }
}

const NOW = Date.now();
const device = (over: Partial<DeviceSummary>): DeviceSummary => ({
  id: 'dev-1',
  hostname: 'lt-ada-0001',
  os: { platform: 'linux', name: 'Debian GNU/Linux', version: '12' },
  agentVersion: '0.1.0',
  lastSeenAt: new Date(NOW - 10 * 60_000).toISOString(),
  online: false,
  healthStatus: 'healthy',
  openTickets: 0,
  lastSnapshotId: null,
  revoked: false,
  ...over,
});

function Shell(): ReactElement {
  useStaffEvents();
  return <DevicesPage />;
}

function setup() {
  let ada = device({});
  const server = createFakeServer({
    'GET /api/v1/devices': (r) => {
      const online = r.query.get('online');
      const all = [
        ada,
        device({ id: 'dev-2', hostname: 'lt-bo-0002', online: true, lastSeenAt: new Date(NOW).toISOString() }),
      ];
      const devices = online ? all.filter((d) => String(d.online) === online) : all;
      return { body: { devices, total: devices.length } };
    },
  });
  vi.stubGlobal('fetch', server.fetch);
  vi.stubGlobal('EventSource', FakeEventSource);
  history.replaceState(null, '', '/devices');
  renderWithData(<Shell />);
  return {
    server,
    comeOnline: () => {
      ada = device({ online: true, lastSeenAt: new Date().toISOString() });
    },
  };
}

const rowOf = async (hostname: string) => (await screen.findByText(hostname)).closest('tr')!;

it('shows each device online or offline with when it was last seen', async () => {
  setup();
  const ada = await rowOf('lt-ada-0001');
  expect(within(ada).getByText('Offline')).toBeTruthy();
  expect(within(ada).getByText('10 m ago')).toBeTruthy();
  const bo = await rowOf('lt-bo-0002');
  expect(within(bo).getByText('Online')).toBeTruthy();
  expect(within(bo).getByText('now')).toBeTruthy();
});

it('filters by presence through the URL and the request', async () => {
  const { server } = setup();
  await rowOf('lt-ada-0001');
  await userEvent.selectOptions(screen.getByLabelText('Presence'), 'Online now');
  await waitFor(() => expect(screen.queryByText('lt-ada-0001')).toBeNull());
  expect(screen.getByText('lt-bo-0002')).toBeTruthy();
  expect(location.search).toBe('?online=true');
  expect(server.made('GET', '/api/v1/devices').at(-1)?.query.get('online')).toBe('true');
});

it('turns a device online the moment the server says it came online, before the next refresh', async () => {
  const { server, comeOnline } = setup();
  const ada = await rowOf('lt-ada-0001');
  expect(within(ada).getByText('Offline')).toBeTruthy();
  const reads = server.made('GET', '/api/v1/devices').length;
  comeOnline();
  FakeEventSource.last!.emit({ type: 'devices', deviceIds: ['dev-1'] });
  await waitFor(() => expect(within(ada).getByText('Online')).toBeTruthy(), { timeout: 3_000 });
  expect(server.made('GET', '/api/v1/devices').length).toBe(reads + 1);
  expect(FakeEventSource.last!.url).toMatch(/\/api\/v1\/staff\/events$/);
});
