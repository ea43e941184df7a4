// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it, vi } from 'vitest';
import type { CommandDto } from '../../shared/api/commands';
import type { ItCatalogDto } from '../../shared/api/it-actions';
import type { TicketDto } from '../../shared/api/tickets';
import { createFakeServer } from '../../../test/fakes/console-server.fake';
import { renderWithData } from '../test-render';
import { DeviceActions } from './DeviceActions';

/*
 * Run on device with IT's part of the catalog: a service restart offers the allow-list's entries as a
 * select (the request names the entry's id, never a service name), and IT scripts are actions of their
 * own, with a field per declared parameter, values sent as typed (quotes, ";" and all) or refused by the
 * declaration before anything is sent.
 */

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const AT = '2026-03-02T09:00:00.000Z';
const TICKET = {
  id: 9,
  subject: 'Printing is stuck',
  status: 'open',
  device: { id: 'dev-42', hostname: 'lt-jdoe-0042' },
} as TicketDto & { device: NonNullable<TicketDto['device']> };

const CATALOG: ItCatalogDto = {
  services: [
    { id: 'spooler', title: 'Print spooler', linux: 'cups.service', win32: 'Spooler', darwin: null, updatedAt: AT },
    { id: 'vpn', title: 'VPN client', linux: null, win32: 'vpnagent', darwin: 'com.example.vpn', updatedAt: AT },
  ],
  packages: [],
  scripts: [
    {
      slug: 'teams-cache',
      action: 'script.teams-cache',
      title: 'Clear the Teams cache',
      description: 'Quits Teams and deletes its cache folder.',
      risk: 'changes',
      timeoutSeconds: 60,
      parameters: [
        { name: 'profile', label: 'Profile', type: 'string', required: true, maxLength: 20 },
        { name: 'keepLogs', label: 'Keep logs', type: 'boolean', required: false },
      ],
      bodies: { linux: { shell: 'bash', body: 'rm -rf -- "$HOME/.cache/teams/$1"\n' } },
      updatedAt: AT,
    },
  ],
};

function setup() {
  const server = createFakeServer({
    'GET /api/v1/tickets/9/commands': { body: { commands: [] } },
    'GET /api/v1/it/catalog': { body: CATALOG },
    'POST /api/v1/tickets/9/commands': (r) => ({
      status: 201,
      body: { id: '5b0d6a0e-0000-4000-8000-0000000000ff', title: 'x', ...(r.body as object) } as CommandDto,
    }),
  });
  vi.stubGlobal('fetch', server.fetch);
  renderWithData(<DeviceActions ticket={TICKET} />);
  return server;
}

it('offers the service allow-list as a select and sends the entry’s id', async () => {
  const server = setup();
  const user = userEvent.setup();
  await user.selectOptions(screen.getByLabelText('Action'), 'Restart a service');
  const select = (await screen.findByLabelText('Service')) as HTMLSelectElement;
  await waitFor(() => expect(select.options).toHaveLength(3));
  expect([...select.options].map((o) => o.textContent)).toEqual([
    'Choose from IT’s allow-list…',
    'Print spooler (linux, win32)',
    'VPN client (win32, darwin)',
  ]);
  await user.type(screen.getByLabelText('Reason (shown to the employee)'), 'Jobs are stuck');
  await user.click(screen.getByRole('button', { name: 'Run' }));
  expect(screen.getByText('Service: choose an entry of IT’s allow-list')).toBeTruthy();
  expect(server.made('POST', '/api/v1/tickets/9/commands')).toHaveLength(0);
  await user.selectOptions(select, 'Print spooler (linux, win32)');
  await user.click(screen.getByRole('button', { name: 'Run' }));
  await waitFor(() => expect(server.made('POST', '/api/v1/tickets/9/commands')).toHaveLength(1));
  expect(server.made('POST', '/api/v1/tickets/9/commands')[0]!.body).toMatchObject({
    action: 'service.restart',
    params: { service: 'spooler' },
  });
});

it('lists IT scripts as actions, shows the script, and sends the values exactly as typed', async () => {
  const server = setup();
  const user = userEvent.setup();
  const action = screen.getByLabelText('Action');
  await waitFor(() => expect(within(action).getByRole('group', { name: 'IT scripts' })).toBeTruthy());
  await user.selectOptions(action, 'Clear the Teams cache');
  expect(screen.getByText('Quits Teams and deletes its cache folder.')).toBeTruthy();
  expect(screen.getByText('Changes the device')).toBeTruthy();
  expect(screen.getByLabelText('Script for linux (bash)').textContent).toBe('rm -rf -- "$HOME/.cache/teams/$1"\n');
  await user.type(screen.getByLabelText('Reason (shown to the employee)'), 'Teams is blank');
  await user.type(screen.getByLabelText('Profile'), 'a'.repeat(21));
  await user.click(screen.getByRole('button', { name: 'Run' }));
  expect(screen.getByText('Profile: must be at most 20 characters')).toBeTruthy();
  await user.clear(screen.getByLabelText('Profile'));
  await user.type(screen.getByLabelText('Profile'), ' Work; "x" ');
  await user.click(screen.getByLabelText('Keep logs'));
  await user.click(screen.getByRole('button', { name: 'Run' }));
  await waitFor(() => expect(server.made('POST', '/api/v1/tickets/9/commands')).toHaveLength(1));
  expect(server.made('POST', '/api/v1/tickets/9/commands')[0]!.body).toEqual({
    action: 'script.teams-cache',
    params: { profile: ' Work; "x" ', keepLogs: true },
    reason: 'Teams is blank',
    visibility: 'internal',
    expiresInMinutes: 60,
  });
});
