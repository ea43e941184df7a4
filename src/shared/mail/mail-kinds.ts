/*
 * The notifications Deskside mails, who receives each, and the placeholders each template may use.
 * Zod-free: the console's preferences page and template editor import it as it is.
 */

/** Every notification kind, in the order screens list them. */
export const MAIL_KINDS = [
  'employee.reply',
  'employee.status',
  'employee.resolved',
  'staff.assigned',
  'staff.employee_reply',
  'staff.sla_warning',
  'staff.sla_breach',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export const EMPLOYEE_MAIL_KINDS = MAIL_KINDS.filter((k) => k.startsWith('employee.'));
export const STAFF_MAIL_KINDS = MAIL_KINDS.filter((k) => k.startsWith('staff.'));

export function isMailKind(value: string): value is MailKind {
  return (MAIL_KINDS as readonly string[]).includes(value);
}

/** How a kind is named on screens (preferences, template list). */
export const MAIL_KIND_LABELS: Record<MailKind, string> = {
  'employee.reply': 'A technician replied (not read in the tray)',
  'employee.status': 'The ticket’s status changed',
  'employee.resolved': 'The ticket was resolved (with a link to rate it)',
  'staff.assigned': 'A ticket was assigned to me',
  'staff.employee_reply': 'The employee replied on my ticket',
  'staff.sla_warning': 'An SLA target is near',
  'staff.sla_breach': 'An SLA target was missed',
};

const TICKET = ['ticket.id', 'ticket.subject', 'ticket.status', 'ticket.priority', 'requester.name', 'requester.email'];
const STAFF = [...TICKET, 'recipient.name', 'link'];

/** The placeholders each kind's template may use (`{{ticket.id}}`); any other name is refused. */
export const MAIL_PLACEHOLDERS: Record<MailKind, readonly string[]> = {
  'employee.reply': [...TICKET, 'message.body', 'message.author'],
  'employee.status': [...TICKET, 'status.from', 'status.to'],
  'employee.resolved': [...TICKET, 'rateLink'],
  'staff.assigned': [...STAFF, 'actor.name'],
  'staff.employee_reply': [...STAFF, 'message.body'],
  'staff.sla_warning': [...STAFF, 'sla.due'],
  'staff.sla_breach': [...STAFF, 'sla.due'],
};

/** What each placeholder stands for (the template editor's reference list). */
export const PLACEHOLDER_HELP: Record<string, string> = {
  'ticket.id': 'The ticket number',
  'ticket.subject': 'The ticket’s subject',
  'ticket.status': 'Its status now (new, open, pending, resolved, closed)',
  'ticket.priority': 'Its priority (P1–P4)',
  'requester.name': 'The employee who filed it',
  'requester.email': 'The employee’s address',
  'recipient.name': 'The technician this mail goes to',
  link: 'The ticket in the console',
  rateLink: 'The page where the employee rates the help (signed, no sign-in)',
  'message.body': 'The message text (Markdown)',
  'message.author': 'Who wrote the message',
  'status.from': 'The status before the change',
  'status.to': 'The status after the change',
  'actor.name': 'Who made the change',
  'sla.due': 'When the SLA target is (was) due',
};

/** A template: a plain-text subject and a Markdown body, both with placeholders. */
export interface MailTemplateText {
  subject: string;
  body: string;
}

/** The templates Deskside ships; "reset to default" goes back to these. */
export const DEFAULT_MAIL_TEMPLATES: Record<MailKind, MailTemplateText> = {
  'employee.reply': {
    subject: 'Re: {{ticket.subject}}',
    body: 'Hello {{requester.name}},\n\n{{message.author}} replied to your request:\n\n{{message.body}}\n\nYou can answer in the Deskside app or by replying to this email.',
  },
  'employee.status': {
    subject: 'Your request is now {{status.to}}: {{ticket.subject}}',
    body: 'Hello {{requester.name}},\n\nYour request **{{ticket.subject}}** changed from *{{status.from}}* to *{{status.to}}*.',
  },
  'employee.resolved': {
    subject: 'Resolved: {{ticket.subject}}',
    body: 'Hello {{requester.name}},\n\nWe have resolved your request **{{ticket.subject}}**. If the problem is back, reply to this email and the ticket reopens.\n\nHow did we do? [Rate the help you got]({{rateLink}})',
  },
  'staff.assigned': {
    subject: 'Assigned to you: {{ticket.subject}}',
    body: 'Hello {{recipient.name}},\n\n{{actor.name}} assigned ticket #{{ticket.id}} ({{ticket.priority}}) from {{requester.name}} to you.\n\n[Open the ticket]({{link}})',
  },
  'staff.employee_reply': {
    subject: 'Re: {{ticket.subject}}',
    body: '{{requester.name}} replied on ticket #{{ticket.id}}:\n\n{{message.body}}\n\n[Open the ticket]({{link}})',
  },
  'staff.sla_warning': {
    subject: 'SLA warning: {{ticket.subject}}',
    body: 'Ticket #{{ticket.id}} ({{ticket.priority}}) from {{requester.name}} is close to its SLA target, due {{sla.due}}.\n\n[Open the ticket]({{link}})',
  },
  'staff.sla_breach': {
    subject: 'SLA breached: {{ticket.subject}}',
    body: 'Ticket #{{ticket.id}} ({{ticket.priority}}) from {{requester.name}} missed its SLA target, due {{sla.due}}.\n\n[Open the ticket]({{link}})',
  },
};
