// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { afterEach, expect, it, vi } from 'vitest';
import type { CommandDto } from '../../shared/api/commands';
import type { TicketDto } from '../../shared/api/tickets';
import type { StaffEvent } from '../../shared/channel/staff-events';
import { apiError, createFakeServer, type FakeRoutes } from '../../../test/fakes/console-server.fake';
import { useStaffEvents } from '../api/live';
import { renderWithData } from '../test-render';
import { DeviceActions } from './DeviceActions';

/*
 * Run on device: the exact request a ping makes, the form's own checks (nothing is sent for an empty
 * host), the server's refusal shown as it says it, the ticket's commands with status, consent, result
 * and output, Cancel, and a `command` staff event re-reading the list at once.
 */

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The browser's EventSource as the console uses it: the test says what the server streams. */
class FakeEventSource {
  static last: FakeEventSource | null = null;
  onmessage: ((message: MessageEvent<string>) => void) | null = null;
  onopen: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  emit(event: StaffEvent): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(event) }));
  }
  close(): void {}
}

const TICKET = {
  id: 9,
  subject: 'The file server is slow',
  status: 'open',
  device: { id: 'dev-42', hostname: 'lt-jdoe-0042' },
} as TicketDto & { device: NonNullable<TicketDto['device']> };

const NOW = Date.now();
const command = (over: Partial<CommandDto>): CommandDto => ({
  id: '5b0d6a0e-0000-4000-8000-000000000001',
  deviceId: 'dev-42',
  ticketId: 9,
  action: 'net.ping',
  title: 'Ping',
  params: { host: '127.0.0.1', count: 4 },
  reason: 'Checking the network',
  visibility: 'internal',
  requestedBy: { id: 1, name: 'Tess Tech' },
  issuedAt: new Date(NOW - 5 * 60_000).toISOString(),
  expiresAt: new Date(NOW + 90 * 60_000 + 30_000).toISOString(),
  status: 'queued',
  consent: null,
  refusal: null,
  result: null,
  updatedAt: new Date(NOW).toISOString(),
  ...over,
});

function Shell(): ReactElement {
  useStaffEvents();
  return <DeviceActions ticket={TICKET} />;
}

function setup(routes: FakeRoutes = {}, commands: CommandDto[] = []) {
  const list = { commands };
  const server = createFakeServer({
    'GET /api/v1/tickets/9/commands': () => ({ body: list }),
    'POST /api/v1/tickets/9/commands': (r) => {
      const body = r.body as { action: string; params: Record<string, unknown>; reason: string };
      const made = command({ id: '5b0d6a0e-0000-4000-8000-0000000000ff', ...body, title: 'Ping' });
      list.commands = [made, ...list.commands];
      return { status: 201, body: made };
    },
    ...routes,
  });
  vi.stubGlobal('fetch', server.fetch);
  vi.stubGlobal('EventSource', FakeEventSource);
  renderWithData(<Shell />);
  return { server, list };
}

const form = () => screen.getByRole('form', { name: 'Run on device' });

it('requests a ping with exactly the parameters, reason, visibility and expiry given', async () => {
  const { server } = setup();
  await screen.findByText(/Nothing has been run/);
  const user = userEvent.setup();
  await user.selectOptions(screen.getByLabelText('Action'), 'Ping');
  expect(within(form()).getByText('Reads only')).toBeTruthy();
  expect(within(form()).getByText('Consent per IT policy')).toBeTruthy();
  await user.type(screen.getByLabelText('Host'), '127.0.0.1');
  await user.clear(screen.getByLabelText('Requests (optional)'));
  await user.type(screen.getByLabelText('Requests (optional)'), '3');
  await user.type(screen.getByLabelText('Reason (shown to the employee)'), 'Is the network up?');
  await user.selectOptions(screen.getByLabelText('Result'), 'Visible to the employee');
  await user.selectOptions(screen.getByLabelText('Expires if not taken within'), '4 hours');
  await user.click(screen.getByRole('button', { name: 'Run' }));
  await waitFor(() => expect(server.made('POST', '/api/v1/tickets/9/commands')).toHaveLength(1));
  expect(server.made('POST', '/api/v1/tickets/9/commands')[0]!.body).toEqual({
    action: 'net.ping',
    params: { host: '127.0.0.1', count: 3 },
    reason: 'Is the network up?',
    visibility: 'public',
    expiresInMinutes: 240,
  });
  // The list shows it at once (the mutation refreshes it), queued.
  const list = await screen.findByRole('list', { name: 'Commands on this ticket' });
  expect(within(list).getByText('Queued')).toBeTruthy();
  expect(within(list).getByText('host=127.0.0.1 count=3')).toBeTruthy();
});

it('sends nothing while a required field is empty or a number out of bounds, and says which', async () => {
  const { server } = setup();
  const user = userEvent.setup();
  await user.selectOptions(screen.getByLabelText('Action'), 'Ping');
  await user.type(screen.getByLabelText('Reason (shown to the employee)'), 'Check');
  await user.click(screen.getByRole('button', { name: 'Run' }));
  const host = screen.getByLabelText('Host');
  expect(host.getAttribute('aria-invalid')).toBe('true');
  expect(screen.getByText('Host: enter a value')).toBeTruthy();
  await waitFor(() => expect(document.activeElement).toBe(host));

  await user.type(host, '-oProxyCommand=x');
  await user.clear(screen.getByLabelText('Requests (optional)'));
  await user.type(screen.getByLabelText('Requests (optional)'), '21');
  await user.click(screen.getByRole('button', { name: 'Run' }));
  expect(screen.getByText(/Host: must be a host name or an IP address/)).toBeTruthy();
  expect(screen.getByText('Requests: must be between 1 and 20')).toBeTruthy();
  expect(server.made('POST', '/api/v1/tickets/9/commands')).toHaveLength(0);
});

it("shows the server's refusal as it words it", async () => {
  setup({
    'POST /api/v1/tickets/9/commands': apiError(
      422,
      'unsupported_platform',
      'Renew the DHCP lease is not available on this device',
    ),
  });
  const user = userEvent.setup();
  await user.selectOptions(screen.getByLabelText('Action'), 'Renew the DHCP lease');
  expect(within(form()).getByText('Changes the device')).toBeTruthy();
  await user.type(screen.getByLabelText('Reason (shown to the employee)'), 'No address');
  await user.click(screen.getByRole('button', { name: 'Run' }));
  expect((await screen.findByRole('alert')).textContent).toBe(
    'The server refused: Renew the DHCP lease is not available on this device',
  );
});

it('lists the commands with status, consent, exit code, duration and output in a focusable region', async () => {
  setup({}, [
    command({
      id: '5b0d6a0e-0000-4000-8000-000000000002',
      status: 'succeeded',
      consent: { by: 'employee', name: 'Jo Doe', at: new Date(NOW).toISOString() },
      result: {
        exitCode: 0,
        durationMs: 3_050,
        output: '4 packets transmitted, 4 received',
        fields: null,
        error: null,
      },
    }),
    command({
      id: '5b0d6a0e-0000-4000-8000-000000000003',
      action: 'dns.flush-cache',
      title: 'Flush the DNS cache',
      params: {},
      status: 'denied',
      consent: { by: 'employee', name: 'Jo Doe', at: new Date(NOW).toISOString() },
    }),
    command({ id: '5b0d6a0e-0000-4000-8000-000000000004', status: 'awaiting-consent' }),
  ]);
  const list = await screen.findByRole('list', { name: 'Commands on this ticket' });
  const items = within(list).getAllByRole('listitem');
  expect(items).toHaveLength(3);
  const done = items[0]!;
  expect(within(done).getByText('Succeeded')).toBeTruthy();
  expect(within(done).getByText('Allowed by Jo Doe')).toBeTruthy();
  expect(within(done).getByText('0')).toBeTruthy();
  expect(within(done).getByText('3.0 s')).toBeTruthy();
  expect(within(done).queryByText('Expires')).toBeNull();
  const output = within(done).getByLabelText('Output of Ping');
  expect(output.tagName).toBe('PRE');
  expect(output.tabIndex).toBe(0);
  expect(output.textContent).toBe('4 packets transmitted, 4 received');
  expect(within(items[1]!).getByText('Denied')).toBeTruthy();
  expect(within(items[1]!).getByText('Denied by Jo Doe')).toBeTruthy();
  expect(within(items[2]!).getByText('Awaiting consent')).toBeTruthy();
  expect(within(items[2]!).getByText('in 1 h 30 m')).toBeTruthy();
  expect(within(items[2]!).getByText(/by Tess Tech/)).toBeTruthy();
  // Only a queued command can be cancelled.
  expect(within(list).queryByRole('button', { name: /Cancel/ })).toBeNull();
});

it('cancels a queued command', async () => {
  const queued = command({});
  const { server, list } = setup(
    {
      'POST /api/v1/commands/:id/cancel': () => {
        const cancelled = { ...queued, status: 'cancelled' as const };
        list.commands = [cancelled];
        return { body: cancelled };
      },
    },
    [queued],
  );
  const user = userEvent.setup();
  await user.click(await screen.findByRole('button', { name: 'Cancel Ping' }));
  await waitFor(() => expect(screen.getByText('Cancelled')).toBeTruthy());
  expect(server.made('POST', `/api/v1/commands/${queued.id}/cancel`)).toHaveLength(1);
  expect(screen.queryByRole('button', { name: 'Cancel Ping' })).toBeNull();
});

it('reads the list again the moment a command staff event names this ticket', async () => {
  const queued = command({});
  const { server, list } = setup({}, [queued]);
  const items = await screen.findByRole('list', { name: 'Commands on this ticket' });
  expect(within(items).getByText('Queued')).toBeTruthy();
  const reads = server.made('GET', '/api/v1/tickets/9/commands').length;
  list.commands = [
    {
      ...queued,
      status: 'running',
      result: { exitCode: null, durationMs: null, output: 'PING 127.0.0.1', fields: null, error: null },
    },
  ];
  FakeEventSource.last!.emit({ type: 'command', ticketId: 9, deviceId: 'dev-42', commandId: queued.id });
  await waitFor(() => expect(within(items).getByText('Running')).toBeTruthy(), { timeout: 3_000 });
  expect(within(items).getByLabelText('Output of Ping').textContent).toBe('PING 127.0.0.1');
  expect(server.made('GET', '/api/v1/tickets/9/commands').length).toBe(reads + 1);
});
