/*
 * Every HTTP endpoint of the help desk, by name: method, path and who may call it. This is the one
 * place a path is written. It is zod-free so the smallest bundles (the console's first screen, the
 * CLI) can build URLs without loading a schema; the schemas of each endpoint (params, query, body,
 * responses) sit beside it in `endpoints.ts`, keyed by the same names, and the server registers its
 * routes from the pair (src/server/http/endpoint.ts). A test fails when a route exists without an
 * entry or an entry without a route.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call: anyone; an enrolled device (Bearer device token); a signed-in staff member (any role;
 * CSRF header on writes); an administrator; or either a device or staff.
 */
export type Caller = 'public' | 'device' | 'staff' | 'admin' | 'device-or-staff';

export interface RouteDeclaration {
  readonly method: HttpMethod;
  readonly path: `/api/v1/${string}`;
  readonly caller: Caller;
}

const route = <const R extends RouteDeclaration>(r: R): R => r;

export const ROUTES = {
  // Staff sign-in.
  login: route({ method: 'POST', path: '/api/v1/auth/login', caller: 'public' }),
  getSession: route({ method: 'GET', path: '/api/v1/auth/session', caller: 'public' }),
  logout: route({ method: 'POST', path: '/api/v1/auth/logout', caller: 'staff' }),
  listStaff: route({ method: 'GET', path: '/api/v1/staff', caller: 'staff' }),
  createStaff: route({ method: 'POST', path: '/api/v1/staff', caller: 'admin' }),
  updateStaff: route({ method: 'PATCH', path: '/api/v1/staff/:id', caller: 'admin' }),

  // Enrollment and devices.
  enroll: route({ method: 'POST', path: '/api/v1/enroll', caller: 'public' }),
  heartbeat: route({ method: 'POST', path: '/api/v1/devices/heartbeat', caller: 'device' }),
  deviceChannel: route({ method: 'GET', path: '/api/v1/device/channel', caller: 'device' }),
  revokeDevice: route({ method: 'POST', path: '/api/v1/devices/:deviceId/revoke', caller: 'admin' }),
  listEnrollSecrets: route({ method: 'GET', path: '/api/v1/enroll-secrets', caller: 'admin' }),
  createEnrollSecret: route({ method: 'POST', path: '/api/v1/enroll-secrets', caller: 'admin' }),
  deleteEnrollSecret: route({ method: 'DELETE', path: '/api/v1/enroll-secrets/:id', caller: 'admin' }),
  uploadSnapshot: route({ method: 'POST', path: '/api/v1/snapshots', caller: 'device' }),
  uploadSnapshotDelta: route({ method: 'POST', path: '/api/v1/snapshots/delta', caller: 'device' }),
  listDevices: route({ method: 'GET', path: '/api/v1/devices', caller: 'staff' }),
  getDevice: route({ method: 'GET', path: '/api/v1/devices/:id', caller: 'staff' }),
  listDeviceSnapshots: route({ method: 'GET', path: '/api/v1/devices/:id/snapshots', caller: 'staff' }),
  // The speed test's payloads (the catalog's net.speed-test).
  speedTestDownload: route({ method: 'GET', path: '/api/v1/device/speed-test/download', caller: 'device' }),
  speedTestUpload: route({ method: 'POST', path: '/api/v1/device/speed-test/upload', caller: 'device' }),
  getSnapshot: route({ method: 'GET', path: '/api/v1/snapshots/:id', caller: 'staff' }),
  diffSnapshot: route({ method: 'GET', path: '/api/v1/snapshots/:id/diff', caller: 'staff' }),

  // Fleet queries over every device's latest snapshot.
  fleetSummary: route({ method: 'GET', path: '/api/v1/fleet/summary', caller: 'staff' }),
  fleetDevices: route({ method: 'GET', path: '/api/v1/fleet/devices', caller: 'staff' }),
  fleetSoftware: route({ method: 'GET', path: '/api/v1/fleet/software', caller: 'staff' }),

  // Tickets as the employee's device sees them.
  createTicket: route({ method: 'POST', path: '/api/v1/tickets', caller: 'device' }),
  listDeviceTickets: route({ method: 'GET', path: '/api/v1/device/tickets', caller: 'device' }),
  getDeviceTicket: route({ method: 'GET', path: '/api/v1/device/tickets/:id', caller: 'device' }),
  solveTicket: route({ method: 'POST', path: '/api/v1/tickets/:id/solve', caller: 'device' }),
  reopenTicket: route({ method: 'POST', path: '/api/v1/tickets/:id/reopen', caller: 'device' }),
  rateTicket: route({ method: 'POST', path: '/api/v1/tickets/:id/rating', caller: 'device' }),
  ticketUpdates: route({ method: 'GET', path: '/api/v1/tickets/updates', caller: 'device' }),

  // The conversation, for both sides.
  listMessages: route({ method: 'GET', path: '/api/v1/tickets/:id/messages', caller: 'device-or-staff' }),
  postMessage: route({ method: 'POST', path: '/api/v1/tickets/:id/messages', caller: 'device-or-staff' }),
  ticketPresence: route({ method: 'POST', path: '/api/v1/tickets/:id/presence', caller: 'staff' }),
  staffEvents: route({ method: 'GET', path: '/api/v1/staff/events', caller: 'staff' }),
  listTicketAttachments: route({ method: 'GET', path: '/api/v1/tickets/:id/attachments', caller: 'device-or-staff' }),
  getAttachment: route({ method: 'GET', path: '/api/v1/attachments/:id', caller: 'device-or-staff' }),

  // The technician's queue.
  listTickets: route({ method: 'GET', path: '/api/v1/tickets', caller: 'staff' }),
  getTicket: route({ method: 'GET', path: '/api/v1/tickets/:id', caller: 'staff' }),
  updateTicket: route({ method: 'PATCH', path: '/api/v1/tickets/:id', caller: 'staff' }),
  escalateTicket: route({ method: 'POST', path: '/api/v1/tickets/:id/escalate', caller: 'staff' }),
  listTicketEvents: route({ method: 'GET', path: '/api/v1/tickets/:id/events', caller: 'staff' }),

  // Remote actions on a ticket's device (signed commands over the live channel).
  requestCommand: route({ method: 'POST', path: '/api/v1/tickets/:id/commands', caller: 'staff' }),
  listTicketCommands: route({ method: 'GET', path: '/api/v1/tickets/:id/commands', caller: 'staff' }),
  listDeviceCommands: route({ method: 'GET', path: '/api/v1/devices/:id/commands', caller: 'staff' }),
  cancelCommand: route({ method: 'POST', path: '/api/v1/commands/:id/cancel', caller: 'staff' }),

  // Remote control through the device's VNC server (tunnels are WebSockets relayed by the server).
  requestRemoteSession: route({ method: 'POST', path: '/api/v1/devices/:id/remote-sessions', caller: 'staff' }),
  listDeviceRemoteSessions: route({ method: 'GET', path: '/api/v1/devices/:id/remote-sessions', caller: 'staff' }),
  getRemoteSession: route({ method: 'GET', path: '/api/v1/remote-sessions/:id', caller: 'staff' }),
  stopRemoteSession: route({ method: 'POST', path: '/api/v1/remote-sessions/:id/stop', caller: 'staff' }),
  rejoinRemoteSession: route({ method: 'POST', path: '/api/v1/remote-sessions/:id/join', caller: 'staff' }),
  remoteConsoleTunnel: route({ method: 'GET', path: '/api/v1/remote-sessions/:id/tunnel', caller: 'staff' }),
  remoteDeviceTunnel: route({ method: 'GET', path: '/api/v1/device/remote-sessions/:id/tunnel', caller: 'device' }),
  // Fix-it runs: employees run self-service actions themselves; the device records each one.
  recordLocalAction: route({ method: 'POST', path: '/api/v1/device/local-actions', caller: 'device' }),
  listDeviceLocalActions: route({ method: 'GET', path: '/api/v1/devices/:id/local-actions', caller: 'staff' }),
  shareConsoleSignaling: route({ method: 'GET', path: '/api/v1/remote-sessions/:id/signaling', caller: 'staff' }),
  // IT's allow-lists and scripts (the catalog's IT part): technicians read, admins author.
  getItCatalog: route({ method: 'GET', path: '/api/v1/it/catalog', caller: 'staff' }),
  putItService: route({ method: 'PUT', path: '/api/v1/it/services/:id', caller: 'admin' }),
  deleteItService: route({ method: 'DELETE', path: '/api/v1/it/services/:id', caller: 'admin' }),
  putItPackage: route({ method: 'PUT', path: '/api/v1/it/packages/:id', caller: 'admin' }),
  deleteItPackage: route({ method: 'DELETE', path: '/api/v1/it/packages/:id', caller: 'admin' }),
  putItScript: route({ method: 'PUT', path: '/api/v1/it/scripts/:slug', caller: 'admin' }),
  deleteItScript: route({ method: 'DELETE', path: '/api/v1/it/scripts/:slug', caller: 'admin' }),
  // Network monitoring: the probe plan, sites, series, the fleet grid, who else is affected, server-side checks.
  getNetmonSettings: route({ method: 'GET', path: '/api/v1/netmon/settings', caller: 'staff' }),
  putNetmonSettings: route({ method: 'PUT', path: '/api/v1/netmon/settings', caller: 'admin' }),
  getNetmonSites: route({ method: 'GET', path: '/api/v1/netmon/sites', caller: 'staff' }),
  putNetmonSites: route({ method: 'PUT', path: '/api/v1/netmon/sites', caller: 'admin' }),
  getDeviceNetmon: route({ method: 'GET', path: '/api/v1/devices/:id/netmon', caller: 'staff' }),
  getNetmonFleet: route({ method: 'GET', path: '/api/v1/netmon/fleet', caller: 'staff' }),
  getTicketNetmonAffected: route({ method: 'GET', path: '/api/v1/tickets/:id/netmon/affected', caller: 'staff' }),
  listNetmonChecks: route({ method: 'GET', path: '/api/v1/netmon/checks', caller: 'staff' }),
  putNetmonCheck: route({ method: 'PUT', path: '/api/v1/netmon/checks/:slug', caller: 'admin' }),
  deleteNetmonCheck: route({ method: 'DELETE', path: '/api/v1/netmon/checks/:slug', caller: 'admin' }),
  getNetmonCheckSeries: route({ method: 'GET', path: '/api/v1/netmon/checks/:slug/series', caller: 'staff' }),
  // Network alerts: rules (admins write), incidents, a ticket's incident.
  listNetmonAlertRules: route({ method: 'GET', path: '/api/v1/netmon/alert-rules', caller: 'staff' }),
  createNetmonAlertRule: route({ method: 'POST', path: '/api/v1/netmon/alert-rules', caller: 'admin' }),
  putNetmonAlertRule: route({ method: 'PUT', path: '/api/v1/netmon/alert-rules/:id', caller: 'admin' }),
  deleteNetmonAlertRule: route({ method: 'DELETE', path: '/api/v1/netmon/alert-rules/:id', caller: 'admin' }),
  listNetmonIncidents: route({ method: 'GET', path: '/api/v1/netmon/incidents', caller: 'staff' }),
  getTicketIncident: route({ method: 'GET', path: '/api/v1/tickets/:id/incident', caller: 'staff' }),
  // Network records: a ticket's stored 24 hours, a device's bandwidth tests (and asking for one), a check's history.
  getTicketNetmonSummary: route({ method: 'GET', path: '/api/v1/tickets/:id/netmon/summary', caller: 'staff' }),
  getDeviceBandwidth: route({ method: 'GET', path: '/api/v1/devices/:id/netmon/bandwidth', caller: 'staff' }),
  requestDeviceBandwidth: route({ method: 'POST', path: '/api/v1/devices/:id/netmon/bandwidth', caller: 'staff' }),
  getNetmonCheckHistory: route({ method: 'GET', path: '/api/v1/netmon/checks/:slug/history', caller: 'staff' }),

  // Service levels.
  listSlaPolicies: route({ method: 'GET', path: '/api/v1/sla/policies', caller: 'staff' }),
  replaceSlaPolicies: route({ method: 'PUT', path: '/api/v1/sla/policies', caller: 'admin' }),
  listEscalationRules: route({ method: 'GET', path: '/api/v1/sla/escalation-rules', caller: 'staff' }),
  createEscalationRule: route({ method: 'POST', path: '/api/v1/sla/escalation-rules', caller: 'admin' }),
  updateEscalationRule: route({ method: 'PATCH', path: '/api/v1/sla/escalation-rules/:id', caller: 'admin' }),
  deleteEscalationRule: route({ method: 'DELETE', path: '/api/v1/sla/escalation-rules/:id', caller: 'admin' }),

  // Help-desk settings.
  listGroups: route({ method: 'GET', path: '/api/v1/groups', caller: 'staff' }),
  createGroup: route({ method: 'POST', path: '/api/v1/groups', caller: 'admin' }),
  updateGroup: route({ method: 'PATCH', path: '/api/v1/groups/:id', caller: 'admin' }),
  deleteGroup: route({ method: 'DELETE', path: '/api/v1/groups/:id', caller: 'admin' }),
  getCategories: route({ method: 'GET', path: '/api/v1/settings/categories', caller: 'staff' }),
  replaceCategories: route({ method: 'PUT', path: '/api/v1/settings/categories', caller: 'admin' }),

  // Reports and audit.
  reportSummary: route({ method: 'GET', path: '/api/v1/reports/summary', caller: 'staff' }),
  reportSummaryCsv: route({ method: 'GET', path: '/api/v1/reports/summary.csv', caller: 'staff' }),
  listAudit: route({ method: 'GET', path: '/api/v1/audit', caller: 'admin' }),

  // Self-help articles: staff manage them, devices sync and search them.
  listArticles: route({ method: 'GET', path: '/api/v1/articles', caller: 'staff' }),
  getArticle: route({ method: 'GET', path: '/api/v1/articles/:id', caller: 'staff' }),
  createArticle: route({ method: 'POST', path: '/api/v1/articles', caller: 'admin' }),
  updateArticle: route({ method: 'PATCH', path: '/api/v1/articles/:id', caller: 'admin' }),
  deleteArticle: route({ method: 'DELETE', path: '/api/v1/articles/:id', caller: 'admin' }),
  publishArticle: route({ method: 'POST', path: '/api/v1/articles/:id/publish', caller: 'admin' }),
  unpublishArticle: route({ method: 'POST', path: '/api/v1/articles/:id/unpublish', caller: 'admin' }),
  searchArticles: route({ method: 'GET', path: '/api/v1/articles/search', caller: 'device-or-staff' }),
  syncArticles: route({ method: 'GET', path: '/api/v1/articles/sync', caller: 'device' }),
  articleViewed: route({ method: 'POST', path: '/api/v1/articles/:id/view', caller: 'device' }),
  articleHelped: route({ method: 'POST', path: '/api/v1/articles/:id/helped', caller: 'device' }),

  // Announcements.
  listAnnouncements: route({ method: 'GET', path: '/api/v1/announcements', caller: 'staff' }),
  getAnnouncement: route({ method: 'GET', path: '/api/v1/announcements/:id', caller: 'staff' }),
  createAnnouncement: route({ method: 'POST', path: '/api/v1/announcements', caller: 'admin' }),
  updateAnnouncement: route({ method: 'PATCH', path: '/api/v1/announcements/:id', caller: 'admin' }),
  deleteAnnouncement: route({ method: 'DELETE', path: '/api/v1/announcements/:id', caller: 'admin' }),
  publishAnnouncement: route({ method: 'POST', path: '/api/v1/announcements/:id/publish', caller: 'admin' }),
  unpublishAnnouncement: route({ method: 'POST', path: '/api/v1/announcements/:id/unpublish', caller: 'admin' }),
  syncAnnouncements: route({ method: 'GET', path: '/api/v1/announcements/sync', caller: 'device' }),
  // Email out (issue 15): SMTP settings, templates, outbox, preferences, the public pages of mail links.
  getMailSettings: route({ method: 'GET', path: '/api/v1/settings/mail', caller: 'admin' }),
  putMailSettings: route({ method: 'PUT', path: '/api/v1/settings/mail', caller: 'admin' }),
  sendTestMail: route({ method: 'POST', path: '/api/v1/settings/mail/test', caller: 'admin' }),
  listMailTemplates: route({ method: 'GET', path: '/api/v1/settings/mail/templates', caller: 'admin' }),
  putMailTemplate: route({ method: 'PUT', path: '/api/v1/settings/mail/templates/:kind', caller: 'admin' }),
  resetMailTemplate: route({ method: 'DELETE', path: '/api/v1/settings/mail/templates/:kind', caller: 'admin' }),
  previewMailTemplate: route({
    method: 'POST',
    path: '/api/v1/settings/mail/templates/:kind/preview',
    caller: 'admin',
  }),
  listOutbox: route({ method: 'GET', path: '/api/v1/mail/outbox', caller: 'admin' }),
  retryOutboxMail: route({ method: 'POST', path: '/api/v1/mail/outbox/:id/retry', caller: 'admin' }),
  getMyMailPreferences: route({ method: 'GET', path: '/api/v1/staff/me/mail-preferences', caller: 'staff' }),
  putMyMailPreferences: route({ method: 'PUT', path: '/api/v1/staff/me/mail-preferences', caller: 'staff' }),
  getMailSubscription: route({ method: 'GET', path: '/api/v1/mail/subscription', caller: 'public' }),
  putMailSubscription: route({ method: 'PUT', path: '/api/v1/mail/subscription', caller: 'public' }),
  getRatingInvite: route({ method: 'GET', path: '/api/v1/mail/rating', caller: 'public' }),
  submitMailRating: route({ method: 'POST', path: '/api/v1/mail/rating', caller: 'public' }),

  // Email in (issue 15): how mail reaches the help desk (IMAP or Deskside's SMTP listener) and the import log.
  getMailbox: route({ method: 'GET', path: '/api/v1/mail/mailbox', caller: 'admin' }),
  putMailbox: route({ method: 'PUT', path: '/api/v1/mail/mailbox', caller: 'admin' }),
  testMailbox: route({ method: 'POST', path: '/api/v1/mail/mailbox/test', caller: 'admin' }),
  listMailImports: route({ method: 'GET', path: '/api/v1/mail/imports', caller: 'admin' }),
  retryMailImport: route({ method: 'POST', path: '/api/v1/mail/imports/:id/retry', caller: 'admin' }),

  // Outgoing webhooks (administrators) and their delivery log.
  listWebhooks: route({ method: 'GET', path: '/api/v1/webhooks', caller: 'admin' }),
  createWebhook: route({ method: 'POST', path: '/api/v1/webhooks', caller: 'admin' }),
  updateWebhook: route({ method: 'PATCH', path: '/api/v1/webhooks/:id', caller: 'admin' }),
  deleteWebhook: route({ method: 'DELETE', path: '/api/v1/webhooks/:id', caller: 'admin' }),
  rotateWebhookSecret: route({ method: 'POST', path: '/api/v1/webhooks/:id/rotate-secret', caller: 'admin' }),
  testWebhook: route({ method: 'POST', path: '/api/v1/webhooks/:id/test', caller: 'admin' }),
  listWebhookDeliveries: route({ method: 'GET', path: '/api/v1/webhooks/:id/deliveries', caller: 'admin' }),
  redeliverWebhookDelivery: route({
    method: 'POST',
    path: '/api/v1/webhook-deliveries/:id/redeliver',
    caller: 'admin',
  }),

  // API tokens: a staff member's own, and service tokens (administrators). Session only (token-scopes.ts).
  listMyTokens: route({ method: 'GET', path: '/api/v1/me/tokens', caller: 'staff' }),
  createMyToken: route({ method: 'POST', path: '/api/v1/me/tokens', caller: 'staff' }),
  revokeMyToken: route({ method: 'DELETE', path: '/api/v1/me/tokens/:id', caller: 'staff' }),
  listServiceTokens: route({ method: 'GET', path: '/api/v1/service-tokens', caller: 'admin' }),
  createServiceToken: route({ method: 'POST', path: '/api/v1/service-tokens', caller: 'admin' }),
  revokeServiceToken: route({ method: 'DELETE', path: '/api/v1/service-tokens/:id', caller: 'admin' }),
} as const satisfies Record<string, RouteDeclaration>;

export type EndpointName = keyof typeof ROUTES;

/** The OpenAPI document of the endpoints above (served by the server, not itself an endpoint). */
export const OPENAPI_PATH = '/api/v1/openapi.json';
export const ENDPOINT_NAMES = Object.keys(ROUTES) as EndpointName[];

/** `'/a/:id/b/:x'` → `'id' | 'x'`. */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** The path parameters an endpoint's URL needs, by name. */
export type PathParams<N extends EndpointName> = { [K in ParamNames<(typeof ROUTES)[N]['path']>]: string | number };

/** True when the endpoint's path has no `:param`. */
export type HasNoParams<N extends EndpointName> = ParamNames<(typeof ROUTES)[N]['path']> extends never ? true : false;

/**
 * The absolute path of an endpoint with its parameters filled in (URL-encoded). Throws on a missing
 * parameter: a request to `/api/v1/tickets/undefined` is a bug, not a 404.
 */
export function pathOf<N extends EndpointName>(name: N, params?: PathParams<N>): string {
  return ROUTES[name].path.replace(/:(\w+)/g, (_match, key: string) => {
    const value = (params as Record<string, string | number> | undefined)?.[key];
    if (value === undefined || value === '') throw new Error(`${name}: path parameter "${key}" is missing`);
    return encodeURIComponent(String(value));
  });
}

export type QueryValue = string | number | boolean | readonly (string | number)[] | null | undefined;

/** `path?query` from the defined values only; arrays repeat the key (`status=new&status=open`). */
export function withQuery(path: string, query: Readonly<Record<string, QueryValue>> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value))
      for (const item of value as readonly (string | number)[]) params.append(key, String(item));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
