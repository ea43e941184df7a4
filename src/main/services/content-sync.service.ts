import { join } from 'node:path';
import { z } from 'zod';
import { agentAnnouncementSchema, agentArticleSchema } from '../../shared/api/articles';
import { IpcError } from '../../shared/ipc/ipc-error';
import type { AgentLogger } from './agent-platform';
import { ApiCallError, type AgentAnnouncement, type AgentArticle, type HelpdeskApi } from './api-client';
import { createArticleIndex, type ArticleIndex } from './article-search';
import { readJsonFile, writeFileAtomic } from './atomic-file';

/*
 * Self-help content for offline use: articles and announcements are delta-synced (cursor, deletions,
 * hasMore) into <dataDir>/content.json, searched locally, and article views/"this helped" are queued
 * there too when the server cannot be reached, then sent on the next sync.
 */

const fileSchema = z.object({
  articles: z.object({ cursor: z.number(), syncedAt: z.string().nullable(), items: z.array(agentArticleSchema) }),
  announcements: z.object({
    cursor: z.number(),
    syncedAt: z.string().nullable(),
    items: z.array(agentAnnouncementSchema),
  }),
  pendingEvents: z.array(z.object({ articleId: z.number().int().positive(), kind: z.enum(['view', 'helped']) })),
});
type ContentFile = z.infer<typeof fileSchema>;

const EMPTY: ContentFile = {
  articles: { cursor: 0, syncedAt: null, items: [] },
  announcements: { cursor: 0, syncedAt: null, items: [] },
  pendingEvents: [],
};

/** Longest a delta loop runs in one sync (pages of 100). */
const MAX_PAGES = 200;

export interface ContentSyncDeps {
  dataDir: string;
  api: Pick<HelpdeskApi, 'syncArticles' | 'syncAnnouncements' | 'articleEvent'>;
  logger: AgentLogger;
  now?: () => number;
  onChange?(kind: 'articles' | 'announcements'): void;
}

export interface ContentSync {
  load(): Promise<void>;
  /** Pulls both deltas and sends queued counters; throws ApiCallError when the server cannot be used. */
  sync(): Promise<void>;
  articles(): { articles: AgentArticle[]; syncedAt: string | null };
  /** Local search; the index is built on the first search after the articles changed. */
  search(query: string, limit: number): Promise<ReturnType<ArticleIndex['search']>>;
  /** One article, counting the view (queued when offline). */
  getArticle(articleId: number): Promise<AgentArticle>;
  helped(articleId: number): Promise<void>;
  /** Announcements in force now (startsAt ≤ now < expiresAt), newest first. */
  announcements(): AgentAnnouncement[];
}

/** Builds the content sync service. */
export function createContentSync(deps: ContentSyncDeps): ContentSync {
  const file = join(deps.dataDir, 'content.json');
  const now = deps.now ?? Date.now;
  let data: ContentFile = structuredClone(EMPTY);
  // Built on demand: an index over many articles costs memory the agent only needs once someone searches.
  let index: Promise<ArticleIndex> | null = null;
  let syncing: Promise<void> | null = null;

  const save = () => writeFileAtomic(file, JSON.stringify(data));

  async function pull<K extends 'articles' | 'announcements'>(kind: K): Promise<boolean> {
    let cursor = data[kind].cursor;
    // From cursor 0 the answer is the whole visible set: start from empty so nothing stale survives.
    const items = new Map<number, AgentArticle | AgentAnnouncement>(
      cursor === 0 ? [] : data[kind].items.map((i) => [i.id, i]),
    );
    let changed = cursor === 0 && data[kind].items.length > 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      let answer;
      try {
        answer = kind === 'articles' ? await deps.api.syncArticles(cursor) : await deps.api.syncAnnouncements(cursor);
      } catch (error) {
        if (error instanceof ApiCallError && error.code === 'invalid_cursor' && cursor !== 0) {
          deps.logger.warn('content sync: the server does not know our cursor; syncing from scratch', { kind });
          data[kind] = { ...data[kind], cursor: 0 };
          return pull(kind);
        }
        throw error;
      }
      for (const id of answer.deleted) changed = items.delete(id) || changed;
      const received = 'articles' in answer ? answer.articles : answer.announcements;
      for (const item of received) {
        items.set(item.id, item);
        changed = true;
      }
      cursor = answer.cursor;
      if (!answer.hasMore) break;
    }
    const sorted = [...items.values()].sort((a, b) => a.id - b.id);
    data = { ...data, [kind]: { cursor, syncedAt: new Date(now()).toISOString(), items: sorted } };
    if (kind === 'articles' && changed) index = null;
    return changed;
  }

  let sendingEvents: Promise<void> | null = null;
  function sendPendingEvents(): Promise<void> {
    sendingEvents ??= drainEvents().finally(() => (sendingEvents = null));
    return sendingEvents;
  }

  async function drainEvents(): Promise<void> {
    while (data.pendingEvents.length > 0) {
      const event = data.pendingEvents[0] as ContentFile['pendingEvents'][number];
      try {
        await deps.api.articleEvent(event.articleId, event.kind);
      } catch (error) {
        // Transient: keep it for the next sync. Refused (article gone): drop it.
        if (error instanceof ApiCallError && error.kind === 'transient') throw error;
      }
      data = { ...data, pendingEvents: data.pendingEvents.slice(1) };
      await save();
    }
  }

  async function countEvent(articleId: number, kind: 'view' | 'helped'): Promise<void> {
    data = { ...data, pendingEvents: [...data.pendingEvents, { articleId, kind }].slice(-500) };
    await save();
    void sendPendingEvents().catch(() => {});
  }

  function requireArticle(articleId: number): AgentArticle {
    const article = data.articles.items.find((a) => a.id === articleId);
    if (!article) throw new IpcError('not_found', 'That article is not available on this computer.');
    return article;
  }

  return {
    async load() {
      try {
        const parsed = fileSchema.safeParse(await readJsonFile(file));
        data = parsed.success ? parsed.data : structuredClone(EMPTY);
      } catch (error) {
        deps.logger.warn('content.json is unreadable; syncing from scratch', { error: String(error) });
        data = structuredClone(EMPTY);
      }
      index = null;
    },
    sync() {
      syncing ??= (async () => {
        try {
          const articles = await pull('articles');
          const announcements = await pull('announcements');
          await save();
          if (articles) deps.onChange?.('articles');
          if (announcements) deps.onChange?.('announcements');
          await sendPendingEvents();
        } finally {
          syncing = null;
        }
      })();
      return syncing;
    },
    articles: () => ({
      articles: [...data.articles.items].sort((a, b) => a.title.localeCompare(b.title)),
      syncedAt: data.articles.syncedAt,
    }),
    async search(query, limit) {
      if (!query.trim()) return [];
      const built = (index ??= createArticleIndex(data.articles.items));
      built.catch(() => {
        if (index === built) index = null;
      });
      return (await built).search(query, limit);
    },
    async getArticle(articleId) {
      const article = requireArticle(articleId);
      await countEvent(articleId, 'view');
      return article;
    },
    async helped(articleId) {
      requireArticle(articleId);
      await countEvent(articleId, 'helped');
    },
    announcements() {
      const t = now();
      return data.announcements.items
        .filter((a) => Date.parse(a.startsAt) <= t && (a.expiresAt === null || t < Date.parse(a.expiresAt)))
        .sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt));
    },
  };
}
