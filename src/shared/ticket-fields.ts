/*
 * A ticket's choice fields as plain data, with no zod: the command line builds its help from these
 * without loading the schema library. src/shared/api/tickets.ts and src/shared/priority.ts build
 * their schemas from the same arrays.
 */

/** Help-desk ticket categories, in the order forms offer them. */
export const TICKET_CATEGORIES = [
  'hardware',
  'software',
  'network',
  'account',
  'printing',
  'email',
  'security',
  'other',
] as const;

/** A help-desk ticket category. */
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

/** How soon the work is needed, least to most urgent. */
export const URGENCIES = ['low', 'medium', 'high'] as const;
/** How widely the problem is felt, least to most widespread. */
export const IMPACTS = ['low', 'medium', 'high'] as const;
/** How soon the work is needed. */
export type Urgency = (typeof URGENCIES)[number];
/** How widely the problem is felt. */
export type Impact = (typeof IMPACTS)[number];

/** The urgency of a ticket that does not say: the middle of the scale, "normal". */
/** Ticket priorities, p1 (most urgent) to p4. */
export const PRIORITIES = ['p1', 'p2', 'p3', 'p4'] as const;
/** A ticket priority, p1 most urgent. */
export type Priority = (typeof PRIORITIES)[number];

/** Human names of the priorities, as shown in both UIs. */
export const PRIORITY_LABELS: Readonly<Record<Priority, string>> = {
  p1: 'Critical',
  p2: 'High',
  p3: 'Medium',
  p4: 'Low',
};

export const DEFAULT_URGENCY = 'medium' satisfies Urgency;
/** The impact of a ticket that does not say: just the person asking. */
export const DEFAULT_IMPACT = 'low' satisfies Impact;

/*
 * Limits of the ticket API that clients also enforce (form fields, the agent's long poll). The
 * schemas in src/shared/api/tickets.ts are built from these; a client imports them from here.
 */

/** Longest ticket subject, in characters. */
export const TICKET_SUBJECT_MAX = 200;
/** Longest ticket description, in characters. */
export const TICKET_DESCRIPTION_MAX = 20_000;
/** Longest message on a ticket, in characters. */
export const MESSAGE_BODY_MAX = 20_000;
/** Longest comment with a satisfaction rating, in characters. */
export const RATING_COMMENT_MAX = 2000;
/** Most attachments one ticket or one message may carry. */
export const ATTACHMENTS_MAX = 5;
/** Longest the agent's long poll for replies may wait, in seconds. */
export const UPDATES_MAX_WAIT_SECONDS = 30;
