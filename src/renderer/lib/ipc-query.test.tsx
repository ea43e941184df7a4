// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { TicketListItem } from '../../shared/ipc/contract';
import {
  agentState,
  baseHandlers,
  createFakeBridge,
  message,
  ticket,
  type FakeBridge,
} from '../../../test/fakes/deskside-bridge.fake';
import { renderWindow, setupWindowTests } from '../test-support';
import { useIpcEventSync } from './ipc-cache';
import { createQueryClient, useIpcMutation, useIpcQuery } from './ipc-query';

setupWindowTests();

/*
 * Two views of the same data mounted side by side, as the navigation and a screen are: a change made
 * through one must show in the other at once, with no reload and no event from main.
 */

function TicketList(): ReactElement {
  const list = useIpcQuery('tickets:list', {});
  return (
    <ul aria-label="List">
      {list.value?.tickets.map((t) => (
        <li key={t.id}>
          {t.subject}: {t.status}
        </li>
      ))}
    </ul>
  );
}

function Thread(): ReactElement {
  const thread = useIpcQuery('tickets:get', { ticketId: 2 });
  const reply = useIpcMutation('tickets:reply');
  return (
    <section aria-label="Thread">
      <ol>
        {thread.value?.messages.map((m) => (
          <li key={m.id}>{m.body}</li>
        ))}
      </ol>
      <button type="button" onClick={() => void reply({ ticketId: 2, body: 'Still broken' })}>
        Reply
      </button>
    </section>
  );
}

function Unread(): ReactElement {
  const state = useIpcQuery('agent:state', {}, { staleTime: Infinity });
  return <p>{state.value ? `${state.value.unread} unread` : 'starting'}</p>;
}

function Views(): ReactElement {
  useIpcEventSync();
  return (
    <>
      <TicketList />
      <Thread />
      <Unread />
    </>
  );
}

/** A help desk that remembers: a reply reopens a pending ticket, as the server does. */
function helpDesk(): FakeBridge {
  let status: TicketListItem['status'] = 'pending';
  const messages = [message(11, 2)];
  const current = () => ticket(2, { subject: 'Printer', status });
  const { unread: _unread, ...base } = current();
  const fake = createFakeBridge({
    ...baseHandlers(agentState({ unread: 1 })),
    'tickets:list': async () => ({ tickets: [current()], outbox: [], fromCache: false }),
    'tickets:get': async () => ({ ticket: { ...base, status }, messages }),
    'tickets:reply': async ({ body }) => {
      status = 'open';
      messages.push(message(12, 2, { author: { type: 'device', name: null }, body }));
      const { unread: _u, ...now } = current();
      return { ticket: now, messages };
    },
  });
  return renderViews(fake, <Views />);
}

function renderViews(fake: FakeBridge, views: ReactElement): FakeBridge {
  window.deskside = fake.bridge;
  render(<QueryClientProvider client={createQueryClient()}>{views}</QueryClientProvider>);
  return fake;
}

function ListOnly(): ReactElement {
  useIpcEventSync();
  return <TicketList />;
}

describe('the window data layer', () => {
  it('shows a reply in the thread and the new status in the list at once, without asking main for the thread again', async () => {
    const user = userEvent.setup();
    const fake = helpDesk();
    const list = screen.getByRole('list', { name: 'List' });
    expect(await within(list).findByText('Printer: pending')).toBeTruthy();
    expect(await screen.findByText('Please restart the print spooler.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Reply' }));
    expect(await screen.findByText('Still broken')).toBeTruthy();
    expect(await within(list).findByText('Printer: open')).toBeTruthy();
    // The reply's answer is the new thread: it replaced the cached one instead of a second tickets:get.
    expect(fake.argsOf('tickets:get')).toEqual([{ ticketId: 2 }]);
    expect(fake.argsOf('tickets:list')).toHaveLength(2);
  });

  it('follows main: tickets:changed refetches the list and that thread, state replaces the agent state', async () => {
    const fake = helpDesk();
    expect(await screen.findByText('1 unread')).toBeTruthy();
    await screen.findByText('Printer: pending');

    fake.emit('tickets:changed', { ticketId: 2 });
    await expect.poll(() => fake.argsOf('tickets:get')).toHaveLength(2);
    await expect.poll(() => fake.argsOf('tickets:list')).toHaveLength(2);

    fake.emit('tickets:changed', { ticketId: 99 });
    await expect.poll(() => fake.argsOf('tickets:list')).toHaveLength(3);
    expect(fake.argsOf('tickets:get')).toHaveLength(2);

    fake.emit('state', agentState({ unread: 4 }));
    expect(await screen.findByText('4 unread')).toBeTruthy();
    expect(fake.argsOf('agent:state')).toHaveLength(1);
  });
  it('does not lose an event that arrives while the first load is on its way: the load starts again', async () => {
    let status: TicketListItem['status'] = 'pending';
    let release = (): void => {};
    const fake = createFakeBridge({
      'tickets:list': async () => {
        const read = status;
        if (fake.argsOf('tickets:list').length === 1) await new Promise<void>((resolve) => (release = resolve));
        return { tickets: [ticket(2, { subject: 'Printer', status: read })], outbox: [], fromCache: false };
      },
    });
    renderViews(fake, <ListOnly />);
    await expect.poll(() => fake.argsOf('tickets:list')).toHaveLength(1);

    status = 'open';
    fake.emit('tickets:changed', { ticketId: null });
    release();
    expect(await screen.findByText('Printer: open')).toBeTruthy();
    expect(screen.queryByText('Printer: pending')).toBeNull();
  });
});

describe('window navigation', () => {
  it('lands where the tray or a notification asks, and goes back as the screen offers', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({
      ...baseHandlers(),
      'announcements:list': async () => ({ announcements: [] }),
      'tickets:list': async () => ({ tickets: [ticket(7, { subject: 'VPN drops' })], outbox: [], fromCache: false }),
      'tickets:get': async () => {
        const { unread: _unread, ...base } = ticket(7, { subject: 'VPN drops' });
        return { ticket: base, messages: [] };
      },
    });
    renderWindow(fake);
    expect(await screen.findByRole('heading', { level: 1, name: /Hello/ })).toBeTruthy();

    fake.emit('navigate', { screen: 'ticket', ticketId: 7 });
    const heading = await screen.findByRole('heading', { level: 1, name: 'VPN drops' });
    expect(document.activeElement).toBe(heading);
    const nav = screen.getByRole('navigation');
    expect(within(nav).getByRole('button', { name: 'My tickets' }).getAttribute('aria-current')).toBe('page');

    await user.click(screen.getByRole('button', { name: 'My tickets', current: false }));
    expect(await screen.findByRole('heading', { level: 1, name: 'My tickets' })).toBeTruthy();
    expect(await screen.findAllByTestId('ticket-row')).toHaveLength(1);

    fake.emit('navigate', { screen: 'settings' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeTruthy();
  });
});
