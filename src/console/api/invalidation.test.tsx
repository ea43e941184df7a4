// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MessageDto, TicketDto } from '../../shared/api/tickets';
import { createFakeServer } from '../../../test/fakes/console-server.fake';
import { StaffTab } from '../admin/settings/StaffTab';
import { QueuePage } from '../queue/QueuePage';
import { renderWithData, TEST_USER } from '../test-render';
import { TicketPage } from '../tickets/TicketPage';
import { SidePanel } from '../tickets/SidePanel';

/*
 * What the data layer promises: after a change, every screen that shows the changed data shows the
 * change at once, without a reload and before the next poll (the queue and the ticket poll every 5 s;
 * these tests wait at most 3 s).
 */

beforeAll(() => {
  // jsdom lays nothing out; the queue scrolls its selected row into view.
  Element.prototype.scrollIntoView = () => undefined;
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
  history.replaceState(null, '', '/');
});

const BEFORE_NEXT_POLL = { timeout: 3_000 };

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
  device: null,
  assignee: null,
  group: null,
  snapshotId: null,
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

const SAM = { id: 5, email: 'sam@acme.example', name: 'Sam Tech', role: 'technician', group: null, active: true };

/** A server that remembers: staff can be added, the ticket changed and replied to. */
function statefulServer() {
  let staff = [SAM];
  let ticket = TICKET;
  const messages: MessageDto[] = [];
  const server = createFakeServer({
    'GET /api/v1/staff': () => ({ body: { staff } }),
    'POST /api/v1/staff': (r) => {
      const made = { ...(r.body as typeof SAM), id: 6, active: true };
      staff = [...staff, made];
      return { status: 201, body: made };
    },
    'GET /api/v1/groups': { body: { groups: [] } },
    'GET /api/v1/tickets': () => ({ body: { tickets: [ticket], nextCursor: null, total: 1 } }),
    'GET /api/v1/tickets/9': () => ({ body: ticket }),
    'PATCH /api/v1/tickets/9': (r) => {
      ticket = { ...ticket, ...(r.body as Partial<TicketDto>) };
      return { body: ticket };
    },
    'GET /api/v1/tickets/9/messages': (r) => {
      const after = Number(r.query.get('after') ?? 0);
      const newer = messages.filter((m) => m.id > after);
      return { body: { messages: newer, cursor: Math.max(after, ...newer.map((m) => m.id)) } };
    },
    'POST /api/v1/tickets/9/messages': (r) => {
      const { body, internal } = r.body as { body: string; internal: boolean };
      const message: MessageDto = {
        id: 40 + messages.length,
        ticketId: 9,
        author: { type: 'staff', name: TEST_USER.name },
        body,
        internal,
        createdAt: '2026-03-12T09:30:00.000Z',
        attachments: [],
      };
      messages.push(message);
      ticket = { ...ticket, lastMessageAt: message.createdAt, status: 'pending' };
      return { status: 201, body: message };
    },
    'GET /api/v1/tickets/9/attachments': { body: { attachments: [] } },
  });
  vi.stubGlobal('fetch', server.fetch);
  return server;
}

describe('One data layer: a change shows everywhere at once', () => {
  it('a staff member added in the settings appears in the ticket’s assignee picker and the queue filter', async () => {
    const user = userEvent.setup();
    const server = statefulServer();
    renderWithData(
      <>
        <QueuePage />
        <SidePanel ticket={TICKET} />
        <StaffTab />
      </>,
      { user: TEST_USER },
    );
    const ticketAssignee = within(screen.getByRole('complementary', { name: 'Ticket details' })).getByRole('combobox', {
      name: 'Assignee',
    });
    const queueAssignee = within(screen.getByRole('search')).getByRole('combobox', { name: 'Assignee' });
    await within(ticketAssignee).findByRole('option', { name: 'Sam Tech' });
    await within(queueAssignee).findByRole('option', { name: 'Sam Tech' });
    // One request served all three screens.
    expect(server.made('GET', '/api/v1/staff')).toHaveLength(1);

    const form = screen.getByRole('form', { name: 'Add a staff member' });
    await user.type(within(form).getByRole('textbox', { name: 'Name' }), 'Nia New');
    await user.type(within(form).getByRole('textbox', { name: 'Email' }), 'nia@acme.example');
    await user.type(within(form).getByLabelText('Initial password'), 'correct horse battery');
    await user.click(within(form).getByRole('button', { name: 'Add staff member' }));

    expect(await within(ticketAssignee).findByRole('option', { name: 'Nia New' }, BEFORE_NEXT_POLL)).toBeTruthy();
    expect(await within(queueAssignee).findByRole('option', { name: 'Nia New' }, BEFORE_NEXT_POLL)).toBeTruthy();
    expect(await screen.findByRole('row', { name: 'Nia New' })).toBeTruthy();
  });

  it('a status changed on the ticket shows in the queue', async () => {
    const user = userEvent.setup();
    const server = statefulServer();
    renderWithData(
      <>
        <QueuePage />
        <SidePanel ticket={TICKET} />
      </>,
      { user: TEST_USER },
    );
    const queue = await screen.findByRole('table', { name: 'Ticket queue' });
    const row = await within(queue).findByRole('row', { name: /printer on floor 2/ });
    expect(within(row).getByText('Open')).toBeTruthy();

    const panel = screen.getByRole('complementary', { name: 'Ticket details' });
    await user.selectOptions(within(panel).getByRole('combobox', { name: 'Status' }), 'pending');

    await waitFor(() => {
      const updated = within(queue).getByRole('row', { name: /printer on floor 2/ });
      expect(within(updated).getByText('Pending')).toBeTruthy();
    }, BEFORE_NEXT_POLL);
    expect(server.made('PATCH', '/api/v1/tickets/9').map((r) => r.body)).toEqual([{ status: 'pending' }]);
  });

  it('a reply shows in the thread at once, and the ticket and the queue follow', async () => {
    const user = userEvent.setup();
    const server = statefulServer();
    renderWithData(
      <>
        <QueuePage />
        <TicketPage params={{ id: '9' }} />
      </>,
      { user: TEST_USER },
    );
    const queue = await screen.findByRole('table', { name: 'Ticket queue' });
    await user.type(await screen.findByRole('textbox', { name: /^Reply to the employee/ }), 'Try turning it on.');
    await user.click(screen.getByRole('button', { name: 'Send reply' }));

    const message = await screen.findByRole('article', { name: `Message from ${TEST_USER.name}` }, BEFORE_NEXT_POLL);
    expect(within(message).getByText('Try turning it on.')).toBeTruthy();
    expect(server.made('POST', '/api/v1/tickets/9/messages').map((r) => r.body)).toEqual([
      { body: 'Try turning it on.', internal: false },
    ]);
    // The server moved the ticket to pending with the reply: its header and the queue show it before the next poll.
    const header = screen.getByRole('heading', { level: 1, name: /printer on floor 2/ }).parentElement as HTMLElement;
    await waitFor(() => expect(within(header).getByText('Pending')).toBeTruthy(), BEFORE_NEXT_POLL);
    await waitFor(() => {
      const row = within(queue).getByRole('row', { name: /printer on floor 2/ });
      expect(within(row).getByText('Pending')).toBeTruthy();
    }, BEFORE_NEXT_POLL);
  });
});
