import type { TICKET_CATEGORIES } from '../../shared/api/tickets';

/** A help-desk category as the contract defines it. */
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
