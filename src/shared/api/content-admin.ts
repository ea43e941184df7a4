import { z } from 'zod';
import { checkFixItLinks } from '../actions/self-service';
import { text } from '../text/text-schema';
import { findingCodeSchema, severitySchema } from '../health/finding';
import {
  ANNOUNCEMENT_BODY_MAX,
  ARTICLE_BODY_MAX,
  CONTENT_LIST_PAGE_MAX,
  CONTENT_QUERY_MAX,
  CONTENT_TITLE_MAX,
} from '../content-limits';
import {
  announcementSchema,
  articleSchema,
  contentIdParamsSchema,
  contentStatusSchema,
  dedupe,
  noContent,
  targetingSchema,
} from './articles';
import { endpointGroup } from './endpoint';

/*
 * Articles and announcements as staff write and list them (OpenAPI tags "articles" and "announcements",
 * beside the device-facing endpoints in articles.ts). Kept apart from articles.ts, which the agent loads,
 * so the agent does not build the editing schemas (nor the Fix-it link check they run).
 */

const isoTime = z.iso.datetime({ offset: true });

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

export const articleAdminEndpoints = endpointGroup('articles', {
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
});

export const announcementAdminEndpoints = endpointGroup('announcements', {
  listAnnouncements: {
    summary: 'List announcements (staff)',
    query: listAnnouncementsQuerySchema,
    responses: { 200: announcementListResponseSchema },
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
