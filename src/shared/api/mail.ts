import { z } from 'zod';
import { MAIL_KINDS } from '../mail/mail-kinds';
import { text } from '../text/text-schema';
import { endpointGroup } from './endpoint';

/*
 * Email out (issue 15): IT's SMTP settings and test message, the notification templates, the outbox's
 * failure log, each technician's notification choices, and the two small public pages an employee reaches
 * from a mail (rate the help; choose which emails to get), authorised by the signed token in the link.
 */

export const SMTP_TLS_MODES = ['none', 'starttls', 'tls'] as const;
export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;

const mailKindSchema = z.enum(MAIL_KINDS);
/** A host name, a bracketed IP literal, or '' (not set). */
export const hostName = text()
  .trim()
  .max(253)
  .regex(/^$|^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$/, 'a host name or address');
const emailOrEmpty = z.union([z.literal(''), z.email().max(254)]);
const publicUrl = text()
  .trim()
  .max(300)
  .regex(/^$|^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'an http:// or https:// address without query');

/** GET /api/v1/settings/mail: the settings; the password is never returned, only whether one is set. */
export const mailSettingsSchema = z.object({
  host: z.string(),
  port: z.number(),
  tlsMode: z.enum(SMTP_TLS_MODES),
  username: z.string(),
  passwordSet: z.boolean(),
  fromName: z.string(),
  fromAddress: z.string(),
  publicUrl: z.string(),
  replyDelayMinutes: z.number(),
  /** Whether mail can be sent (host and From address set). */
  configured: z.boolean(),
});
export type MailSettingsDto = z.infer<typeof mailSettingsSchema>;

/** PUT /api/v1/settings/mail: `password` omitted keeps the stored one, '' clears it. */
export const putMailSettingsSchema = z
  .object({
    host: hostName,
    port: z.number().int().min(1).max(65535),
    tlsMode: z.enum(SMTP_TLS_MODES),
    username: text().trim().max(254),
    password: text().max(1024).optional(),
    fromName: text().trim().max(120),
    fromAddress: emailOrEmpty,
    publicUrl,
    replyDelayMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
  })
  .strict();
export type PutMailSettingsRequest = z.input<typeof putMailSettingsSchema>;

/** POST /api/v1/settings/mail/test: sends now, answers with the SMTP outcome. */
export const testMailRequestSchema = z.object({ to: z.email().max(254) }).strict();
export const testMailResponseSchema = z.object({
  ok: z.boolean(),
  /** auth, connection, tls, timeout, rejected, not_configured, other. */
  code: z.string().nullable(),
  message: z.string(),
  /** The server's reply line on success (`250 …`). */
  response: z.string().nullable(),
});
export type TestMailResponse = z.infer<typeof testMailResponseSchema>;

export const mailTemplateSchema = z.object({
  kind: mailKindSchema,
  label: z.string(),
  subject: z.string(),
  body: z.string(),
  /** Whether this is IT's edit (false: the shipped default). */
  customized: z.boolean(),
  placeholders: z.array(z.object({ name: z.string(), description: z.string() })),
});
export type MailTemplateDto = z.infer<typeof mailTemplateSchema>;
export const mailTemplateListSchema = z.object({ templates: z.array(mailTemplateSchema) });

const kindParams = z.object({ kind: mailKindSchema });
export const putMailTemplateSchema = z
  .object({ subject: text().trim().min(1).max(300), body: text().min(1).max(20_000) })
  .strict();
export const mailPreviewSchema = z.object({ subject: z.string(), text: z.string(), html: z.string() });
export type MailPreviewDto = z.infer<typeof mailPreviewSchema>;

export const outboxMailSchema = z.object({
  id: z.number(),
  kind: z.string(),
  to: z.string(),
  subject: z.string(),
  ticketId: z.number().nullable(),
  status: z.enum(OUTBOX_STATUSES),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxMailDto = z.infer<typeof outboxMailSchema>;
export const outboxQuerySchema = z.object({
  /** `problems`: failed, and queued ones that failed at least once (the failure log). */
  view: z.enum(['problems', 'all']).default('problems'),
});
export const outboxListSchema = z.object({
  mails: z.array(outboxMailSchema),
  counts: z.object({ queued: z.number(), sending: z.number(), sent: z.number(), failed: z.number() }),
});
export const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const mailPreferenceSchema = z.object({ kind: mailKindSchema, label: z.string(), enabled: z.boolean() });
export const mailPreferencesSchema = z.object({ preferences: z.array(mailPreferenceSchema) });
export const putMailPreferencesSchema = z
  .object({
    preferences: z
      .array(z.object({ kind: mailKindSchema, enabled: z.boolean() }).strict())
      .min(1)
      .max(20),
  })
  .strict();

const token = text().min(10).max(1000);
export const tokenQuerySchema = z.object({ token });
/** What the employee's "manage these emails" page shows. */
export const mailSubscriptionSchema = z.object({ email: z.string(), preferences: z.array(mailPreferenceSchema) });
export const putMailSubscriptionSchema = z
  .object({ token, preferences: putMailPreferencesSchema.shape.preferences })
  .strict();
export const ratingInviteSchema = z.object({
  ticketId: z.number(),
  subject: z.string(),
  satisfaction: z.number().nullable(),
});
export const submitRatingSchema = z
  .object({
    token,
    satisfaction: z.number().int().min(1).max(5),
    comment: text().trim().max(2000).nullable().default(null),
  })
  .strict();

export const mailEndpoints = endpointGroup('mail', {
  getMailSettings: {
    summary: 'Email (SMTP) settings (admin); the password is never returned',
    responses: { 200: mailSettingsSchema },
  },
  putMailSettings: {
    summary: 'Change the email (SMTP) settings (admin)',
    body: putMailSettingsSchema,
    responses: { 200: mailSettingsSchema },
  },
  sendTestMail: {
    summary: 'Send a test message now and report the SMTP outcome (admin)',
    body: testMailRequestSchema,
    responses: { 200: testMailResponseSchema },
  },
  listMailTemplates: { summary: 'Notification templates (admin)', responses: { 200: mailTemplateListSchema } },
  putMailTemplate: {
    summary: 'Change a notification template (admin); unknown placeholders are refused',
    params: kindParams,
    body: putMailTemplateSchema,
    responses: { 200: mailTemplateSchema },
  },
  resetMailTemplate: {
    summary: 'Reset a notification template to the shipped default (admin)',
    params: kindParams,
    responses: { 200: mailTemplateSchema },
  },
  previewMailTemplate: {
    summary: 'Render a template (saved or not) with sample values, as text and HTML (admin)',
    params: kindParams,
    body: putMailTemplateSchema,
    responses: { 200: mailPreviewSchema },
  },
  listOutbox: {
    summary: 'Outgoing mail: the failure log (failed and retrying) or everything recent (admin)',
    query: outboxQuerySchema,
    responses: { 200: outboxListSchema },
  },
  retryOutboxMail: {
    summary: 'Send a failed or retrying mail again now (admin)',
    params: idParams,
    responses: { 200: outboxMailSchema },
    errors: [404, 409],
  },
  getMyMailPreferences: {
    summary: 'The signed-in staff member’s email notifications',
    responses: { 200: mailPreferencesSchema },
  },
  putMyMailPreferences: {
    summary: 'Choose which email notifications the signed-in staff member gets',
    body: putMailPreferencesSchema,
    responses: { 200: mailPreferencesSchema },
  },
  getMailSubscription: {
    summary: 'An employee’s email choices, from the signed link in a mail',
    query: tokenQuerySchema,
    responses: { 200: mailSubscriptionSchema },
    errors: [403],
  },
  putMailSubscription: {
    summary: 'Change an employee’s email choices, from the signed link in a mail',
    body: putMailSubscriptionSchema,
    responses: { 200: mailSubscriptionSchema },
    errors: [403],
  },
  getRatingInvite: {
    summary: 'The ticket a signed rating link is for',
    query: tokenQuerySchema,
    responses: { 200: ratingInviteSchema },
    errors: [403, 404, 409],
  },
  submitMailRating: {
    summary: 'Rate a resolved ticket from the signed link in its mail',
    body: submitRatingSchema,
    responses: { 200: ratingInviteSchema },
    errors: [403, 404, 409],
  },
});
