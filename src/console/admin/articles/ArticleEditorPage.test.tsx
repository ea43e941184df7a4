// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ArticleDto } from '../../../shared/api/articles';
import { apiError, createFakeServer, type FakeRoutes } from '../../../../test/fakes/console-server.fake';
import { ArticleEditorPage } from './ArticleEditorPage';
import { renderWithData } from '../../test-render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  history.replaceState(null, '', '/');
});

const ARTICLE: ArticleDto = {
  id: 12,
  title: 'Free up disk space',
  body: '- Empty the **Trash**',
  tags: ['disk-space'],
  findingCodes: ['disk.almost_full'],
  targeting: { os: [], groups: [] },
  status: 'draft',
  createdAt: '2026-03-12T09:00:00.000Z',
  updatedAt: '2026-03-12T09:00:00.000Z',
  publishedAt: null,
  views: 3,
  helped: 1,
};

function editor(id: string, routes: FakeRoutes = {}) {
  const server = createFakeServer({ 'GET /api/v1/articles/12': { body: ARTICLE }, ...routes });
  vi.stubGlobal('fetch', server.fetch);
  const view = renderWithData(<ArticleEditorPage params={{ id }} />);
  return { server, view };
}

describe('Article editor', () => {
  it('lists what to fix before saving (title, tags) and asks the server nothing', async () => {
    const user = userEvent.setup();
    const { server } = editor('new');
    // (Save draft is the form's submit: the browser's own check of the required title answers first.)
    await user.click(screen.getByRole('button', { name: 'Save and publish' }));
    expect(screen.getByRole('alert').textContent).toBe('Give the article a title.');
    await user.type(screen.getByRole('textbox', { name: 'Title' }), 'Free up disk space');
    await user.type(screen.getByRole('textbox', { name: /^Tags/ }), 'disk space!, storage');
    await user.click(screen.getByRole('button', { name: 'Save and publish' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'Tags may hold letters, digits, ".", "_" and "-" only: disk space!',
    );
    expect(server.requests).toEqual([]);
  });

  it('creates and publishes: the payload, then the article’s own page says it was published', async () => {
    const user = userEvent.setup();
    const { server, view } = editor('new', {
      'POST /api/v1/articles': (r) => ({
        status: 201,
        body: { ...ARTICLE, ...(r.body as object), status: 'published' },
      }),
    });
    await user.type(screen.getByRole('textbox', { name: 'Title' }), ' Free up disk space ');
    await user.type(screen.getByRole('textbox', { name: 'Body (Markdown)' }), '- Empty the **Trash**');
    expect((await screen.findByText('Trash')).tagName).toBe('STRONG');
    await user.type(screen.getByRole('textbox', { name: /^Tags/ }), 'Disk-Space, storage');
    await user.click(screen.getByRole('checkbox', { name: 'disk.almost_full' }));
    await user.click(screen.getByRole('button', { name: 'Save and publish' }));

    expect(server.made('POST', '/api/v1/articles').map((r) => r.body)).toEqual([
      {
        title: 'Free up disk space',
        body: '- Empty the **Trash**',
        tags: ['disk-space', 'storage'],
        findingCodes: ['disk.almost_full'],
        targeting: { os: [], groups: [] },
        status: 'published',
      },
    ]);
    expect(location.pathname).toBe('/admin/articles/12');
    // The shell mounts the editor again for the new URL; the confirmation travels along.
    view.unmount();
    editor('12', { 'GET /api/v1/articles/12': { body: { ...ARTICLE, status: 'published' } } });
    expect((await screen.findByRole('status')).textContent).toBe(
      'Saved and published: agents receive it at their next sync.',
    );
  });

  it('edits an article: marks unsaved changes, PATCHes only when changed, shows a refusal', async () => {
    const user = userEvent.setup();
    const { server } = editor('12', {
      'PATCH /api/v1/articles/12': (r) => ({ body: { ...ARTICLE, ...(r.body as object) } }),
    });
    const body = await screen.findByRole('textbox', { name: 'Body (Markdown)' });
    expect(screen.getByRole('textbox', { name: 'Title' })).toHaveProperty('value', 'Free up disk space');
    expect(screen.getByRole('checkbox', { name: 'disk.almost_full' })).toHaveProperty('checked', true);
    expect(screen.queryByText('Unsaved changes')).toBeNull();

    await user.type(body, '\n- Clear **Downloads**');
    expect(screen.getByText('Unsaved changes')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(server.made('PATCH', '/api/v1/articles/12').map((r) => (r.body as { body: string }).body)).toEqual([
      '- Empty the **Trash**\n- Clear **Downloads**',
    ]);
    expect((await screen.findByRole('status')).textContent).toBe('Saved as a draft: agents do not see it.');
    expect(screen.queryByText('Unsaved changes')).toBeNull();

    server.route({ 'POST /api/v1/articles/12/publish': apiError(409, 'conflict', 'Someone else changed it.') });
    await user.click(screen.getByRole('button', { name: 'Publish' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Someone else changed it. (conflict)');
    expect(server.made('PATCH', '/api/v1/articles/12')).toHaveLength(1);
  });
});
