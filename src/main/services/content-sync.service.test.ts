import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiCallError, type AgentArticle, type HelpdeskApi } from './api-client';
import { createContentSync } from './content-sync.service';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskside-content-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const silent = { info() {}, warn() {}, error() {} };
const art = (id: number, title = `Article ${id}`): AgentArticle => ({
  id,
  title,
  body: `Body of ${title}`,
  tags: [],
  findingCodes: [],
  updatedAt: '2026-01-01T00:00:00Z',
  publishedAt: '2026-01-01T00:00:00Z',
});

/** A fake sync endpoint over a changing set of articles; the cursor is an index into the change log. */
function fakeApi() {
  const log: Array<{ id: number; article: AgentArticle | null }> = [];
  const events: string[] = [];
  /** Event posts refused because the server was unreachable (the agent tried and must retry later). */
  const refused: string[] = [];
  let offline = false;
  let forgetCursors = false;
  const api: Pick<HelpdeskApi, 'syncArticles' | 'syncAnnouncements' | 'articleEvent'> = {
    async syncArticles(since) {
      if (offline) throw new ApiCallError('transient', 'The server cannot be reached');
      if (forgetCursors && since > 0) throw new ApiCallError('permanent', 'Unknown cursor', 400, 'invalid_cursor');
      const page = log.slice(since, since + 2);
      const latest = new Map<number, AgentArticle | null>();
      for (const c of page) latest.set(c.id, c.article);
      return {
        cursor: since + page.length,
        articles: [...latest.values()].filter((a): a is AgentArticle => a !== null),
        deleted: [...latest].filter(([, a]) => a === null).map(([id]) => id),
        hasMore: since + page.length < log.length,
      };
    },
    async syncAnnouncements() {
      if (offline) throw new ApiCallError('transient', 'The server cannot be reached');
      return { cursor: 0, announcements: [], deleted: [], hasMore: false };
    },
    async articleEvent(articleId, kind) {
      if (offline) {
        refused.push(`${kind}:${articleId}`);
        throw new ApiCallError('transient', 'The server cannot be reached');
      }
      events.push(`${kind}:${articleId}`);
    },
  };
  return {
    api,
    log,
    events,
    refused,
    setOffline: (v: boolean) => void (offline = v),
    forget: () => void (forgetCursors = true),
  };
}

describe('content sync', () => {
  it('follows hasMore pages and deletions, persists for offline use, and starts over on an unknown cursor', async () => {
    const fake = fakeApi();
    const changed: string[] = [];
    const sync = createContentSync({ dataDir: dir, api: fake.api, logger: silent, onChange: (k) => changed.push(k) });
    await sync.load();
    fake.log.push(...[1, 2, 3, 4, 5].map((id) => ({ id, article: art(id) })));
    await sync.sync();
    expect(sync.articles().articles.map((a) => a.id)).toEqual([1, 2, 3, 4, 5]);
    expect(changed).toEqual(['articles']);
    // A search builds the index; the next sync's changes must reach it.
    expect(await sync.search('printer', 5)).toEqual([]);

    fake.log.push({ id: 2, article: null }, { id: 6, article: art(6, 'Printer offline') });
    await sync.sync();
    expect(sync.articles().articles.map((a) => a.id)).toEqual([1, 3, 4, 5, 6]);
    expect((await sync.search('printer', 5)).map((h) => h.id)).toEqual([6]);

    // Offline: a fresh process reads the saved copy.
    fake.setOffline(true);
    const offline = createContentSync({ dataDir: dir, api: fake.api, logger: silent });
    await offline.load();
    await expect(offline.sync()).rejects.toMatchObject({ kind: 'transient' });
    expect(offline.articles().articles.map((a) => a.id)).toEqual([1, 3, 4, 5, 6]);
    expect((await offline.search('printer', 5)).map((h) => h.id)).toEqual([6]);

    // The server lost our cursor: a full sync from 0 replaces the local copy.
    fake.setOffline(false);
    fake.log.splice(0, fake.log.length, { id: 9, article: art(9) });
    fake.forget();
    await offline.sync();
    expect(offline.articles().articles.map((a) => a.id)).toEqual([9]);
  });

  it('queues article views while offline and sends them on the next sync', async () => {
    const fake = fakeApi();
    fake.log.push({ id: 1, article: art(1) });
    const sync = createContentSync({ dataDir: dir, api: fake.api, logger: silent });
    await sync.load();
    await sync.sync();
    fake.setOffline(true);
    await sync.getArticle(1);
    // The view is sent in the background: wait until that attempt has been refused, not for a fixed time.
    await vi.waitFor(() => expect(fake.refused).toHaveLength(1), { timeout: 10_000, interval: 5 });
    await sync.helped(1);
    // The queue is sent in order, so the retry after "helped" is refused on the view again.
    await vi.waitFor(() => expect(fake.refused).toEqual(['view:1', 'view:1']), { timeout: 10_000, interval: 5 });
    expect(fake.events).toEqual([]);
    await expect(sync.getArticle(99)).rejects.toMatchObject({ code: 'not_found' });
    fake.setOffline(false);
    await sync.sync();
    expect(fake.events).toEqual(['view:1', 'helped:1']);
  });
});
