/*
 * Where a ticket's SLA stands, as pure functions of its row, its policy and the time.
 *
 * A ticket has two targets: first response (until a staff member first answers) and resolution.
 * `sla_state` shows the worse of the targets still running, so a late first response shows
 * 'breached' until someone answers and then the resolution target alone counts again. Each running
 * target also calls for its own escalation trigger (its warning, then its breach); the SLA
 * evaluation fires each one once. The final state ('met' or 'breached') is fixed from the timestamps
 * when the ticket is resolved.
 *
 * Only the resolution clock pauses (status pending, and resolved/closed until a reopen): on the
 * ticket's return, the business time that was left at the pause is counted from the restart.
 */
import type { EscalationTrigger } from '../../shared/api/sla';
import type { TicketStatus } from '../../shared/api/tickets';
import { addBusinessMinutes, businessMinutesBetween, type BusinessHours } from './business-hours';
import type { SlaPolicy } from './sla.service';

const MINUTE_MS = 60_000;

/** A running target's standing. */
export type LiveState = 'ok' | 'warning' | 'breached';

/** Statuses whose SLA clocks run; the SLA job looks only at these. */
export const ACTIVE_STATUSES: readonly TicketStatus[] = ['new', 'open'];

/** The ticket columns the SLA arithmetic reads. */
export interface SlaTicketFields {
  status: TicketStatus;
  sla_state: 'none' | 'ok' | 'warning' | 'breached' | 'met';
  first_response_at: number | null;
  first_response_due_at: number | null;
  resolution_due_at: number | null;
}

const RANK: Record<LiveState, number> = { ok: 0, warning: 1, breached: 2 };

/** The more serious of two states. */
export const worse = (a: LiveState, b: LiveState): LiveState => (RANK[a] >= RANK[b] ? a : b);

/**
 * One target at `nowMs`: breached from the due instant on; warning once the business time left is at
 * most (100 - warningPercent) % of the target. Counting what is left rather than what was used keeps
 * the threshold right after a pause shifted the due instant. Unknown target minutes: never warns.
 */
export function targetState(
  nowMs: number,
  dueMs: number,
  targetMinutes: number | null,
  warningPercent: number,
  calendar: BusinessHours | null,
): LiveState {
  if (nowMs >= dueMs) return 'breached';
  if (targetMinutes === null) return 'ok';
  const leftMs = Math.round(businessMinutesBetween(nowMs, dueMs, calendar) * MINUTE_MS);
  // Integer comparison so a threshold is never missed by rounding.
  return leftMs * 100 <= (100 - warningPercent) * targetMinutes * MINUTE_MS ? 'warning' : 'ok';
}

/** Where a ticket's running targets stand: the shown state, and the escalation triggers they call for. */
export interface LivePlan {
  state: LiveState;
  /** At most one per running target: its warning or its breach. */
  triggers: EscalationTrigger[];
}

/** The live state of a ticket's running targets at `nowMs`. */
export function livePlan(t: SlaTicketFields, policy: SlaPolicy | undefined, nowMs: number): LivePlan {
  const calendar = policy?.businessHours ?? null;
  const percent = policy?.warningPercent ?? 80;
  const first =
    t.first_response_at === null && t.first_response_due_at !== null
      ? targetState(nowMs, t.first_response_due_at, policy?.firstResponseMinutes ?? null, percent, calendar)
      : 'ok';
  const resolution =
    t.resolution_due_at !== null
      ? targetState(nowMs, t.resolution_due_at, policy?.resolutionMinutes ?? null, percent, calendar)
      : 'ok';
  const triggers = [triggerOf(first, 'first_response'), triggerOf(resolution, 'resolution')].filter(
    (x): x is EscalationTrigger => x !== null,
  );
  return { state: worse(first, resolution), triggers };
}

/** The escalation trigger of a target's state. */
function triggerOf(state: LiveState, target: 'first_response' | 'resolution'): EscalationTrigger | null {
  if (state === 'ok') return null;
  return `${target}_${state === 'warning' ? 'warning' : 'breach'}`;
}

/**
 * The final state of a ticket resolved at `resolvedAt`: 'met' only when every target was met (a
 * resolution without an earlier answer answers too); 'none' without an SLA.
 */
export function finalState(
  t: Pick<SlaTicketFields, 'sla_state' | 'first_response_at' | 'first_response_due_at' | 'resolution_due_at'>,
  resolvedAt: number,
): 'none' | 'met' | 'breached' {
  if (t.sla_state === 'none' || (t.first_response_due_at === null && t.resolution_due_at === null)) return 'none';
  const firstOk = t.first_response_due_at === null || (t.first_response_at ?? resolvedAt) <= t.first_response_due_at;
  const resolutionOk = t.resolution_due_at === null || resolvedAt <= t.resolution_due_at;
  return firstOk && resolutionOk ? 'met' : 'breached';
}

/**
 * The resolution due instant after a pause from `pausedAt` to `resumedAt`: the business time that was
 * left is counted again from the restart. A target already breached at the pause stays where it was.
 */
export function resumedDueAt(
  dueAt: number | null,
  pausedAt: number,
  resumedAt: number,
  calendar: BusinessHours | null,
): number | null {
  if (dueAt === null || pausedAt >= dueAt || resumedAt <= pausedAt) return dueAt;
  const left = businessMinutesBetween(pausedAt, dueAt, calendar);
  return Math.max(dueAt, Math.round(addBusinessMinutes(resumedAt, left, calendar)));
}
