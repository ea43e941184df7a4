import type { Priority } from '../../shared/priority';
import { livePlan, type LiveState } from '../sla/sla-clock';
import { slaFromPolicies, type SlaPolicy } from '../sla/sla.service';

const MINUTE_MS = 60_000;
const STEP_MINUTES = 5;
const MAX_AGE_MINUTES = 60 * 24 * 60;

/** When the first staff reply of a demo ticket comes, after its creation. */
export const FIRST_REPLY_MS = 12 * MINUTE_MS;

/**
 * When a new or open ticket must have been created for its SLA to stand at `state` at `now`, given
 * the priority's policy (business hours included, so the answer depends on the day and hour) and
 * whether a technician has answered. The most recent such time at least `minAgeMinutes` ago.
 */
export function createdAtFor(
  policies: readonly SlaPolicy[],
  priority: Priority,
  want: { state: LiveState; replied: boolean; minAgeMinutes: number },
  now: number,
): number {
  for (let age = want.minAgeMinutes; age <= MAX_AGE_MINUTES; age += STEP_MINUTES) {
    const createdAt = now - age * MINUTE_MS;
    const times = slaFromPolicies(policies, priority, createdAt);
    const policy = policies.find((p) => p.id === times.policyId);
    const state = livePlan(
      {
        status: want.replied ? 'open' : 'new',
        sla_state: times.state,
        first_response_at: want.replied ? createdAt + FIRST_REPLY_MS : null,
        first_response_due_at: times.firstResponseDueAt,
        resolution_due_at: times.resolutionDueAt,
      },
      policy,
      now,
    ).state;
    if (state === want.state) return createdAt;
  }
  return now - want.minAgeMinutes * MINUTE_MS;
}
