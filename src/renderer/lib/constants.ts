import type { TicketCategory } from './shared-types';

/*
 * The window's constants. Values shared with the rest of Deskside come from src/shared's zod-free
 * modules (importing one value from a schema module would put all of zod, ~440 KB minified, into the
 * window's bundle); only the employee-facing category wording is the window's own.
 */

// Section names and titles are plain data in shared (no zod), so they are used as they are.
export { SECTION_NAMES, SECTION_TITLES } from '../../shared/snapshot/section-names';

/** Help-desk categories in the employee's words, in the contract's order (same keys as TICKET_CATEGORIES). */
export const CATEGORY_LABELS: Readonly<Record<TicketCategory, string>> = {
  hardware: 'Hardware (laptop, screen, keyboard…)',
  software: 'An application or program',
  network: 'Network, Wi-Fi or VPN',
  account: 'Account, password or access',
  printing: 'Printing',
  email: 'Email and calendar',
  security: 'Security concern',
  other: 'Something else',
};

// Categories, urgencies and impacts are plain data in shared (no zod) too.
export { TICKET_CATEGORIES } from '../../shared/ticket-fields';

export { SEVERITY_RANK } from '../../shared/finding-codes';
export { PRIORITY_LABELS } from '../../shared/ticket-fields';
