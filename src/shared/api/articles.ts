import { z } from 'zod';
import { checkFixItLinks } from '../actions/self-service';
import { text } from '../text/text-schema';
import { findingCodeSchema, severitySchema } from '../health/finding';
import {
  ANNOUNCEMENT_BODY_MAX,
  ARTICLE_BODY_MAX,
  ARTICLE_SEARCH_MAX,
  CONTENT_LIST_PAGE_MAX,
  CONTENT_QUERY_MAX,
  CONTENT_SYNC_PAGE_MAX,
  CONTENT_TITLE_MAX,
} from '../content-limits';
import { endpointGroup } from './endpoint';

/*
 * The self-help API shared by the server, the tray agent and the console: knowledge-base articles,
 * announcements, and the delta sync that pushes both to agents. Staff see the full resource;
 * a device sees only published content targeted at it, without drafts, targeting or counters.
 */

const isoTime = z.iso.datetime({ offset: true });
/** `:id` of an article or announcement. */
export const contentIdParamsSchema = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

const dedupe = <T>(values: T[]): T[] => [...new Set(values)];

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

/** Tags are lower-case words like the `articleTags` of health findings (`disk-space`, `wifi`). */
export const articleTagSchema = text()
  .trim()
  .toLowerCase()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u, 'letters, digits, ".", "_" and "-" only');

const longText = (max: number) => text().max(max);
const title = text().trim().min(1, 'must not be empty').max(CONTENT_TITLE_MAX);
// A Fix-it link (`deskside-fix:NAME`) must name an action employees may run themselves (issue 12).
const markdownBody = longText(ARTICLE_BODY_MAX).superRefine((body, ctx) => {
  const problem = checkFixItLinks(body);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** POST /api/v1/articles (admin). */
export const createArticleRequestSchema = z.object({
  title,
  body: markdownBody,
  tags: z.array(articleTagSchema).max(32).default([]).transform(dedupe),
  /** Health findings this article fixes: the agent offers it next to those findings. */
  findingCodes: z.array(findingCodeSchema).max(16).default([]).transform(dedupe),
  targeting: targetingSchema.default({ os: [], groups: [] }),
  status: contentStatusSchema.default('draft'),
});
export type CreateArticleRequest = z.input<typeof createArticleRequestSchema>;

/** PATCH /api/v1/articles/:id (admin): any subset; status changes go through publish/unpublish. */
export const updateArticleRequestSchema = z
  .object({
    title,
    body: markdownBody,
    tags: z.array(articleTagSchema).max(32).transform(dedupe),
    findingCodes: z.array(findingCodeSchema).max(16).transform(dedupe),
    targeting: targetingSchema,
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');
export type UpdateArticleRequest = z.input<typeof updateArticleRequestSchema>;

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

/** GET /api/v1/articles (staff). */
export const listArticlesQuerySchema = z.object({
  status: contentStatusSchema.optional(),
  tag: articleTagSchema.optional(),
  finding: findingCodeSchema.optional(),
  /** Full-text filter, same syntax-free matching as search. */
  q: text().max(CONTENT_QUERY_MAX).optional(),
  limit: z.coerce.number().int().min(1).max(CONTENT_LIST_PAGE_MAX).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const articleListResponseSchema = z.object({
  articles: z.array(articleSchema),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
});

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

/** POST /api/v1/announcements (admin). */
export const createAnnouncementRequestSchema = z
  .object({
    title,
    body: longText(ANNOUNCEMENT_BODY_MAX),
    severity: severitySchema.default('info'),
    targeting: targetingSchema.default({ os: [], groups: [] }),
    status: contentStatusSchema.default('draft'),
    /** Defaults to now. */
    startsAt: isoTime.optional(),
    expiresAt: isoTime.nullable().default(null),
  })
  .refine((v) => v.expiresAt === null || v.startsAt === undefined || Date.parse(v.expiresAt) > Date.parse(v.startsAt), {
    message: 'must be after startsAt',
    path: ['expiresAt'],
  });
export type CreateAnnouncementRequest = z.input<typeof createAnnouncementRequestSchema>;

/** PATCH /api/v1/announcements/:id (admin); the server checks expiresAt > startsAt against the stored values. */
export const updateAnnouncementRequestSchema = z
  .object({
    title,
    body: longText(ANNOUNCEMENT_BODY_MAX),
    severity: severitySchema,
    targeting: targetingSchema,
    startsAt: isoTime,
    expiresAt: isoTime.nullable(),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');
export type UpdateAnnouncementRequest = z.input<typeof updateAnnouncementRequestSchema>;

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

/** GET /api/v1/announcements (staff). */
export const listAnnouncementsQuerySchema = z.object({
  status: contentStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(CONTENT_LIST_PAGE_MAX).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const announcementListResponseSchema = z.object({
  announcements: z.array(announcementSchema),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
});

/** GET /api/v1/announcements/sync (device). */
export const announcementSyncResponseSchema = z.object({
  ...syncEnvelope,
  announcements: z.array(agentAnnouncementSchema),
});
export type AnnouncementSyncResponse = z.infer<typeof announcementSyncResponseSchema>;

/** The answer of a counter or a delete: no body. */
const noContent = z.null();

export const articleEndpoints = endpointGroup('articles', {
  listArticles: {
    summary: 'List articles (staff)',
    query: listArticlesQuerySchema,
    responses: { 200: articleListResponseSchema },
  },
  getArticle: {
    summary: 'Get an article (staff)',
    params: contentIdParamsSchema,
    responses: { 200: articleSchema },
    errors: [404],
  },
  createArticle: {
    summary: 'Create an article (admin)',
    body: createArticleRequestSchema,
    responses: { 201: articleSchema },
  },
  updateArticle: {
    summary: 'Change an article (admin)',
    params: contentIdParamsSchema,
    body: updateArticleRequestSchema,
    responses: { 200: articleSchema },
    errors: [404],
  },
  deleteArticle: {
    summary: 'Delete an article (admin); agents are told to drop it',
    params: contentIdParamsSchema,
    responses: { 204: noContent },
    errors: [404],
  },
  publishArticle: {
    summary: 'Publish an article (admin)',
    params: contentIdParamsSchema,
    responses: { 200: articleSchema },
    errors: [404],
  },
  unpublishArticle: {
    summary: 'Unpublish an article (admin)',
    params: contentIdParamsSchema,
    responses: { 200: articleSchema },
    errors: [404],
  },
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
  listAnnouncements: {
    summary: 'List announcements (staff)',
    query: listAnnouncementsQuerySchema,
    responses: { 200: announcementListResponseSchema },
  },
  syncAnnouncements: {
    summary: 'Delta sync of the active announcements for this device (device)',
    query: syncQuerySchema,
    responses: { 200: announcementSyncResponseSchema },
  },
  getAnnouncement: {
    summary: 'Get an announcement (staff)',
    params: contentIdParamsSchema,
    responses: { 200: announcementSchema },
    errors: [404],
  },
  createAnnouncement: {
    summary: 'Create an announcement (admin)',
    body: createAnnouncementRequestSchema,
    responses: { 201: announcementSchema },
  },
  updateAnnouncement: {
    summary: 'Change an announcement (admin)',
    params: contentIdParamsSchema,
    body: updateAnnouncementRequestSchema,
    responses: { 200: announcementSchema },
    errors: [404],
  },
  deleteAnnouncement: {
    summary: 'Delete an announcement (admin); agents are told to drop it',
    params: contentIdParamsSchema,
    responses: { 204: noContent },
    errors: [404],
  },
  publishAnnouncement: {
    summary: 'Publish an announcement (admin)',
    params: contentIdParamsSchema,
    responses: { 200: announcementSchema },
    errors: [404],
  },
  unpublishAnnouncement: {
    summary: 'Unpublish an announcement (admin)',
    params: contentIdParamsSchema,
    responses: { 200: announcementSchema },
    errors: [404],
  },
});
