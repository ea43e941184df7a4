/*
 * SLA evaluation: moves tickets' sla_state as their targets approach and pass, and fires each
 * escalation trigger once per ticket, even when several server processes share one database.
 *
 * Every change is claimed with one conditional UPDATE: the row must still hold the state and the due
 * times this process computed from (WHERE id = ? AND sla_state = <old> AND ...), and only the process
 * whose UPDATE changed a row goes on. That UPDATE also holds the row (PostgreSQL row lock, SQLite
 * write lock) until commit, so the history it then reads is complete: a trigger already recorded by
 * another process ('sla_triggered' event) is not fired twice, even when the state itself does not
 * change (a resolution breach on a ticket already breached by its first response). State, events
 * and escalations commit together or not at all.
 */
import type { Kysely, Transaction } from 'kysely';
import type { EscalationTrigger } from '../../shared/api/sla';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { yieldToEventLoop } from '../jobs/event-loop';
import { recordTicketEvents, type TicketEvent } from '../tickets/ticket-events.repo';
import { escalateInTransaction, loadEnabledRules, ruleMatches, type EscalationRule } from './escalation.service';
import { ACTIVE_STATUSES, finalState, livePlan, type LivePlan, type SlaTicketFields } from './sla-clock';
import {
  claimFinalSlaState,
  claimSlaState,
  selectRunningSlaTickets,
  selectSlaCandidate,
  selectSlaHistory,
  selectUnfinishedSlaTickets,
} from './sla-tickets.repo';
import { loadSlaPolicies, type SlaPolicy } from './sla.service';

type Ctx = Pick<ServerContext, 'db' | 'now'>;

/** A ticket as the evaluation reads it. */
type Candidate = SlaTicketFields & {
  id: number;
  priority: 'p1' | 'p2' | 'p3' | 'p4';
  sla_policy_id: number | null;
  resolved_at: number | null;
  closed_at: number | null;
};

/** Event types that mark the SLA history: a fired trigger, and a restart that forgets earlier ones. */
export const SLA_TRIGGERED = 'sla_triggered';
export const SLA_RESTARTED = 'sla_restarted';

/** Triggers fired since each ticket's SLA clock last (re)started. */
async function firedTriggers(db: Kysely<Database>, ticketIds: readonly number[]): Promise<Map<number, Set<string>>> {
  const fired = new Map<number, Set<string>>();
  for (const row of await selectSlaHistory(db, ticketIds, [SLA_TRIGGERED, SLA_RESTARTED])) {
    const set = fired.get(row.ticket_id) ?? new Set<string>();
    if (row.type === SLA_RESTARTED) set.clear();
    else set.add(String((JSON.parse(row.data) as { trigger?: unknown }).trigger));
    fired.set(row.ticket_id, set);
  }
  return fired;
}

interface Pass {
  ctx: Ctx;
  now: number;
  policies: Map<number, SlaPolicy>;
  rules(): Promise<EscalationRule[]>;
}

/** Applies a planned change to one ticket if this process wins the claim; returns whether it changed anything. */
async function applyPlan(pass: Pass, t: Candidate, plan: LivePlan): Promise<boolean> {
  const { ctx, now } = pass;
  const rules = plan.triggers.length > 0 ? await pass.rules() : [];
  return ctx.db.kysely.transaction().execute(async (trx: Transaction<Database>) => {
    const stateChanges = plan.state !== t.sla_state;
    if (!(await claimSlaState(trx, t, ACTIVE_STATUSES, plan.state, now))) return false;

    const fired = (await firedTriggers(trx, [t.id])).get(t.id);
    const due: EscalationTrigger[] = plan.triggers.filter((trigger) => !fired?.has(trigger));
    if (!stateChanges && due.length === 0) return false;

    const system = { ticketId: t.id, actorType: 'system' as const, actorId: null, at: now };
    const events: TicketEvent[] = [];
    if (stateChanges)
      events.push({ ...system, type: 'sla_state_changed', data: { from: t.sla_state, to: plan.state } });
    for (const trigger of due) events.push({ ...system, type: SLA_TRIGGERED, data: { trigger } });
    await recordTicketEvents(trx, events);
    for (const trigger of due) {
      // The priority the claim saw, so a rule that raises it does not make the next rule match differently.
      for (const rule of rules.filter((r) => ruleMatches(r, trigger, t.priority))) {
        const details = {
          rule: rule.name,
          ruleId: rule.id,
          trigger,
          ...(rule.action.notify !== undefined ? { notify: rule.action.notify } : {}),
        };
        await escalateInTransaction(
          trx,
          ctx.db.dialect,
          t.id,
          { ...rule.action, details, actorType: 'system', actorId: null },
          now,
        );
      }
    }
    return true;
  });
}

/** Fixes the final state of resolved or closed tickets that left the active statuses with a live state (e.g. solved by the employee). */
async function finalize(pass: Pass): Promise<number> {
  const { ctx, now } = pass;
  const rows = await selectUnfinishedSlaTickets(ctx.db.kysely);
  let made = 0;
  for (const t of rows) {
    const to = finalState(t, t.resolved_at ?? t.closed_at ?? now);
    const changed = await ctx.db.kysely.transaction().execute(async (trx) => {
      if (!(await claimFinalSlaState(trx, t, to))) return false;
      await recordTicketEvents(trx, [
        {
          ticketId: t.id,
          type: 'sla_state_changed',
          actorType: 'system',
          actorId: null,
          data: { from: t.sla_state, to },
          at: now,
        },
      ]);
      return true;
    });
    if (changed) made += 1;
  }
  return made;
}

async function startPass(ctx: Ctx): Promise<Pass> {
  const policies = new Map((await loadSlaPolicies(ctx.db)).map((p) => [p.id, p]));
  let rules: Promise<EscalationRule[]> | undefined;
  return { ctx, now: ctx.now(), policies, rules: () => (rules ??= loadEnabledRules(ctx.db.kysely)) };
}

/** Evaluates a batch: the cheap arithmetic for all, the history read only for those with a trigger due. */
async function evaluateCandidates(pass: Pass, tickets: readonly Candidate[]): Promise<number> {
  const plans = tickets.map((t) => ({
    t,
    plan: livePlan(t, t.sla_policy_id === null ? undefined : pass.policies.get(t.sla_policy_id), pass.now),
  }));
  const withTriggers = plans.filter((p) => p.plan.triggers.length > 0).map((p) => p.t.id);
  const fired =
    withTriggers.length > 0 ? await firedTriggers(pass.ctx.db.kysely, withTriggers) : new Map<number, Set<string>>();
  let made = 0;
  for (const { t, plan } of plans) {
    const unfired = plan.triggers.some((trigger) => !fired.get(t.id)?.has(trigger));
    if (plan.state === t.sla_state && !unfired) continue;
    if (await applyPlan(pass, t, plan)) made += 1;
  }
  return made;
}

/**
 * Tickets evaluated between two turns of the event loop. A pass over 20,000-30,000 open tickets took 66 ms
 * at once on SQLite under the submission bench (a CPU profile's longest task once the server was running).
 */
const PASS_CHUNK = 2_000;

/**
 * One SLA pass over the open tickets (new and open; pending tickets' clocks are stopped) and the
 * final state of resolved ones, `chunk` tickets at a time. Returns how many tickets it changed. Safe to
 * run concurrently from several processes: each change is made by exactly one of them.
 */
export async function evaluateSla(ctx: Ctx, chunk = PASS_CHUNK): Promise<number> {
  const pass = await startPass(ctx);
  const tickets = await selectRunningSlaTickets(ctx.db.kysely, ACTIVE_STATUSES);
  let made = 0;
  for (let start = 0; start < tickets.length; start += chunk) {
    if (start > 0) await yieldToEventLoop();
    made += await evaluateCandidates(pass, tickets.slice(start, start + chunk));
  }
  return made + (await finalize(pass));
}

/** Evaluates one ticket now (after a change that moved its due times or its status); returns whether it changed. */
export async function evaluateTicketSla(ctx: Ctx, ticketId: number): Promise<boolean> {
  const pass = await startPass(ctx);
  const t = await selectSlaCandidate(ctx.db.kysely, ticketId);
  if (!t || t.sla_state === 'none' || !ACTIVE_STATUSES.includes(t.status)) return false;
  return (await evaluateCandidates(pass, [t])) > 0;
}
