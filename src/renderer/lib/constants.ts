import type { TicketCategory } from './shared-types';
import type { Severity } from '../../shared/health/finding';
import type { Priority } from '../../shared/priority';

/*
 * The few shared constants the window needs that are still restated here: the shared modules that
 * define them also build zod schemas at import time, and importing one value from them puts all
 * of zod (~440 KB minified) into the window's bundle. The types come from src/shared, so a new
 * section, category or priority is a compile error here, and constants.test.ts proves the values
 * equal the shared ones.
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

/** Severity order for sorting: most severe first (same as SEVERITY_RANK). */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

/** Human names of priorities (same as PRIORITY_LABELS). */
export const PRIORITY_LABELS: Readonly<Record<Priority, string>> = {
  p1: 'Critical',
  p2: 'High',
  p3: 'Medium',
  p4: 'Low',
};
