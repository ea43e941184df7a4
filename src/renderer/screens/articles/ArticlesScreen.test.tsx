// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { article, baseHandlers, createFakeBridge, IpcError } from '../../../../test/fakes/deskside-bridge.fake';
import { renderWindow, setupWindowTests } from '../../test-support';

setupWindowTests();

const ARTICLES = [
  article(1, { title: 'Printer on floor 2 does not print' }),
  article(2, {
    title: 'Connect to the VPN from home',
    body: 'Open the **VPN client**; see [the guide](https://intranet.example.com/vpn).',
  }),
];

function articlesWindow() {
  const fake = createFakeBridge({
    ...baseHandlers(),
    'articles:list': async () => ({ articles: ARTICLES, syncedAt: '2026-03-12T09:00:00.000Z' }),
    'articles:search': async ({ query }) => ({
      hits: query === 'vpn' ? [{ id: 2, title: ARTICLES[1]!.title, snippet: 'Open the VPN client', score: 2 }] : [],
    }),
    'articles:get': async ({ articleId }) => ARTICLES.find((a) => a.id === articleId)!,
    'articles:helped': async () => ({}),
    'external:open': async () => ({}),
  });
  renderWindow(fake, { screen: 'articles' });
  return fake;
}

describe('Self-help', () => {
  it('lists every article by title, searches locally, and says when nothing matches', async () => {
    const user = userEvent.setup();
    const fake = articlesWindow();
    const all = await screen.findByRole('list', { name: 'All articles' });
    expect(
      within(all)
        .getAllByRole('button')
        .map((b) => b.querySelector('.article-row-title')?.textContent),
    ).toEqual(['Connect to the VPN from home', 'Printer on floor 2 does not print']);
    const search = screen.getByRole('searchbox', { name: 'Search self-help articles' });
    await user.type(search, 'vpn');
    const results = await screen.findByRole('list', { name: 'Search results' });
    expect(within(results).getAllByRole('button')).toHaveLength(1);
    expect(fake.argsOf('articles:search').at(-1)).toEqual({ query: 'vpn', limit: 20 });

    await user.clear(search);
    await user.type(search, 'fax');
    expect(await screen.findByText('Nothing found for “fax”')).toBeTruthy();
  });

  it('opens an article: links go through external:open, a failed "This helped" says so and can be tried again', async () => {
    const user = userEvent.setup();
    const fake = articlesWindow();
    await user.click(await screen.findByRole('button', { name: /Connect to the VPN from home/ }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Connect to the VPN from home' })).toBeTruthy();
    expect(fake.argsOf('articles:get')).toEqual([{ articleId: 2 }]);
    await user.click(await screen.findByRole('link', { name: 'the guide' }));
    expect(fake.argsOf('external:open')).toEqual([{ url: 'https://intranet.example.com/vpn' }]);

    fake.set({
      'articles:helped': async () => {
        throw new IpcError('offline', 'queued');
      },
    });
    await user.click(screen.getByRole('button', { name: 'This helped' }));
    expect(await screen.findByText('That did not go through; try again.')).toBeTruthy();
    fake.set({ 'articles:helped': async () => ({}) });
    await user.click(screen.getByRole('button', { name: 'This helped' }));
    expect(await screen.findByText(/Thanks — that helps IT know which guides work/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'This helped' })).toBeNull();
    expect(fake.argsOf('articles:helped')).toEqual([{ articleId: 2 }, { articleId: 2 }]);

    await user.click(within(screen.getByRole('main')).getByRole('button', { name: 'Self-help' }));
    expect(await screen.findByRole('list', { name: 'All articles' })).toBeTruthy();
  });
});
