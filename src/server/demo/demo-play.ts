import { createHash } from 'node:crypto';
import { createTicketRequestSchema } from '../../shared/api/tickets';
import { priorityFor, type Priority } from '../../shared/priority';
import type { DeviceIdentity, StaffUser } from '../auth/guards';
import type { ServerContext } from '../context';
import { evaluateTicketSla } from '../sla/sla-evaluate.service';
import type { SlaPolicy } from '../sla/sla.service';
import { createTicket } from '../tickets/ticket-create.service';
import { postMessage } from '../tickets/messages.service';
import { rateTicket } from '../tickets/ticket-lifecycle.service';
import { updateTicket } from '../tickets/ticket-update.service';
import { demoSnapshot, type DemoDevice } from './demo-fleet';
import { createdAtFor, FIRST_REPLY_MS } from './demo-sla';
import type { DemoStaffKey, DemoTicket } from './demo-tickets';

/*
 * Plays one demo ticket through the server's own services on a scripted clock: filed with the
 * computer's snapshot, noted, assigned, answered, paused, resolved, closed and rated at backdated
 * times, so its history, SLA clock and events are what the real server would have recorded.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const IP = '127.0.0.1';

/** How long after creation a late (SLA-breaching) resolution comes, per priority. */
const LATE_RESOLUTION_MS: Record<Priority, number> = {
  p1: 6 * HOUR_MS,
  p2: 3 * DAY_MS,
  p3: 9 * DAY_MS,
  p4: 13 * DAY_MS,
};

/** What playing a ticket needs: the services' context on a clock the player moves. */
export interface DemoStage {
  ctx: ServerContext;
  setClock(at: number): void;
  now: number;
  policies: readonly SlaPolicy[];
  staff: Record<DemoStaffKey, StaffUser>;
}

interface Timeline {
  createdAt: number;
  pauseAt?: number;
  resolvedAt?: number;
  closedAt?: number;
}

/** When each thing happens for a ticket, so its SLA stands where the demo wants it at `now`. */
function timeline(stage: DemoStage, t: DemoTicket, index: number): Timeline {
  const { now, policies } = stage;
  const priority = priorityFor(t.urgency, t.impact);
  // Spread the ages a little so the queue does not look machine-made.
  const jitter = (index % 5) * 17;
  switch (t.status) {
    case 'new':
    case 'open': {
      const replied = t.status === 'open';
      if (t.sla === 'ok' || t.sla === 'met') {
        const minAgeMinutes = (t.status === 'new' ? 15 : 90) + jitter;
        return { createdAt: createdAtFor(policies, priority, { state: 'ok', replied, minAgeMinutes }, now) };
      }
      // Breached some time ago, by different amounts: the state is sought at that earlier instant
      // (business-hour targets fall due only in business hours, so a fixed offset would not spread them).
      const overdue =
        t.sla !== 'breached' ? 0 : priority === 'p1' ? (20 + jitter) * MINUTE_MS : (index % 7) * 7 * HOUR_MS;
      return {
        createdAt: createdAtFor(policies, priority, { state: t.sla, replied, minAgeMinutes: 1 }, now - overdue),
      };
    }
    case 'pending': {
      if (t.sla === 'breached') {
        const pauseAt = now - (50 + jitter) * MINUTE_MS;
        const createdAt = createdAtFor(
          policies,
          priority,
          { state: 'breached', replied: true, minAgeMinutes: 60 },
          pauseAt,
        );
        return { createdAt, pauseAt };
      }
      // Asked a question recently: the clock stopped well before its due time.
      const createdAt = now - (35 + jitter * 3) * MINUTE_MS;
      return { createdAt, pauseAt: createdAt + FIRST_REPLY_MS + MINUTE_MS };
    }
    case 'resolved':
    case 'closed': {
      const resolveAfter = t.sla === 'breached' ? LATE_RESOLUTION_MS[priority] : (95 + jitter) * MINUTE_MS;
      const closeAfter = t.status === 'closed' ? DAY_MS : 0;
      const createdAt = now - resolveAfter - closeAfter - (20 + index) * HOUR_MS;
      const resolvedAt = createdAt + resolveAfter;
      return { createdAt, resolvedAt, closedAt: t.status === 'closed' ? resolvedAt + closeAfter : undefined };
    }
  }
}

/** Files one demo ticket and plays its conversation; returns its id. */
export async function playDemoTicket(
  stage: DemoStage,
  t: DemoTicket,
  index: number,
  device: DemoDevice,
  identity: DeviceIdentity,
): Promise<number> {
  const { ctx } = stage;
  const when = timeline(stage, t, index);
  const at = (time: number) => stage.setClock(Math.min(time, stage.now));
  const staff = stage.staff[t.assignee ?? 'priya'];
  const asStaff = { kind: 'staff' as const, user: staff, sessionId: 'demo-seed', csrfToken: 'demo-seed' };
  const asDevice = { kind: 'device' as const, device: identity };

  at(when.createdAt);
  const body = createTicketRequestSchema.parse({
    subject: t.subject,
    description: t.description,
    category: t.category,
    urgency: t.urgency,
    impact: t.impact,
    requester: { name: device.person, email: `${device.user}@contoso.example` },
    snapshot: demoSnapshot(device, when.createdAt),
  });
  const hash = createHash('sha256').update(`${identity.id}\n${t.subject}`).digest('hex');
  const { ticket } = await createTicket(ctx, identity, { ...body, category: t.category }, `demo_${hash.slice(0, 40)}`, {
    hash,
    mayHoldUnsafeText: true,
    body: null,
  });
  const id = ticket.id;
  const say = (text: string, internal = false) =>
    postMessage(ctx, asStaff, id, { body: text, internal, attachments: [] });

  if (t.note) {
    at(when.createdAt + 5 * MINUTE_MS);
    await say(t.note, true);
  }
  if (t.status === 'new') return id;

  at(when.createdAt + FIRST_REPLY_MS - MINUTE_MS);
  await updateTicket(ctx, id, { assigneeId: staff.id, group: t.group ?? staff.group_name }, staff, IP);
  at(when.createdAt + FIRST_REPLY_MS);
  await say(t.reply ?? 'Looking into it.');
  if (t.answer) {
    at(when.createdAt + FIRST_REPLY_MS + 25 * MINUTE_MS);
    await postMessage(ctx, asDevice, id, { body: t.answer, internal: false, attachments: [] });
  }
  if (when.pauseAt !== undefined) {
    at(when.pauseAt);
    // What the SLA job would have recorded by then; the pause keeps that state.
    await evaluateTicketSla(ctx, id);
    await updateTicket(ctx, id, { status: 'pending' }, staff, IP);
  }
  if (when.resolvedAt !== undefined) {
    at(when.resolvedAt - MINUTE_MS);
    await evaluateTicketSla(ctx, id);
    await say(t.resolution ?? 'Resolved.');
    at(when.resolvedAt);
    await updateTicket(ctx, id, { status: 'resolved' }, staff, IP);
  }
  if (when.closedAt !== undefined) {
    at(when.closedAt);
    await updateTicket(ctx, id, { status: 'closed' }, staff, IP);
  }
  if (t.rating && when.resolvedAt !== undefined) {
    at((when.closedAt ?? when.resolvedAt) + 20 * MINUTE_MS);
    await rateTicket(ctx, identity, id, t.rating.satisfaction, t.rating.comment);
  }
  return id;
}
