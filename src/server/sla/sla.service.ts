import type { z } from 'zod';
import type { putSlaPolicyRequestSchema, SlaPolicyDto } from '../../shared/api/sla';
import type { Priority } from '../../shared/priority';
import { audit } from '../audit/audit.service';
import type { ServerContext } from '../context';
import type { Db } from '../db/database';
import { addBusinessMinutes, businessHoursSchema, type BusinessHours } from './business-hours';
import type { RuleActor } from './escalation.service';
import {
  hasSlaPolicies,
  insertMissingSlaPolicies,
  selectSlaPolicies,
  selectSlaPolicy,
  upsertSlaPolicy,
  type SlaPolicyRow,
} from './sla-policies.repo';

/** An SLA policy with its calendar parsed. */
export interface SlaPolicy {
  id: number;
  priority: Priority;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  /** null: around the clock. */
  businessHours: BusinessHours | null;
  warningPercent: number;
  updatedAt: number;
}

/** The SLA fields of a new ticket. */
export interface SlaTimes {
  policyId: number | null;
  firstResponseDueAt: number | null;
  resolutionDueAt: number | null;
  state: 'none' | 'ok';
}

const DEFAULT_HOURS: BusinessHours = {
  timezone: 'UTC',
  days: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '17:00',
  holidays: [],
};
const BUSINESS_DAY = 8 * 60;

/** What a fresh install starts with; admins change it through PUT /api/v1/sla/policies. */
export const DEFAULT_SLA_POLICIES: ReadonlyArray<Omit<SlaPolicy, 'id' | 'updatedAt'>> = [
  { priority: 'p1', firstResponseMinutes: 30, resolutionMinutes: 4 * 60, businessHours: null, warningPercent: 80 },
  {
    priority: 'p2',
    firstResponseMinutes: 60,
    resolutionMinutes: BUSINESS_DAY,
    businessHours: DEFAULT_HOURS,
    warningPercent: 80,
  },
  {
    priority: 'p3',
    firstResponseMinutes: 4 * 60,
    resolutionMinutes: 3 * BUSINESS_DAY,
    businessHours: DEFAULT_HOURS,
    warningPercent: 80,
  },
  {
    priority: 'p4',
    firstResponseMinutes: 8 * 60,
    resolutionMinutes: 5 * BUSINESS_DAY,
    businessHours: DEFAULT_HOURS,
    warningPercent: 80,
  },
];

// Ticket creation is the hot path: policies change rarely, so each process keeps them for a few
// seconds. Changes made in this process invalidate at once; other processes see them within the TTL.
const CACHE_TTL_MS = 5_000;
const cache = new WeakMap<Db, { loadedAt: number; policies: Promise<SlaPolicy[]> }>();

/** Parses a stored row; a calendar that no longer validates (hand-edited row) counts as 24x7 rather than failing every ticket. */
export function toSlaPolicy(row: SlaPolicyRow): SlaPolicy {
  let businessHours: BusinessHours | null = null;
  if (row.business_hours !== null) {
    try {
      const parsed = businessHoursSchema.safeParse(JSON.parse(row.business_hours));
      if (parsed.success) businessHours = parsed.data;
    } catch {
      businessHours = null;
    }
  }
  return {
    id: row.id,
    priority: row.priority,
    firstResponseMinutes: row.first_response_minutes,
    resolutionMinutes: row.resolution_minutes,
    businessHours,
    warningPercent: row.warning_percent,
    updatedAt: row.updated_at,
  };
}

/** The policy as the API shows it. */
export function toSlaPolicyDto(p: SlaPolicy): SlaPolicyDto {
  return {
    id: p.id,
    priority: p.priority,
    firstResponseMinutes: p.firstResponseMinutes,
    resolutionMinutes: p.resolutionMinutes,
    businessHours: p.businessHours,
    warningPercent: p.warningPercent,
    updatedAt: new Date(p.updatedAt).toISOString(),
  };
}

/** All policies, from the per-process cache (at most ~5 s old). */
export function loadSlaPolicies(db: Db): Promise<SlaPolicy[]> {
  const now = performance.now();
  const hit = cache.get(db);
  if (hit && now - hit.loadedAt < CACHE_TTL_MS) return hit.policies;
  const policies = selectSlaPolicies(db.kysely).then((rows) => rows.map(toSlaPolicy));
  cache.set(db, { loadedAt: now, policies });
  // A failed load must not be served from the cache for the next five seconds.
  policies.catch(() => {
    if (cache.get(db)?.policies === policies) cache.delete(db);
  });
  return policies;
}

/** Forgets cached policies after a change made by this process. */
export function invalidateSlaPolicies(db: Db): void {
  cache.delete(db);
}

/** The due instants of a policy's two targets for a ticket created (or clock restarted) at `startMs`. */
export function dueTimes(policy: SlaPolicy, startMs: number): { firstResponseDueAt: number; resolutionDueAt: number } {
  return {
    firstResponseDueAt: addBusinessMinutes(startMs, policy.firstResponseMinutes, policy.businessHours),
    resolutionDueAt: addBusinessMinutes(startMs, policy.resolutionMinutes, policy.businessHours),
  };
}

/**
 * The SLA of a ticket of this priority created at `createdAtMs`: the policy and both due instants in
 * the policy's business time. Without a policy for the priority the ticket has no SLA ('none').
 */
export async function computeSla(
  ctx: Pick<ServerContext, 'db'>,
  priority: Priority,
  createdAtMs: number,
): Promise<SlaTimes> {
  return slaFromPolicies(await loadSlaPolicies(ctx.db), priority, createdAtMs);
}

/** computeSla over policies loaded beforehand: the form to use inside a transaction (no query). */
export function slaFromPolicies(policies: readonly SlaPolicy[], priority: Priority, createdAtMs: number): SlaTimes {
  const policy = policies.find((p) => p.priority === priority);
  if (!policy) return { policyId: null, firstResponseDueAt: null, resolutionDueAt: null, state: 'none' };
  return { policyId: policy.id, ...dueTimes(policy, createdAtMs), state: 'ok' };
}

/**
 * Seeds the default policies when the table is empty. Safe from several processes at once: the
 * unique priority column turns a lost race into a no-op.
 */
export async function ensureDefaultSlaPolicies(db: Db, now: number): Promise<void> {
  if (await hasSlaPolicies(db.kysely)) return;
  await insertMissingSlaPolicies(
    db.kysely,
    DEFAULT_SLA_POLICIES.map((p) => ({
      priority: p.priority,
      first_response_minutes: p.firstResponseMinutes,
      resolution_minutes: p.resolutionMinutes,
      business_hours: p.businessHours === null ? null : JSON.stringify(p.businessHours),
      warning_percent: p.warningPercent,
      updated_at: now,
    })),
  );
  invalidateSlaPolicies(db);
}

/** Every policy as the API shows it, one per priority. */
export async function listSlaPolicies(ctx: Pick<ServerContext, 'db'>): Promise<SlaPolicyDto[]> {
  return (await loadSlaPolicies(ctx.db)).map(toSlaPolicyDto);
}

/** Replaces the policy of one priority (audited with before and after); tickets filed from now on use it. */
export async function replaceSlaPolicy(
  ctx: Pick<ServerContext, 'db' | 'now'>,
  actor: RuleActor,
  input: z.output<typeof putSlaPolicyRequestSchema>,
): Promise<SlaPolicyDto> {
  const values = {
    first_response_minutes: input.firstResponseMinutes,
    resolution_minutes: input.resolutionMinutes,
    business_hours:
      input.businessHours === null ? null : JSON.stringify(businessHoursSchema.parse(input.businessHours)),
    warning_percent: input.warningPercent,
    updated_at: ctx.now(),
  };
  const before = await selectSlaPolicy(ctx.db.kysely, input.priority);
  const row = await upsertSlaPolicy(ctx.db.kysely, input.priority, values);
  invalidateSlaPolicies(ctx.db);
  const policy = toSlaPolicyDto(toSlaPolicy(row));
  await audit(ctx, {
    actorType: 'staff',
    actorId: actor.staffId,
    action: 'sla.policy.update',
    targetType: 'sla_policy',
    targetId: row.id,
    details: { priority: input.priority, before: before ? toSlaPolicyDto(toSlaPolicy(before)) : null, after: policy },
    ip: actor.ip,
  });
  return policy;
}
