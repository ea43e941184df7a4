import type { ConsoleRoute } from '../routing-types';

/** The IT admin pages (knowledge base, announcements, reports, settings), mounted by the shell. */
export const adminRoutes: ConsoleRoute[] = [];
