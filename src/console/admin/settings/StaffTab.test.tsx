// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiError, createFakeServer, type FakeRoutes } from '../../../../test/fakes/console-server.fake';
import { StaffTab } from './StaffTab';
import { renderWithData } from '../../test-render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const SAM = { id: 5, email: 'sam@acme.example', name: 'Sam Tech', role: 'technician', group: 'tier1', active: true };
const GROUPS = [
  {
    id: 1,
    name: 'tier1',
    tier: 1,
    description: '',
    members: 1,
    createdAt: '2026-03-01T00:00:00Z',
    updatedAt: '2026-03-01T00:00:00Z',
  },
  {
    id: 2,
    name: 'tier2',
    tier: 2,
    description: '',
    members: 0,
    createdAt: '2026-03-01T00:00:00Z',
    updatedAt: '2026-03-01T00:00:00Z',
  },
];

function staffTab(routes: FakeRoutes = {}) {
  let staff = [SAM];
  const server = createFakeServer({
    'GET /api/v1/staff': () => ({ body: { staff } }),
    'GET /api/v1/groups': { body: { groups: GROUPS } },
    'PATCH /api/v1/staff/5': (r) => {
      staff = [{ ...SAM, ...(r.body as object) }];
      return { body: staff[0] };
    },
    'POST /api/v1/staff': (r) => {
      const body = r.body as typeof SAM;
      staff = [...staff, { ...body, id: 6, active: true }];
      return { status: 201, body: staff[1] };
    },
    ...routes,
  });
  vi.stubGlobal('fetch', server.fetch);
  renderWithData(<StaffTab />);
  return server;
}

describe('Staff settings', () => {
  it('adds a staff member with exactly the fields entered, says so and lists them', async () => {
    const user = userEvent.setup();
    const server = staffTab();
    const form = screen.getByRole('form', { name: 'Add a staff member' });
    await user.type(within(form).getByRole('textbox', { name: 'Name' }), 'Alex Admin');
    await user.type(within(form).getByRole('textbox', { name: 'Email' }), 'alex@acme.example');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Role' }), 'admin');
    await within(form).findByRole('option', { name: 'tier2 (tier 2)' });
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Group' }), 'tier2');
    await user.type(within(form).getByLabelText('Initial password'), 'long enough secret');
    await user.click(within(form).getByRole('button', { name: 'Add staff member' }));

    expect(server.made('POST', '/api/v1/staff').map((r) => r.body)).toEqual([
      { name: 'Alex Admin', email: 'alex@acme.example', role: 'admin', group: 'tier2', password: 'long enough secret' },
    ]);
    expect((await screen.findByRole('status')).textContent).toBe('Alex Admin can now sign in as alex@acme.example.');
    expect(await screen.findByRole('row', { name: 'Alex Admin' })).toBeTruthy();
    expect(within(form).getByRole('textbox', { name: 'Name' })).toHaveProperty('value', '');
  });

  it('changes role, group and active flag of a member with one PATCH each', async () => {
    const user = userEvent.setup();
    const server = staffTab();
    const row = () => screen.getByRole('row', { name: 'Sam Tech' });
    await user.selectOptions(
      await within(await screen.findByRole('row', { name: 'Sam Tech' })).findByRole('combobox', {
        name: 'Role of Sam Tech',
      }),
      'admin',
    );
    expect((await screen.findByRole('status')).textContent).toBe('Sam Tech is now admin.');
    await within(row()).findByRole('option', { name: 'tier2 (tier 2)' });
    await user.selectOptions(within(row()).getByRole('combobox', { name: 'Group of Sam Tech' }), 'tier2');
    await screen.findByText('Sam Tech moved to tier2.');
    await user.click(within(row()).getByRole('checkbox', { name: 'Active' }));
    await screen.findByText('Sam Tech deactivated; their sessions ended.');
    expect(server.made('PATCH', '/api/v1/staff/5').map((r) => r.body)).toEqual([
      { role: 'admin' },
      { group: 'tier2' },
      { active: false },
    ]);
  });

  it('resets a password, and shows a refusal in the member’s row', async () => {
    const user = userEvent.setup();
    const server = staffTab({
      'PATCH /api/v1/staff/5': apiError(400, 'weak_password', 'Use at least 12 characters.'),
    });
    const row = await screen.findByRole('row', { name: 'Sam Tech' });
    await user.click(within(row).getByRole('button', { name: 'Reset password' }));
    await user.type(within(row).getByLabelText('New password for Sam Tech'), 'twelve chars!');
    await user.click(within(row).getByRole('button', { name: 'Set' }));
    expect(server.made('PATCH', '/api/v1/staff/5').map((r) => r.body)).toEqual([{ password: 'twelve chars!' }]);
    expect((await within(row).findByRole('alert')).textContent).toBe('Use at least 12 characters. (weak_password)');
    expect(within(row).getByLabelText('New password for Sam Tech')).toBeTruthy();
  });
});
