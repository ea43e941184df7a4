// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TicketDto } from '../../shared/api/tickets';
import { apiError, createFakeServer, type FakeRoutes } from '../../../test/fakes/console-server.fake';
import { SidePanel } from './SidePanel';
import { renderWithData } from '../test-render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const TICKET: TicketDto = {
  id: 9,
  subject: 'The printer on floor 2 does not print',
  description: 'It says offline.',
  category: 'printing',
  urgency: 'medium',
  impact: 'low',
  priority: 'p3',
  status: 'open',
  requester: { name: 'Jo Doe', email: 'jo@acme.example' },
  device: { id: 'dev-42', hostname: 'lt-jdoe-0042' },
  assignee: null,
  group: null,
  snapshotId: 3,
  findingCodes: [],
  createdAt: '2026-03-12T09:00:00.000Z',
  updatedAt: '2026-03-12T09:00:00.000Z',
  firstResponseAt: null,
  resolvedAt: null,
  closedAt: null,
  lastMessageAt: '2026-03-12T09:00:00.000Z',
  sla: { policyId: 1, firstResponseDueAt: null, resolutionDueAt: null, state: 'ok' },
  escalationLevel: 0,
  satisfaction: null,
  satisfactionComment: null,
};

// The staff list is fetched once per page load (a module cache), so every test answers the same.
const STAFF = [
  { id: 5, email: 'sam@acme.example', name: 'Sam Tech', role: 'technician', group: null, active: true },
  { id: 6, email: 'old@acme.example', name: 'Former Tech', role: 'technician', group: null, active: false },
];

function panel(routes: FakeRoutes = {}) {
  const server = createFakeServer({
    'GET /api/v1/staff': { body: { staff: STAFF } },
    'GET /api/v1/groups': { body: { groups: [] } },
    'PATCH /api/v1/tickets/9': (r) => ({ body: { ...TICKET, ...(r.body as object) } }),
    ...routes,
  });
  vi.stubGlobal('fetch', server.fetch);
  const onChange = vi.fn();
  renderWithData(<SidePanel ticket={TICKET} onChange={onChange} />);
  return { server, onChange };
}

describe('Ticket side panel', () => {
  it('changes status, priority and category with one PATCH each and hands the saved ticket up', async () => {
    const user = userEvent.setup();
    const { server, onChange } = panel();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'pending');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Priority' }), 'p1');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Category' }), 'hardware');
    expect(server.made('PATCH', '/api/v1/tickets/9').map((r) => r.body)).toEqual([
      { status: 'pending' },
      { priority: 'p1' },
      { category: 'hardware' },
    ]);
    expect(onChange).toHaveBeenCalledWith({ ...TICKET, status: 'pending' });
  });

  it('offers active staff as assignees and assigns by id; a group is saved when the field is left', async () => {
    const user = userEvent.setup();
    const { server } = panel();
    const assignee = screen.getByRole('combobox', { name: 'Assignee' });
    await within(assignee).findByRole('option', { name: 'Sam Tech' });
    expect(within(assignee).queryByRole('option', { name: 'Former Tech' })).toBeNull();
    await user.selectOptions(assignee, 'Sam Tech');

    const group = screen.getByRole('combobox', { name: 'Group / tier' });
    await user.type(group, ' tier2 ');
    await user.tab();
    expect(server.made('PATCH', '/api/v1/tickets/9').map((r) => r.body)).toEqual([
      { assigneeId: 5 },
      { group: 'tier2' },
    ]);
  });

  it("shows the server's refusal as an alert", async () => {
    const user = userEvent.setup();
    const { onChange } = panel({
      'PATCH /api/v1/tickets/9': apiError(409, 'invalid_transition', 'A new ticket cannot be closed directly.'),
    });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'closed');
    expect((await screen.findByRole('alert')).textContent).toBe('A new ticket cannot be closed directly.');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('escalates with the group, the priority step and the note', async () => {
    const user = userEvent.setup();
    const { server, onChange } = panel({
      'POST /api/v1/tickets/9/escalate': { body: { ...TICKET, escalationLevel: 1, group: 'tier2' } },
    });
    await user.click(screen.getByRole('button', { name: 'Escalate' }));
    const form = screen.getByRole('form', { name: 'Escalate' });
    await user.type(within(form).getByRole('textbox', { name: 'To group (optional)' }), 'tier2');
    await user.click(within(form).getByRole('checkbox', { name: 'Raise priority one step' }));
    await user.type(within(form).getByRole('textbox', { name: 'Note (optional)' }), 'Needs a driver fix');
    await user.click(within(form).getByRole('button', { name: 'Escalate now' }));
    expect(server.made('POST', '/api/v1/tickets/9/escalate').map((r) => r.body)).toEqual([
      { group: 'tier2', raisePriority: false, note: 'Needs a driver fix' },
    ]);
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ escalationLevel: 1 }));
    expect(screen.queryByRole('form', { name: 'Escalate' })).toBeNull();
  });

  it("shows whether the ticket's computer is online, and when it was last seen when it is not", async () => {
    const seen = new Date(Date.now() - 3 * 3_600_000).toISOString();
    panel({ 'GET /api/v1/devices/dev-42': { body: { id: 'dev-42', online: false, lastSeenAt: seen } } });
    const link = await screen.findByRole('link', { name: 'lt-jdoe-0042' });
    const cell = link.closest('dd')!;
    await within(cell).findByText('Offline');
    expect(within(cell).getByText(/seen 3 h ago/)).toBeTruthy();
  });
});
