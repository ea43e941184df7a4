import type { MailKind } from '../../shared/mail/mail-kinds';
import type { ServerContext } from '../context';
import type { FeedEvent } from '../events/ticket-event-feed';
import { mailDb } from './mail-db';
import { signMailLink, RATE_LINK_TTL_MS } from './mail-links';
import { employeeOwner, staffOwner, wants } from './mail-preferences.service';
import {
  selectActiveStaff,
  selectGroupMembers,
  selectMessageForMail,
  selectTicketForMail,
  type StaffRecipient,
  type TicketForMail,
} from './mail-recipients.repo';
import { renderMail } from './mail-render';
import { isConfigured, mailSettingsRow, publicBase } from './mail-settings.service';
import type { MailSettingsRow } from './mail-settings.repo';
import { templateFor } from './mail-templates.service';
import { deletePending, insertPending, selectDuePending } from './outbox.repo';
import { outboxQueue } from './outbox.service';

/*
 * Who hears what, from the ticket event feed (consumer `mail-notify`). Each mail's key names the event and
 * the recipient, so a batch handled twice (the feed is at-least-once) queues nothing twice. Nobody is mailed
 * about their own action. A technician's public reply is not mailed at once: a pending row waits
 * `reply_delay_minutes`, and the mail goes only if the employee has not read the reply in the tray by then.
 */

interface Send {
  ctx: ServerContext;
  settings: MailSettingsRow;
  ticket: TicketForMail;
  event: FeedEvent;
}

const PRIORITY = (p: string) => p.toUpperCase();

function ticketValues(t: TicketForMail): Record<string, string> {
  return {
    'ticket.id': String(t.id),
    'ticket.subject': t.subject,
    'ticket.status': t.status,
    'ticket.priority': PRIORITY(t.priority),
    'requester.name': t.requester_name ?? 'the employee',
    'requester.email': t.requester_email ?? '',
  };
}

async function queueMail(s: Send, kind: MailKind, to: string, values: Record<string, string>, keyPart: string) {
  const base = publicBase(s.ctx, s.settings);
  const footer = kind.startsWith('employee.')
    ? {
        text: 'Manage these emails',
        url: `${base}/mail/emails?token=${signMailLink(s.settings.link_secret, { p: 'emails', e: to.toLowerCase() })}`,
      }
    : { text: 'Your email preferences', url: `${base}/preferences` };
  const rendered = renderMail(kind, await templateFor(s.ctx, kind), { ...ticketValues(s.ticket), ...values }, footer);
  await outboxQueue(s.ctx).enqueue({
    key: `${kind}:${keyPart}:${to.toLowerCase()}`,
    kind,
    to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    ticketId: s.ticket.id,
    autoSubmitted: 'auto-generated',
  });
}

/** Mails the employee unless they turned the kind off. */
async function toEmployee(s: Send, kind: MailKind, values: Record<string, string>, keyPart = String(s.event.id)) {
  const to = s.ticket.requester_email;
  if (!to || s.event.actorType === 'device') return;
  if (!(await wants(s.ctx, employeeOwner(to), kind))) return;
  await queueMail(s, kind, to, values, keyPart);
}

/** Mails each technician (not the actor) who has not turned the kind off. */
async function toStaff(s: Send, kind: MailKind, people: StaffRecipient[], values: Record<string, string>) {
  const link = `${publicBase(s.ctx, s.settings)}/tickets/${s.ticket.id}`;
  for (const person of people) {
    if (s.event.actorType === 'staff' && s.event.actorId === String(person.id)) continue;
    if (!(await wants(s.ctx, staffOwner(person.id), kind))) continue;
    await queueMail(s, kind, person.email, { ...values, link, 'recipient.name': person.name }, String(s.event.id));
  }
}

/** The assignee, or the ticket group's members while nobody is assigned. */
async function ticketStaff(s: Send): Promise<StaffRecipient[]> {
  const db = mailDb(s.ctx.db);
  if (s.ticket.assignee_id !== null) {
    const one = await selectActiveStaff(db, s.ticket.assignee_id);
    return one ? [one] : [];
  }
  return s.ticket.group_name ? selectGroupMembers(db, s.ticket.group_name) : [];
}

const dueText = (ms: number | null) =>
  ms === null ? 'now' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

async function handleEvent(s: Send): Promise<void> {
  const { event, ticket } = s;
  const data = event.data;
  switch (event.type) {
    case 'message_posted': {
      if (data.internal === true) return;
      const message = await selectMessageForMail(mailDb(s.ctx.db), Number(data.messageId));
      if (!message || message.internal === 1) return;
      if (message.author_type === 'staff' && ticket.requester_email) {
        const due = event.at + s.settings.reply_delay_minutes * 60_000;
        const key = `reply:${event.id}`;
        await insertPending(mailDb(s.ctx.db), {
          key,
          ticket_id: ticket.id,
          message_id: message.id,
          due_at: due,
          created_at: s.ctx.now(),
        });
      } else if (message.author_type === 'device')
        await toStaff(s, 'staff.employee_reply', await ticketStaff(s), { 'message.body': message.body });
      return;
    }
    case 'status_changed': {
      const from = String(data.from);
      const to = String(data.to);
      if (to === 'resolved') {
        const token = signMailLink(s.settings.link_secret, {
          p: 'rate',
          t: ticket.id,
          e: (ticket.requester_email ?? '').toLowerCase(),
          x: s.ctx.now() + RATE_LINK_TTL_MS,
        });
        await toEmployee(s, 'employee.resolved', {
          rateLink: `${publicBase(s.ctx, s.settings)}/mail/rate?token=${token}`,
        });
      } else if (!(from === 'new' && to === 'open')) {
        // new → open comes with the first reply: the reply mail says it.
        await toEmployee(s, 'employee.status', { 'status.from': from, 'status.to': to });
      }
      return;
    }
    case 'assignee_changed': {
      if (data.to === null || data.to === undefined) return;
      const person = await selectActiveStaff(mailDb(s.ctx.db), Number(data.to));
      const actor =
        event.actorType === 'staff' ? await selectActiveStaff(mailDb(s.ctx.db), Number(event.actorId)) : undefined;
      if (person) await toStaff(s, 'staff.assigned', [person], { 'actor.name': actor?.name ?? 'Deskside' });
      return;
    }
    case 'sla_state_changed': {
      const kind = data.to === 'warning' ? 'staff.sla_warning' : data.to === 'breached' ? 'staff.sla_breach' : null;
      if (!kind) return;
      const due = ticket.first_response_at === null ? ticket.first_response_due_at : ticket.resolution_due_at;
      await toStaff(s, kind, await ticketStaff(s), { 'sla.due': dueText(due === null ? null : Number(due)) });
      return;
    }
  }
}

/** The feed's handler: mail for each event of a batch (nothing while mail is not configured). */
export async function handleMailEvents(ctx: ServerContext, events: FeedEvent[]): Promise<void> {
  const settings = await mailSettingsRow(ctx);
  if (!isConfigured(settings)) return;
  for (const event of events) {
    const ticket = await selectTicketForMail(mailDb(ctx.db), event.ticketId);
    if (ticket) await handleEvent({ ctx, settings, ticket, event });
  }
}

/** Replies whose wait is over: mailed unless the employee read them in the tray meanwhile. */
export async function sendDueReplies(ctx: ServerContext, limit = 100): Promise<number> {
  const db = mailDb(ctx.db);
  const settings = await mailSettingsRow(ctx);
  let queued = 0;
  for (const pending of await selectDuePending(db, ctx.now(), limit)) {
    const message = await selectMessageForMail(db, Number(pending.message_id));
    const ticket = await selectTicketForMail(db, Number(pending.ticket_id));
    if (message && ticket && message.read_at === null && isConfigured(settings)) {
      const event: FeedEvent = {
        id: 0,
        ticketId: ticket.id,
        type: 'reply',
        actorType: 'staff',
        actorId: message.author_id,
        data: {},
        at: ctx.now(),
      };
      await toEmployee(
        { ctx, settings, ticket, event },
        'employee.reply',
        { 'message.body': message.body, 'message.author': message.author_name ?? 'The help desk' },
        pending.key,
      );
      queued++;
    }
    await deletePending(db, pending.key);
  }
  return queued;
}
