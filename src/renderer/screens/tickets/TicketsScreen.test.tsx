// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { OutboxItem, TicketThread } from '../../../shared/ipc/contract';
import {
  agentState,
  baseHandlers,
  createFakeBridge,
  IpcError,
  message,
  ticket,
} from '../../../../test/fakes/deskside-bridge.fake';
import { renderWindow, setupWindowTests } from '../../test-support';

setupWindowTests();

const REFUSED: OutboxItem = {
  outboxId: 'mabc0001-refused01',
  subject: 'Scanner software licence expired',
  createdAt: '2026-03-12T08:30:00.000Z',
  state: 'rejected',
  attempts: 1,
  nextAttemptAt: null,
  error: 'This device may not file software tickets.',
  ticketId: null,
};

const TICKETS = [
  ticket(2, { subject: 'The printer on floor 2 does not print', unread: 2, assigneeName: 'Sam Tech' }),
  ticket(1, { subject: 'Outlook asks for my password', status: 'resolved', category: 'email' }),
];

function thread(patch: Partial<TicketThread['ticket']> = {}, messages = [message(11, 2)]): TicketThread {
  const { unread: _unread, ...base } = TICKETS[0]!;
  return { ticket: { ...base, ...patch }, messages };
}

describe('My tickets', () => {
  it('marks tickets with unread replies, shows refused requests with the reason, and opens a thread', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({
      ...baseHandlers(agentState({ unread: 2 })),
      'tickets:list': async () => ({ tickets: TICKETS, outbox: [REFUSED], fromCache: false }),
      'tickets:get': async () => thread(),
    });
    renderWindow(fake, { screen: 'tickets' });

    const rows = await screen.findAllByTestId('ticket-row');
    expect(rows.map((r) => r.className.includes('unread'))).toEqual([true, false]);
    expect(within(rows[0]!).getByRole('button').textContent).toContain('2 new replies');
    expect(within(rows[1]!).getByText('Solved')).toBeTruthy();
    expect(within(rows[1]!).queryByText(/new repl/)).toBeNull();
    expect(within(screen.getByRole('navigation')).getByRole('button', { name: 'My tickets, 2 unread' })).toBeTruthy();

    const outbox = screen.getByTestId('outbox-item');
    expect(within(outbox).getByText('Refused by the help desk')).toBeTruthy();
    expect(within(outbox).getByText(REFUSED.error!)).toBeTruthy();

    await user.click(within(rows[0]!).getByRole('button'));
    expect(
      await screen.findByRole('heading', { level: 1, name: 'The printer on floor 2 does not print' }),
    ).toBeTruthy();
    expect(fake.argsOf('tickets:get')).toEqual([{ ticketId: 2 }]);
  });

  it('retries a refused request, and discards one only after confirming', async () => {
    const user = userEvent.setup();
    let outbox = [REFUSED];
    const fake = createFakeBridge({
      ...baseHandlers(),
      'tickets:list': async () => ({ tickets: [], outbox, fromCache: true }),
      'outbox:retry': async () => ({ ...REFUSED, state: 'queued', error: null }),
      'outbox:discard': async () => {
        outbox = [];
        return {};
      },
    });
    renderWindow(fake, { screen: 'tickets' });
    expect(await screen.findByText(/Offline — showing the tickets/)).toBeTruthy();

    await user.click(await screen.findByRole('button', { name: 'Retry' }));
    expect(fake.argsOf('outbox:retry')).toEqual([{ outboxId: REFUSED.outboxId }]);

    await user.click(screen.getByRole('button', { name: 'Discard…' }));
    const confirm = screen.getByRole('group', { name: 'Discard this request?' });
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Keep it' }));
    expect(fake.argsOf('outbox:discard')).toEqual([]);
    await user.click(within(confirm).getByRole('button', { name: 'Discard request' }));
    expect(fake.argsOf('outbox:discard')).toEqual([{ outboxId: REFUSED.outboxId }]);
    expect(await screen.findByText('No tickets yet')).toBeTruthy();
  });

  it('says plainly when the list cannot be loaded, and tries again on request', async () => {
    const user = userEvent.setup();
    let fail = true;
    const fake = createFakeBridge({
      ...baseHandlers(),
      'tickets:list': async () => {
        if (fail) throw new IpcError('offline', 'The help desk cannot be reached.');
        return { tickets: TICKETS, outbox: [], fromCache: false };
      },
    });
    renderWindow(fake, { screen: 'tickets' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The help desk cannot be reached.');
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findAllByTestId('ticket-row')).toHaveLength(2);
  });
});

describe('A ticket thread', () => {
  it('sends a reply, clears the box, and refuses an empty one without calling main', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({
      ...baseHandlers(),
      'tickets:get': async () => thread(),
      'tickets:reply': async ({ body }) =>
        thread({}, [message(11, 2), message(12, 2, { author: { type: 'device', name: null }, body })]),
    });
    renderWindow(fake, { screen: 'ticket', ticketId: 2 });
    const box = await screen.findByRole('textbox', { name: 'Reply' });
    expect(screen.getAllByTestId('message').map((m) => m.dataset.author)).toEqual(['staff']);

    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Write a reply first.');
    expect(fake.argsOf('tickets:reply')).toEqual([]);

    await user.type(box, 'Restarted it, printing works.');
    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    expect(fake.argsOf('tickets:reply')).toEqual([{ ticketId: 2, body: 'Restarted it, printing works.' }]);
    expect((await screen.findAllByTestId('message')).map((m) => m.dataset.author)).toEqual(['staff', 'device']);
    expect(box).toHaveProperty('value', '');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a reply that fails keeps the text and shows why', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({
      ...baseHandlers(),
      'tickets:get': async () => thread(),
      'tickets:reply': async () => {
        throw new IpcError('offline', 'The help desk cannot be reached; try again in a moment.');
      },
    });
    renderWindow(fake, { screen: 'ticket', ticketId: 2 });
    const box = await screen.findByRole('textbox', { name: 'Reply' });
    await user.type(box, 'Still broken');
    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The help desk cannot be reached; try again in a moment.',
    );
    expect(box).toHaveProperty('value', 'Still broken');
  });

  it('marks as solved, then rates (stars required) and a reply on a solved ticket reopens it', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({
      ...baseHandlers(),
      'tickets:get': async () => thread(),
      'tickets:solve': async () => thread({ status: 'resolved' }),
      'tickets:rate': async ({ satisfaction }) => thread({ status: 'resolved', satisfaction }),
      'tickets:reopen': async () => thread({ status: 'open', satisfaction: 4 }),
    });
    renderWindow(fake, { screen: 'ticket', ticketId: 2 });
    await user.click(await screen.findByRole('button', { name: 'Mark as solved' }));
    expect(fake.argsOf('tickets:solve')).toEqual([{ ticketId: 2 }]);
    expect(within(await screen.findByTestId('ticket-status')).getByText('Solved')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Mark as solved' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Send rating' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Choose from 1 to 5 stars.');
    expect(fake.argsOf('tickets:rate')).toEqual([]);
    await user.click(screen.getByRole('radio', { name: '4 stars, Good' }));
    await user.type(screen.getByRole('textbox', { name: /^Comment/ }), '  Quick and clear. ');
    await user.click(screen.getByRole('button', { name: 'Send rating' }));
    expect(fake.argsOf('tickets:rate')).toEqual([{ ticketId: 2, satisfaction: 4, comment: 'Quick and clear.' }]);
    expect(await screen.findByText('You rated this 4 out of 5. Thank you!')).toBeTruthy();

    await user.type(screen.getByRole('textbox', { name: 'Not fixed after all? Reply to reopen it' }), 'It is back.');
    await user.click(screen.getByRole('button', { name: 'Reopen with this reply' }));
    expect(fake.argsOf('tickets:reopen')).toEqual([{ ticketId: 2, body: 'It is back.' }]);
    expect(fake.argsOf('tickets:reply')).toEqual([]);
  });

  it('shows who of the help desk is here or typing, politely, and tells main while the employee types', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({
      ...baseHandlers(),
      'tickets:get': async () => thread(),
      'ticket:presence': async ({ ticketId }) => ({ ticketId, staff: { name: 'Sam Tech' }, typing: false }),
      'ticket:typing': async () => ({}),
    });
    renderWindow(fake, { screen: 'ticket', ticketId: 2 });
    const line = await screen.findByTestId('presence');
    expect(line.getAttribute('role')).toBe('status');
    expect(line.getAttribute('aria-live')).toBe('polite');
    await vi.waitFor(() => expect(line.textContent).toBe('Sam Tech is here'));
    expect(fake.argsOf('ticket:presence')).toEqual([{ ticketId: 2 }]);

    await act(async () => fake.emit('ticket:presence', { ticketId: 2, staff: { name: 'Sam Tech' }, typing: true }));
    expect(line.textContent).toBe('Sam Tech is typing…');
    await act(async () => fake.emit('ticket:presence', { ticketId: 7, staff: null, typing: false }));
    expect(line.textContent).toBe('Sam Tech is typing…');
    await act(async () => fake.emit('ticket:presence', { ticketId: 2, staff: null, typing: false }));
    expect(line.textContent).toBe('');

    // A burst of keystrokes is one typing signal (main throttles the channel frames again).
    await user.type(screen.getByRole('textbox', { name: 'Reply' }), 'It works now');
    expect(fake.argsOf('ticket:typing')).toEqual([{ ticketId: 2 }]);
  });

  it('reloads the thread when main says this ticket changed, not when another one did', async () => {
    let messages = [message(11, 2)];
    const fake = createFakeBridge({ ...baseHandlers(), 'tickets:get': async () => thread({}, messages) });
    renderWindow(fake, { screen: 'ticket', ticketId: 2 });
    await screen.findAllByTestId('message');
    messages = [...messages, message(13, 2, { body: 'Any news?' })];
    // act() flushes the render and effects an event causes: a reload would have invoked by then.
    await act(async () => fake.emit('tickets:changed', { ticketId: 5 }));
    expect(fake.argsOf('tickets:get')).toHaveLength(1);
    await act(async () => fake.emit('tickets:changed', { ticketId: 2 }));
    expect(await screen.findByText('Any news?')).toBeTruthy();
    expect(fake.argsOf('tickets:get')).toHaveLength(2);
  });
});
