import type { WebhookEvent } from '../../shared/integrations';
import type { ServerContext } from '../context';
import type { FeedEvent } from '../events/ticket-event-feed';
import { selectStaffNames } from '../auth/staff.repo';
import { consoleBaseUrl, enqueueWebhookEvent, type WebhookEventInput } from './webhook-enqueue';
import { selectMessagesById, selectTicketFacts, type TicketFacts } from './webhook-events.repo';
import { selectSubscribers, type WebhookRow } from './webhooks.repo';

/*
 * Ticket history (the ticket event feed, consumer `webhooks`) as webhook events. The ticket is described as
 * it is when the batch is read, which is seconds after the event: the event's own data (from → to) says
 * what changed.
 */

const EXCERPT = 300;
const excerpt = (text: string) => (text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text);

/** Which webhook event a ticket event is, if any (internal notes and other changes are not sent). */
export function webhookEventOf(event: FeedEvent): WebhookEvent | null {
  switch (event.type) {
    case 'created':
      return 'ticket.created';
    case 'message_posted':
      return event.data.internal === true ? null : 'ticket.replied';
    case 'status_changed':
      return 'ticket.status_changed';
    case 'assignee_changed':
      return 'ticket.assigned';
    case 'priority_changed':
      return 'ticket.priority_changed';
    case 'sla_state_changed':
      return event.data.to === 'warning' ? 'sla.warning' : event.data.to === 'breached' ? 'sla.breached' : null;
    default:
      return null;
  }
}

function ticketJson(t: TicketFacts, url: string) {
  return {
    id: t.id,
    subject: t.subject,
    priority: t.priority,
    status: t.status,
    category: t.category,
    requester: t.requester_name,
    device: t.device_id ? { id: t.device_id, hostname: t.hostname } : null,
    assignee: t.assignee_id ? { id: t.assignee_id, name: t.assignee_name } : null,
    url,
  };
}

/** "P1 ticket from lt-jdoe-0042: VPN down" (the requester's name when there is no device). */
export function ticketTitle(t: TicketFacts): string {
  const from = t.hostname ?? t.requester_name;
  return `${t.priority.toUpperCase()} ticket${from ? ` from ${from}` : ''}: ${t.subject}`;
}

type Lookups = {
  tickets: Map<number, TicketFacts>;
  messages: Awaited<ReturnType<typeof selectMessagesById>>;
  staff: Map<number, string>;
};

function describe(
  event: FeedEvent,
  type: WebhookEvent,
  t: TicketFacts,
  look: Lookups,
): { summary: string; extra: Record<string, unknown> } {
  const title = ticketTitle(t);
  const d = event.data;
  switch (type) {
    case 'ticket.created':
      return { summary: title, extra: { excerpt: excerpt(t.description) } };
    case 'ticket.replied': {
      const m = look.messages.get(Number(d.messageId));
      const who =
        m?.author_name ?? (m?.author_type === 'device' ? (t.requester_name ?? t.hostname) : null) ?? 'someone';
      const author = { type: m?.author_type ?? event.actorType, name: who };
      return {
        summary: `${who} replied on #${t.id} ${t.subject}`,
        extra: { message: { id: Number(d.messageId), author }, excerpt: m ? excerpt(m.body) : '' },
      };
    }
    case 'ticket.status_changed':
      return {
        summary: `#${t.id} ${t.subject}: ${String(d.from)} → ${String(d.to)}`,
        extra: { from: d.from, to: d.to },
      };
    case 'ticket.assigned': {
      const to = typeof d.to === 'number' ? (look.staff.get(d.to) ?? `#${d.to}`) : null;
      return {
        summary: to ? `#${t.id} ${t.subject} assigned to ${to}` : `#${t.id} ${t.subject} unassigned`,
        extra: { from: d.from ?? null, to: d.to ?? null, assigneeName: to },
      };
    }
    case 'ticket.priority_changed':
      return {
        summary: `#${t.id} ${t.subject}: ${String(d.from).toUpperCase()} → ${String(d.to).toUpperCase()}`,
        extra: { from: d.from, to: d.to },
      };
    case 'sla.warning':
    case 'sla.breached':
      return {
        summary: `SLA ${type === 'sla.warning' ? 'warning' : 'breached'}: ${title}`,
        extra: { from: d.from, to: d.to },
      };
    default:
      return { summary: title, extra: {} };
  }
}

/** Enqueues the deliveries of a batch of ticket events (idempotent per event). */
export async function enqueueTicketEvents(ctx: ServerContext, events: FeedEvent[]): Promise<number> {
  const kinds = events.map((e) => ({ e, type: webhookEventOf(e) }));
  // One look per event type in the batch: with nobody subscribed (most help desks, most types) nothing
  // more is read or built. The batch's events take those rows along: a superset of the subscribers
  // (enqueueWebhookEvent decides exactly).
  const subscribed = new Map<WebhookEvent, WebhookRow[]>();
  for (const type of new Set(kinds.map((x) => x.type))) {
    if (type === null) continue;
    const hooks = await selectSubscribers(ctx.db.kysely, type);
    if (hooks.length > 0) subscribed.set(type, hooks);
  }
  const typed = kinds.filter((x) => x.type !== null && subscribed.has(x.type));
  if (typed.length === 0) return 0;
  const messageIds = typed.filter((x) => x.type === 'ticket.replied').map((x) => Number(x.e.data.messageId));
  const staffIds = typed
    .filter((x) => x.type === 'ticket.assigned' && typeof x.e.data.to === 'number')
    .map((x) => x.e.data.to as number);
  const look: Lookups = {
    tickets: await selectTicketFacts(
      ctx.db.kysely,
      typed.map((x) => x.e.ticketId),
    ),
    messages: await selectMessagesById(ctx.db.kysely, messageIds.filter(Number.isFinite)),
    staff: await selectStaffNames(ctx.db.kysely, staffIds),
  };
  const base = consoleBaseUrl(ctx);
  let made = 0;
  for (const { e, type } of typed) {
    const t = look.tickets.get(e.ticketId);
    if (!t || !type) continue;
    const url = `${base}/tickets/${t.id}`;
    const { summary, extra } = describe(e, type, t, look);
    const input: WebhookEventInput = {
      type,
      sourceId: `ticket_event:${e.id}`,
      at: e.at,
      summary,
      url,
      data: { ticket: ticketJson(t, url), actor: { type: e.actorType, id: e.actorId }, ...extra },
    };
    made += await enqueueWebhookEvent(ctx.db.kysely, ctx.now(), input, subscribed.get(type));
  }
  return made;
}
