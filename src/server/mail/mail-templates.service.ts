import type { MailPreviewDto, MailTemplateDto } from '../../shared/api/mail';
import {
  DEFAULT_MAIL_TEMPLATES,
  MAIL_KIND_LABELS,
  MAIL_KINDS,
  MAIL_PLACEHOLDERS,
  PLACEHOLDER_HELP,
  type MailKind,
  type MailTemplateText,
} from '../../shared/mail/mail-kinds';
import type { ServerContext } from '../context';
import { mailDb } from './mail-db';
import { checkPlaceholders, renderMail } from './mail-render';
import { deleteTemplate, selectTemplates, upsertTemplate } from './mail-settings.repo';

/* The notification templates: IT's edits over the shipped defaults. */

function toDto(kind: MailKind, template: MailTemplateText, customized: boolean): MailTemplateDto {
  return {
    kind,
    label: MAIL_KIND_LABELS[kind],
    subject: template.subject,
    body: template.body,
    customized,
    placeholders: MAIL_PLACEHOLDERS[kind].map((name) => ({ name, description: PLACEHOLDER_HELP[name] ?? '' })),
  };
}

/** Every kind's template (IT's, else the default), in MAIL_KINDS order. */
export async function listTemplates(ctx: ServerContext): Promise<MailTemplateDto[]> {
  const rows = new Map((await selectTemplates(mailDb(ctx.db))).map((r) => [r.kind, r]));
  return MAIL_KINDS.map((kind) => {
    const row = rows.get(kind);
    return toDto(kind, row ?? DEFAULT_MAIL_TEMPLATES[kind], Boolean(row));
  });
}

/** The template a kind is sent with. */
export async function templateFor(ctx: ServerContext, kind: MailKind): Promise<MailTemplateText> {
  return (await listTemplates(ctx)).find((t) => t.kind === kind)!;
}

/** Saves IT's template; 400 unknown_placeholder names the placeholders the kind does not have. */
export async function putTemplate(
  ctx: ServerContext,
  kind: MailKind,
  template: MailTemplateText,
): Promise<MailTemplateDto> {
  checkPlaceholders(kind, template);
  await upsertTemplate(mailDb(ctx.db), { kind, subject: template.subject, body: template.body, updated_at: ctx.now() });
  return toDto(kind, template, true);
}

export async function resetTemplate(ctx: ServerContext, kind: MailKind): Promise<MailTemplateDto> {
  await deleteTemplate(mailDb(ctx.db), kind);
  return toDto(kind, DEFAULT_MAIL_TEMPLATES[kind], false);
}

/** Sample values for previews: every placeholder of every kind. */
export const SAMPLE_VALUES: Record<string, string> = {
  'ticket.id': '1042',
  'ticket.subject': 'VPN drops every 10 minutes',
  'ticket.status': 'open',
  'ticket.priority': 'P2',
  'requester.name': 'Dana Whitfield',
  'requester.email': 'dana@example.com',
  'recipient.name': 'Sam Ortega',
  link: 'https://help.example.com/tickets/1042',
  rateLink: 'https://help.example.com/mail/rate?token=sample',
  'message.body': 'Please restart the **VPN client** and try again:\n\n1. Quit it from the tray\n2. Start it again',
  'message.author': 'Sam Ortega',
  'status.from': 'open',
  'status.to': 'pending',
  'actor.name': 'Alex Kim',
  'sla.due': '2 Mar 2026, 14:00 UTC',
};

/** Renders a (possibly unsaved) template with sample values, as the recipient would see it. */
export function previewTemplate(kind: MailKind, template: MailTemplateText): MailPreviewDto {
  checkPlaceholders(kind, template);
  const footer = kind.startsWith('employee.')
    ? { text: 'Manage these emails', url: 'https://help.example.com/mail/emails?token=sample' }
    : { text: 'Your email preferences', url: 'https://help.example.com/preferences' };
  return renderMail(kind, template, SAMPLE_VALUES, footer);
}
