// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnnouncementDto } from '../../../shared/api/articles';
import { apiError, createFakeServer, type FakeRoutes } from '../../../../test/fakes/console-server.fake';
import { AnnouncementForm } from './AnnouncementForm';
import { renderWithData } from '../../test-render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const SAVED: AnnouncementDto = {
  id: 4,
  title: 'Mail is down',
  body: 'We are on it.',
  severity: 'critical',
  targeting: { os: [], groups: [] },
  status: 'published',
  startsAt: '2026-03-12T09:00:00.000Z',
  expiresAt: null,
  createdAt: '2026-03-12T09:00:00.000Z',
  updatedAt: '2026-03-12T09:00:00.000Z',
  active: true,
};

function form(routes: FakeRoutes, editing: AnnouncementDto | null = null) {
  const server = createFakeServer(routes);
  vi.stubGlobal('fetch', server.fetch);
  const onDone = vi.fn();
  renderWithData(<AnnouncementForm editing={editing} onDone={onDone} onCancel={vi.fn()} />);
  const el = screen.getByRole('form', { name: editing ? 'Edit announcement' : 'New announcement' });
  return { server, onDone, form: el };
}

describe('Announcement form', () => {
  it('publishes what was written: title, Markdown, severity, targeting and expiry', async () => {
    const user = userEvent.setup();
    const { server, onDone, form: f } = form({ 'POST /api/v1/announcements': { status: 201, body: SAVED } });
    await user.type(within(f).getByRole('textbox', { name: 'Title' }), '  Mail is down ');
    await user.type(within(f).getByRole('textbox', { name: 'Message (Markdown)' }), 'We are **on it**.');
    const preview = within(f).getByLabelText('Message preview');
    expect((await within(preview).findByText('on it')).tagName).toBe('STRONG');
    await user.selectOptions(within(f).getByRole('combobox', { name: 'Severity' }), 'critical');
    await user.click(within(f).getByRole('checkbox', { name: 'Windows' }));
    await user.type(within(f).getByRole('textbox', { name: /^Device groups/ }), 'sales, finance');
    fireEvent.change(within(f).getByLabelText('Expires (empty = never)'), { target: { value: '2099-01-02T10:00' } });
    await user.click(within(f).getByRole('button', { name: 'Publish' }));

    expect(server.made('POST', '/api/v1/announcements').map((r) => r.body)).toEqual([
      {
        title: 'Mail is down',
        body: 'We are **on it**.',
        severity: 'critical',
        targeting: { os: ['win32'], groups: ['sales', 'finance'] },
        expiresAt: new Date('2099-01-02T10:00').toISOString(),
        status: 'published',
      },
    ]);
    expect(onDone).toHaveBeenCalledWith(SAVED);
    expect(within(f).getByRole('textbox', { name: 'Title' })).toHaveProperty('value', '');
  });

  it('refuses a missing title or an expiry before the start without asking the server', async () => {
    const user = userEvent.setup();
    const { server, form: f } = form({});
    await user.click(within(f).getByRole('button', { name: 'Save draft' }));
    expect(within(f).getByRole('alert').textContent).toBe('Give the announcement a title.');

    await user.type(within(f).getByRole('textbox', { name: 'Title' }), 'VPN maintenance');
    fireEvent.change(within(f).getByLabelText('Starts (empty = now)'), { target: { value: '2099-01-03T10:00' } });
    fireEvent.change(within(f).getByLabelText('Expires (empty = never)'), { target: { value: '2099-01-02T10:00' } });
    await user.click(within(f).getByRole('button', { name: 'Save draft' }));
    expect(within(f).getByRole('alert').textContent).toBe('The expiry must be after the start.');
    expect(server.requests).toEqual([]);
  });

  it('saves a draft with status draft, and shows the server refusal with its code', async () => {
    const user = userEvent.setup();
    const {
      server,
      onDone,
      form: f,
    } = form({
      'POST /api/v1/announcements': apiError(400, 'validation_failed', 'body: too long'),
    });
    await user.type(within(f).getByRole('textbox', { name: 'Title' }), 'VPN maintenance');
    await user.click(within(f).getByRole('button', { name: 'Save draft' }));
    expect(server.made('POST', '/api/v1/announcements').map((r) => (r.body as { status: string }).status)).toEqual([
      'draft',
    ]);
    expect((await within(f).findByRole('alert')).textContent).toBe('body: too long (validation_failed)');
    expect(onDone).not.toHaveBeenCalled();
  });

  it('editing a draft: PATCH the fields, then publish it', async () => {
    const user = userEvent.setup();
    const draft = { ...SAVED, status: 'draft' as const, severity: 'info' as const };
    const {
      server,
      onDone,
      form: f,
    } = form(
      {
        'PATCH /api/v1/announcements/4': (r) => ({ body: { ...draft, ...(r.body as object) } }),
        'POST /api/v1/announcements/4/publish': { body: SAVED },
      },
      draft,
    );
    expect(within(f).getByRole('textbox', { name: 'Title' })).toHaveProperty('value', 'Mail is down');
    await user.selectOptions(within(f).getByRole('combobox', { name: 'Severity' }), 'warning');
    await user.click(within(f).getByRole('button', { name: 'Publish' }));
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PATCH /api/v1/announcements/4',
      'POST /api/v1/announcements/4/publish',
    ]);
    expect(server.requests[0]?.body).toMatchObject({ severity: 'warning', title: 'Mail is down' });
    expect(onDone).toHaveBeenCalledWith(SAVED);
  });
});
