// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MessageDto } from '../../shared/api/tickets';
import { apiError, createFakeServer, type FakeRoutes } from '../../../test/fakes/console-server.fake';
import { SIGNED_IN_HINT_COOKIE } from '../../shared/api/session-cookies';
import { setCsrfToken } from '../api/http';
import { ReplyBox } from './ReplyBox';
import { renderWithData } from '../test-render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
  setCsrfToken(null);
  document.cookie = `${SIGNED_IN_HINT_COOKIE}=; max-age=0`;
});

const posted = (body: string, internal: boolean): MessageDto => ({
  id: 31,
  ticketId: 7,
  author: { type: 'staff', name: 'Sam Tech' },
  body,
  internal,
  createdAt: '2026-03-12T09:30:00.000Z',
  attachments: [],
});

function replyBox(routes: FakeRoutes = {}) {
  const server = createFakeServer({
    'POST /api/v1/tickets/7/messages': (r) => {
      const { body, internal } = r.body as { body: string; internal: boolean };
      return { status: 201, body: posted(body, internal) };
    },
    ...routes,
  });
  vi.stubGlobal('fetch', server.fetch);
  const onPosted = vi.fn();
  const view = renderWithData(<ReplyBox ticketId={7} onPosted={onPosted} />);
  return { server, onPosted, view };
}

describe('Reply box', () => {
  it('sends the reply with the CSRF header, hands the message up and clears the box', async () => {
    const user = userEvent.setup();
    // Signed in: the session's readable hint cookie is there, so the client sends the request.
    document.cookie = `${SIGNED_IN_HINT_COOKIE}=1`;
    setCsrfToken('csrf-7');
    const { server, onPosted } = replyBox();
    const send = screen.getByRole('button', { name: 'Send reply' });
    expect(send).toHaveProperty('disabled', true);
    const box = screen.getByRole('textbox', { name: 'Reply to the employee (Markdown)' });
    await user.type(box, 'Please restart the **spooler**.');
    await user.click(send);

    const [request] = server.made('POST', '/api/v1/tickets/7/messages');
    expect(request?.body).toEqual({ body: 'Please restart the **spooler**.', internal: false });
    expect(request?.headers['x-csrf-token']).toBe('csrf-7');
    expect(onPosted).toHaveBeenCalledWith(posted('Please restart the **spooler**.', false));
    expect(box).toHaveProperty('value', '');
  });

  it('an internal note is labelled as one and sent with internal: true', async () => {
    const user = userEvent.setup();
    const { server } = replyBox();
    await user.click(screen.getByRole('checkbox', { name: 'Internal note (staff only)' }));
    await user.type(screen.getByRole('textbox', { name: 'Internal note (Markdown)' }), 'Known driver issue.');
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    expect(server.made('POST', '/api/v1/tickets/:id/messages').map((r) => r.body)).toEqual([
      { body: 'Known driver issue.', internal: true },
    ]);
  });

  it('keeps the draft per ticket across a remount, and shows a failed send without losing it', async () => {
    const user = userEvent.setup();
    const { view } = replyBox({
      'POST /api/v1/tickets/7/messages': apiError(409, 'ticket_closed', 'This ticket is closed.'),
    });
    await user.type(screen.getByRole('textbox', { name: /Reply to the employee/ }), 'Draft text');
    view.unmount();
    renderWithData(<ReplyBox ticketId={7} onPosted={vi.fn()} />);
    const box = screen.getByRole('textbox', { name: /Reply to the employee/ });
    expect(box).toHaveProperty('value', 'Draft text');

    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This ticket is closed.');
    expect(box).toHaveProperty('value', 'Draft text');
  });

  it('previews the Markdown in the Preview tab', async () => {
    const user = userEvent.setup();
    replyBox();
    await user.type(screen.getByRole('textbox', { name: /Reply to the employee/ }), 'Restart the **spooler**');
    await user.click(screen.getByRole('tab', { name: 'Preview' }));
    expect(screen.getByRole('tab', { name: 'Preview' }).getAttribute('aria-selected')).toBe('true');
    expect((await screen.findByText('spooler')).tagName).toBe('STRONG');
    expect(screen.queryByRole('textbox', { name: /Reply to the employee/ })).toBeNull();
  });
});
