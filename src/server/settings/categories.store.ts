/*
 * Moved to categories.service.ts (and categories.repo.ts for its queries). This re-export only keeps
 * src/server/tickets/tickets.routes.ts compiling until it imports from categories.service.ts; delete
 * it then.
 */
export { defaultTicketCategory } from './categories.service';
