import { z } from 'zod';
import { text } from '../text/text-schema';
import { findingCodeSchema, severitySchema } from '../health/finding';
import { ARTICLE_SEARCH_MAX, CONTENT_QUERY_MAX, CONTENT_SYNC_PAGE_MAX } from '../content-limits';
import { endpointGroup } from './endpoint';

/*
 * The self-help API shared by the server, the tray agent and the console: knowledge-base articles,
 * announcements, and the delta sync that pushes both to agents. Staff see the full resource;
 * a device sees only published content targeted at it, without drafts, targeting or counters. What
 * only staff call (writing and listing content) is in content-admin.ts, which the agent does not load.
 */

/** `:id` of an article or announcement. */
export const contentIdParamsSchema = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** A list without repeats, in first-seen order. */
export const dedupe = <T>(values: T[]): T[] => [...new Set(values)];

export const contentStatusSchema = z.enum(['draft', 'published']);
export type ContentStatus = z.infer<typeof contentStatusSchema>;

export const targetOsSchema = z.enum(['linux', 'darwin', 'win32', 'other']);

/** Which devices see the content: every listed dimension must match; an empty list means everyone. */
export const targetingSchema = z.object({
  os: z.array(targetOsSchema).max(4).default([]).transform(dedupe),
  /** Device groups as given at enrollment; exact, case-sensitive match. */
  groups: z.array(text().trim().min(1).max(64)).max(32).default([]).transform(dedupe),
});
export type Targeting = z.infer<typeof targetingSchema>;

/** An article as staff see it. */
export const articleSchema = z.object({
  id: z.number(),
  title: z.string(),
  body: z.string(),
  tags: z.array(z.string()),
  findingCodes: z.array(findingCodeSchema),
  targeting: z.object({ os: z.array(targetOsSchema), groups: z.array(z.string()) }),
  status: contentStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  views: z.number(),
  helped: z.number(),
});
export type ArticleDto = z.infer<typeof articleSchema>;

/** An article as an agent stores it for offline use. */
export const agentArticleSchema = articleSchema.pick({
  id: true,
  title: true,
  body: true,
  tags: true,
  findingCodes: true,
  updatedAt: true,
  publishedAt: true,
});
export type AgentArticleDto = z.infer<typeof agentArticleSchema>;

/** GET /api/v1/articles/search (staff and devices): plain words, the last one matched as a prefix. */
export const searchArticlesQuerySchema = z.object({
  q: text().max(CONTENT_QUERY_MAX),
  limit: z.coerce.number().int().min(1).max(ARTICLE_SEARCH_MAX).default(10),
});

export const articleSearchHitSchema = z.object({
  id: z.number(),
  title: z.string(),
  /** Plain text around the first matching word of the body. */
  snippet: z.string(),
  tags: z.array(z.string()),
  /** Higher is more relevant; comparable only within one answer. */
  score: z.number(),
});
export type ArticleSearchHit = z.infer<typeof articleSearchHitSchema>;

export const articleSearchResponseSchema = z.object({ results: z.array(articleSearchHitSchema) });

/**
 * GET …/sync query. `since` is the `cursor` of the previous answer (0 = full sync); it is parsed by the
 * server so that a bad one gets the stable code `invalid_cursor` and the agent knows to start over at 0.
 */
export const syncQuerySchema = z.object({
  since: text().max(32).default('0'),
  limit: z.coerce.number().int().min(1).max(CONTENT_SYNC_PAGE_MAX).default(50),
});

/** Shared shape of a sync answer: keep calling with `cursor` while `hasMore`. */
const syncEnvelope = {
  cursor: z.number(),
  /** Ids to drop from the local copy: deleted, unpublished, expired or no longer targeted here. May name ids never received. */
  deleted: z.array(z.number()),
  hasMore: z.boolean(),
};

/** GET /api/v1/articles/sync (device). */
export const articleSyncResponseSchema = z.object({ ...syncEnvelope, articles: z.array(agentArticleSchema) });
export type ArticleSyncResponse = z.infer<typeof articleSyncResponseSchema>;

/** An announcement as staff see it; `active` = published, started and not expired. */
export const announcementSchema = z.object({
  id: z.number(),
  title: z.string(),
  body: z.string(),
  severity: severitySchema,
  targeting: z.object({ os: z.array(targetOsSchema), groups: z.array(z.string()) }),
  status: contentStatusSchema,
  startsAt: z.string(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  active: z.boolean(),
});
export type AnnouncementDto = z.infer<typeof announcementSchema>;

/** An announcement as an agent shows it; it hides it itself once `expiresAt` passes, even offline. */
export const agentAnnouncementSchema = announcementSchema.pick({
  id: true,
  title: true,
  body: true,
  severity: true,
  startsAt: true,
  expiresAt: true,
  updatedAt: true,
});
export type AgentAnnouncementDto = z.infer<typeof agentAnnouncementSchema>;

/** GET /api/v1/announcements/sync (device). */
export const announcementSyncResponseSchema = z.object({
  ...syncEnvelope,
  announcements: z.array(agentAnnouncementSchema),
});
export type AnnouncementSyncResponse = z.infer<typeof announcementSyncResponseSchema>;

/** The answer of a counter or a delete: no body. */
export const noContent = z.null();

export const articleEndpoints = endpointGroup('articles', {
  searchArticles: {
    summary: 'Full-text search; devices see only published articles targeted at them',
    query: searchArticlesQuerySchema,
    responses: { 200: articleSearchResponseSchema },
  },
  syncArticles: {
    summary: 'Delta sync of the articles this device may see (device)',
    query: syncQuerySchema,
    responses: { 200: articleSyncResponseSchema },
  },
  articleViewed: {
    summary: 'The employee opened the article (device)',
    params: contentIdParamsSchema,
    responses: { 204: noContent },
    errors: [404],
  },
  articleHelped: {
    summary: 'The article solved the problem (device); counted once per device',
    params: contentIdParamsSchema,
    responses: { 204: noContent },
    errors: [404],
  },
});

export const announcementEndpoints = endpointGroup('announcements', {
  syncAnnouncements: {
    summary: 'Delta sync of the active announcements for this device (device)',
    query: syncQuerySchema,
    responses: { 200: announcementSyncResponseSchema },
  },
});
