/*
 * The ITIL priority matrix: a ticket's priority follows from how urgent it is and how many people it
 * affects, so agents, technicians and the server derive the same priority from the same two answers.
 */
import { z } from 'zod';
import { IMPACTS, PRIORITIES, PRIORITY_LABELS, URGENCIES } from './ticket-fields';

export { IMPACTS, PRIORITIES, PRIORITY_LABELS, URGENCIES };

/** Validates an urgency. */
export const urgencySchema = z.enum(URGENCIES);
/** Validates an impact. */
export const impactSchema = z.enum(IMPACTS);
/** Validates a priority. */
export const prioritySchema = z.enum(PRIORITIES);

/** How soon the work is needed. */
export type Urgency = z.infer<typeof urgencySchema>;
/** How widely the problem is felt. */
export type Impact = z.infer<typeof impactSchema>;
/** A ticket priority, p1 most urgent. */
export type Priority = z.infer<typeof prioritySchema>;

// Spelled out rather than computed so the table reads like the one in the ITIL handbook.
const MATRIX: Readonly<Record<Urgency, Readonly<Record<Impact, Priority>>>> = {
  high: { high: 'p1', medium: 'p2', low: 'p3' },
  medium: { high: 'p2', medium: 'p3', low: 'p4' },
  low: { high: 'p3', medium: 'p4', low: 'p4' },
};

/** The priority the standard 3x3 matrix gives to an urgency and an impact. */
export function priorityFor(urgency: Urgency, impact: Impact): Priority {
  return MATRIX[urgency][impact];
}

/** Sort rank of each priority: p1 = 0 sorts first. */
export const PRIORITY_RANK: Readonly<Record<Priority, number>> = {
  p1: 0,
  p2: 1,
  p3: 2,
  p4: 3,
};

/** The next more urgent priority (used on escalation); p1 stays p1. */
export function raisePriority(priority: Priority): Priority {
  return PRIORITIES[Math.max(0, PRIORITY_RANK[priority] - 1)] ?? 'p1';
}
