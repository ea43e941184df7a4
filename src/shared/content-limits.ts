/*
 * Limits of self-help content (articles, announcements) as plain numbers, with no zod: the console's
 * forms and the agent read them without loading the schema library, and src/shared/api/articles.ts
 * builds its schemas from the same constants.
 */

/** Longest title of an article or announcement, in characters. */
export const CONTENT_TITLE_MAX = 200;
/** Longest article body (Markdown), in characters. */
export const ARTICLE_BODY_MAX = 100_000;
/** Longest announcement body (Markdown), in characters. */
export const ANNOUNCEMENT_BODY_MAX = 20_000;
/** Largest page of the staff lists of articles and announcements. */
export const CONTENT_LIST_PAGE_MAX = 100;
/** Longest search or filter text. */
export const CONTENT_QUERY_MAX = 200;
/** Most search results one request returns. */
export const ARTICLE_SEARCH_MAX = 50;
/** Most entities one sync answer holds. */
export const CONTENT_SYNC_PAGE_MAX = 200;
