/*
 * Zod-free constants of webhooks and API tokens, shared by the server, the console and the endpoint table
 * (the console's settings screens list them without loading a schema).
 */

/** Events a webhook can subscribe to. `webhook.test` is sent only by "Send test event". */
export const WEBHOOK_EVENTS = [
  'ticket.created',
  'ticket.replied',
  'ticket.status_changed',
  'ticket.assigned',
  'ticket.priority_changed',
  'sla.warning',
  'sla.breached',
  'device.enrolled',
  'alert.firing',
  'alert.resolved',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export type WebhookEventOrTest = WebhookEvent | 'webhook.test';

/** What each event means, for the console's checkboxes and the README. */
export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  'ticket.created': 'A ticket is opened',
  'ticket.replied': 'A public reply is posted (by staff or the employee)',
  'ticket.status_changed': 'A ticket changes status',
  'ticket.assigned': 'A ticket is assigned or unassigned',
  'ticket.priority_changed': 'A ticket changes priority',
  'sla.warning': 'An SLA timer is close to its due time',
  'sla.breached': 'An SLA timer is breached',
  'device.enrolled': 'A device enrolls (or re-enrolls)',
  'alert.firing': 'A network alert fires',
  'alert.resolved': 'A network alert resolves',
};

export const WEBHOOK_FORMATS = ['generic', 'slack', 'teams'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
export const WEBHOOK_FORMAT_LABELS: Record<WebhookFormat, string> = {
  generic: 'JSON (signed)',
  slack: 'Slack incoming webhook',
  teams: 'Microsoft Teams incoming webhook',
};

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Pauses before each retry: attempt n+1 waits RETRY_DELAYS_MS[n-1]; after the last, the delivery fails. */
export const WEBHOOK_RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000] as const;
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_MS.length + 1;

/** API token scopes; a request needs the one its endpoint declares (src/shared/api/token-scopes.ts). */
export const API_SCOPES = [
  'tickets:read',
  'tickets:write',
  'devices:read',
  'devices:write',
  'content:read',
  'content:write',
  'reports:read',
  'admin',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const API_SCOPE_LABELS: Record<ApiScope, string> = {
  'tickets:read': 'Read tickets, messages, the queue and SLA settings',
  'tickets:write': 'Reply to, update and escalate tickets',
  'devices:read': 'Read devices, snapshots, the fleet and network monitoring',
  'devices:write': 'Run actions and remote sessions on devices',
  'content:read': 'Read articles and announcements',
  'content:write': 'Write and publish articles and announcements',
  'reports:read': 'Read reports',
  admin: 'Administration: staff, settings, audit log, webhooks, catalogs',
};

/** Scopes a role may put on a token: never more than the role can do with a session. */
export const ROLE_SCOPES: Record<'admin' | 'technician', readonly ApiScope[]> = {
  admin: API_SCOPES,
  technician: ['tickets:read', 'tickets:write', 'devices:read', 'devices:write', 'content:read', 'reports:read'],
};

/** Every API token starts with this, so a leaked one is recognisable (secret scanners) and never taken for a device token. */
export const API_TOKEN_PREFIX = 'dsk_';
/** The longest a token may live (a service token may also have none, if an admin says so). */
export const API_TOKEN_MAX_DAYS = 365;
