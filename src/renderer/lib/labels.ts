import type { TicketStatus } from '../../shared/api/tickets';
import type { Severity } from '../../shared/health/finding';
import type { Tone } from '../components/Status';

/*
 * Words and tones for the values the contract carries, in one place so every screen says the same.
 */

/** How each ticket status reads to an employee. */
export const STATUS_LABELS: Record<TicketStatus, { label: string; tone: Tone }> = {
  new: { label: 'Received', tone: 'accent' },
  open: { label: 'In progress', tone: 'info' },
  pending: { label: 'Waiting for you', tone: 'warning' },
  resolved: { label: 'Solved', tone: 'ok' },
  closed: { label: 'Closed', tone: 'neutral' },
};

/** Tone of each severity. */
export const SEVERITY_TONE: Record<Severity, Tone> = { critical: 'critical', warning: 'warning', info: 'info' };

/** How each severity reads. */
export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: 'Needs attention now',
  warning: 'Worth fixing',
  info: 'For your information',
};

/** Short category names for lists. */
export function categoryName(category: string): string {
  return category.charAt(0).toUpperCase() + category.slice(1);
}
