import type { Transaction, Updateable } from 'kysely';
import type { z } from 'zod';
import type { escalateTicketRequestSchema } from '../../shared/api/sla';
import type { TicketDto, TicketStatus } from '../../shared/api/tickets';
import type { updateTicketRequestSchema } from '../../shared/api/queue';
import { priorityFor } from '../../shared/priority';
import { audit } from '../audit/audit.service';
import type { StaffUser } from '../auth/guards';
import type { ServerContext } from '../context';
import type { Database, TicketsTable } from '../db/schema';
import { conflict, unprocessable } from '../errors';
import { escalateInTransaction } from '../sla/escalation.service';
import { ACTIVE_STATUSES, livePlan, type LiveState } from '../sla/sla-clock';
import { evaluateTicketSla, SLA_RESTARTED } from '../sla/sla-evaluate.service';
import { restartedState, slaForStatusChange } from '../sla/sla-status.service';
import { loadSlaPolicies, slaFromPolicies } from '../sla/sla.service';
import { ticketNotFound } from './ticket-dto';
import { recordTicketEvents, type TicketEvent } from './ticket-events.repo';
import { activeStaffExists, findTicketForUpdate, updateTicketRow } from './tickets.repo';
import { getTicket } from './tickets.service';

type UpdateBody = z.output<typeof updateTicketRequestSchema>;
type EscalateBody = z.output<typeof escalateTicketRequestSchema>;

/** Where each status may go. A closed ticket only reopens; nothing returns to 'new'. */
export const STATUS_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['open', 'pending', 'resolved', 'closed'],
  open: ['pending', 'resolved', 'closed'],
  pending: ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: ['open'],
};

const isActive = (s: TicketStatus) => ACTIVE_STATUSES.includes(s);

/** The state after new due times: none without a policy; while active, no worse than before (the evaluation moves it up); while pending, as it was. */
function recomputedState(
  stored: TicketsTable['sla_state'],
  policyState: 'none' | 'ok',
  live: LiveState | null,
): TicketsTable['sla_state'] {
  if (policyState === 'none') return 'none';
  if (live !== null) return restartedState(stored, live);
  return stored === 'none' ? 'ok' : stored;
}

/** The ticket row locked for an update (FOR UPDATE on PostgreSQL; SQLite transactions are serialized). */
async function lockTicket(ctx: ServerContext, trx: Transaction<Database>, id: number) {
  const t = await findTicketForUpdate(trx, id, ctx.db.dialect === 'postgres');
  if (!t) throw ticketNotFound();
  return t;
}

/**
 * Applies a staff member's change to a ticket: validated status transitions, an active assignee,
 * and a priority that follows urgency and impact unless it was set by hand (then it stays). A new
 * priority recomputes the SLA due times from the ticket's creation; status changes stop, resume and
 * settle the SLA clock (sla-status.ts). Records one event per changed field and audits the change.
 */
export async function updateTicket(
  ctx: ServerContext,
  id: number,
  body: UpdateBody,
  staff: StaffUser,
  ip: string,
): Promise<TicketDto> {
  const now = ctx.now();
  const policies = await loadSlaPolicies(ctx.db);
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    const t = await lockTicket(ctx, trx, id);
    const status = body.status ?? t.status;
    if (!STATUS_TRANSITIONS[t.status].includes(status) && status !== t.status) {
      throw conflict(
        'invalid_status_transition',
        `A ${t.status} ticket cannot become ${status}${t.status === 'closed' ? '; reopen it (status open) first' : ''}`,
      );
    }
    const set: Updateable<TicketsTable> = {};
    const events: Array<Pick<TicketEvent, 'type' | 'data'>> = [];
    const field = (
      column: 'assignee_id' | 'group_name' | 'category' | 'urgency' | 'impact',
      value: string | number | null | undefined,
      type: string,
    ) => {
      if (value === undefined || value === t[column]) return;
      Object.assign(set, { [column]: value });
      events.push({ type, data: { from: t[column], to: value } });
    };

    if (body.assigneeId !== undefined && body.assigneeId !== null && body.assigneeId !== t.assignee_id) {
      if (!(await activeStaffExists(trx, body.assigneeId)))
        throw unprocessable('unknown_assignee', `No active staff member has id ${body.assigneeId}`);
    }
    field('assignee_id', body.assigneeId, 'assignee_changed');
    field('group_name', body.group, 'group_changed');
    field('category', body.category, 'category_changed');
    field('urgency', body.urgency, 'urgency_changed');
    field('impact', body.impact, 'impact_changed');

    // A priority that differs from the matrix was set by hand (or escalated): urgency and impact leave it alone.
    const derived = t.priority === priorityFor(t.urgency, t.impact);
    const priority =
      body.priority ?? (derived ? priorityFor(body.urgency ?? t.urgency, body.impact ?? t.impact) : t.priority);
    const sla = { ...t };
    if (priority !== t.priority) {
      set.priority = priority;
      events.push({
        type: 'priority_changed',
        data: { from: t.priority, to: priority, explicit: body.priority !== undefined },
      });
      // A settled SLA stays settled; an open ticket gets the new priority's targets, counted from creation.
      if (!['resolved', 'closed'].includes(status) && !['resolved', 'closed'].includes(t.status)) {
        const times = slaFromPolicies(policies, priority, t.created_at);
        Object.assign(sla, {
          sla_policy_id: times.policyId,
          first_response_due_at: times.firstResponseDueAt,
          resolution_due_at: times.resolutionDueAt,
        });
        const policy = policies.find((p) => p.id === times.policyId);
        sla.sla_state = recomputedState(
          t.sla_state,
          times.state,
          isActive(t.status) ? livePlan(sla, policy, now).state : null,
        );
        Object.assign(set, {
          sla_policy_id: sla.sla_policy_id,
          first_response_due_at: sla.first_response_due_at,
          resolution_due_at: sla.resolution_due_at,
          sla_state: sla.sla_state,
        });
        events.push({
          type: SLA_RESTARTED,
          data: {
            reason: 'priority_changed',
            firstResponseDueAt: sla.first_response_due_at,
            resolutionDueAt: sla.resolution_due_at,
          },
        });
      }
    }

    if (status !== t.status) {
      set.status = status;
      events.push({ type: 'status_changed', data: { from: t.status, to: status } });
      Object.assign(
        set,
        await slaForStatusChange(
          trx,
          sla,
          status,
          policies.find((p) => p.id === sla.sla_policy_id),
          now,
        ),
      );
      if (status === 'resolved') Object.assign(set, { resolved_at: now, closed_at: null });
      else if (status === 'closed') Object.assign(set, { closed_at: now, resolved_at: t.resolved_at ?? now });
      else Object.assign(set, { resolved_at: null, closed_at: null });
    }

    if (events.length === 0) return { changed: false };
    await updateTicketRow(trx, id, { ...set, updated_at: now });
    await recordTicketEvents(
      trx,
      events.map((e) => ({ ...e, ticketId: id, actorType: 'staff' as const, actorId: staff.id, at: now })),
    );
    return { changed: true };
  });

  if (result.changed) {
    // The employee's agent and the other consoles hear of it at once (status, priority, assignee, group).
    ctx.bus.notify(id, { changed: true });
    // A resumed or recomputed clock may already be due: the evaluation moves it up and fires the rules, once.
    await evaluateTicketSla(ctx, id);
    await audit(ctx, {
      actorType: 'staff',
      actorId: staff.id,
      action: 'ticket.update',
      targetType: 'ticket',
      targetId: id,
      details: { fields: Object.keys(body) },
      ip,
    });
  }
  return getTicket(ctx, id);
}

/** Manual escalation: one level up, optionally to another group (clearing the assignee) and one priority higher. */
export async function escalateTicket(
  ctx: ServerContext,
  id: number,
  body: EscalateBody,
  staff: StaffUser,
  ip: string,
): Promise<TicketDto> {
  const now = ctx.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const t = await lockTicket(ctx, trx, id);
    if (t.status === 'resolved' || t.status === 'closed')
      throw conflict('ticket_not_open', `A ${t.status} ticket cannot be escalated; reopen it first`);
    const details = { manual: true, ...(body.note !== undefined ? { note: body.note } : {}) };
    await escalateInTransaction(
      trx,
      ctx.db.dialect,
      id,
      { assignGroup: body.group, raisePriority: body.raisePriority, details, actorType: 'staff', actorId: staff.id },
      now,
    );
  });
  await audit(ctx, {
    actorType: 'staff',
    actorId: staff.id,
    action: 'ticket.escalate',
    targetType: 'ticket',
    targetId: id,
    details: { group: body.group ?? null, raisePriority: body.raisePriority },
    ip,
  });
  return getTicket(ctx, id);
}
