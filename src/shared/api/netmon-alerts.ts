import { z } from 'zod';
import { text } from '../text/text-schema';
import { endpointGroup } from './endpoint';

/*
 * Network-monitoring alerts (issue 14, "alerts that act"): IT's rules (admins write, staff read, audited),
 * the incidents they open, and the incident a ticket belongs to. A rule watches one metric over a window,
 * for one device or for a share of the devices of a site or of a target; it goes ok → pending (the
 * condition held for less than `forMinutes`) → firing (one incident ticket, an announcement to the affected
 * agents, an optional signed webhook) → resolved once the condition has been clearly false (below the
 * resolve threshold, if any) for `resolveMinutes`.
 */

export const ALERT_METRICS = ['latency', 'loss', 'availability'] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];
export const ALERT_SCOPES = ['device', 'site', 'target'] as const;
export type AlertScope = (typeof ALERT_SCOPES)[number];
export const INCIDENT_STATES = ['firing', 'resolved'] as const;

/** A target key as the series store it: `gateway`, `dns`, `server`, `it:<slug>`. */
const targetKey = z.string().regex(/^[a-z0-9][a-z0-9:._-]{0,79}$/, 'must be a target such as gateway or it:mail');
/** A site key: `site:<slug>`, `subnet:<cidr>` or `ssid:<name>`. */
const siteKey = text()
  .min(3)
  .max(120)
  .regex(/^(site|subnet|ssid):.+$/, 'must be a site key such as site:floor-3, subnet:10.3.1.0/24 or ssid:Corp');

const webhookSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2_000)
    .describe('POSTed JSON, signed HMAC-SHA256 over "<timestamp>.<body>"'),
  /** The HMAC key; absent on a change: keep the stored one. */
  secret: z.string().min(16).max(200).optional(),
});

const announcementTemplate = z.strictObject({
  /** `{scope}` becomes the site, target or device name. */
  title: text().trim().min(1).max(200).optional(),
  body: text().trim().min(1).max(4_000).optional(),
  severity: z.enum(['info', 'warning', 'critical']).default('warning'),
});

/** POST /api/v1/netmon/alert-rules and PUT …/:id. */
export const alertRuleSchema = z
  .strictObject({
    name: text().trim().min(1).max(120),
    enabled: z.boolean().default(true),
    metric: z.enum(ALERT_METRICS),
    /** latency: average round trip (ms) above; loss: loss (%) above; availability: share of answered probes (%) below. */
    threshold: z.number().min(0).max(100_000),
    /** Resolves only once the value is back past this (below it for latency and loss, above for availability). */
    resolveThreshold: z.number().min(0).max(100_000).optional(),
    /** Only this target's samples (absent: all targets; a device is bad when any of its targets is). */
    target: targetKey.optional(),
    scope: z.enum(ALERT_SCOPES),
    /** Scope device: this device only (absent: each device on its own). */
    deviceId: z.uuid().optional(),
    /** Scope site: this site only (absent: each site on its own). */
    site: siteKey.optional(),
    /** Site and target scopes: at least this share of the scope's reporting devices are bad. */
    minSharePct: z.number().min(0).max(100).default(30),
    /** …and at least this many. */
    minDevices: z.number().int().min(1).max(100_000).default(1),
    windowMinutes: z.number().int().min(1).max(60).default(5),
    forMinutes: z.number().int().min(0).max(1_440).default(2),
    resolveMinutes: z.number().int().min(0).max(1_440).default(5),
    /** null: no announcement. */
    announcement: announcementTemplate.nullable().default({ severity: 'warning' }),
    webhook: webhookSchema.nullable().default(null),
  })
  .refine((r) => (r.metric !== 'loss' && r.metric !== 'availability' ? true : r.threshold <= 100), {
    message: 'loss and availability thresholds are percentages (0–100)',
    path: ['threshold'],
  })
  .refine(
    (r) =>
      r.resolveThreshold === undefined ||
      (r.metric === 'availability' ? r.resolveThreshold >= r.threshold : r.resolveThreshold <= r.threshold),
    { message: 'the resolve threshold must be on the good side of the threshold', path: ['resolveThreshold'] },
  )
  .refine((r) => r.scope === 'device' || r.deviceId === undefined, {
    message: 'deviceId is for device scope',
    path: ['deviceId'],
  })
  .refine((r) => r.scope === 'site' || r.site === undefined, { message: 'site is for site scope', path: ['site'] });
export type AlertRuleBody = z.input<typeof alertRuleSchema>;
export type AlertRule = z.output<typeof alertRuleSchema>;

export const alertRuleDtoSchema = z.object({
  id: z.number(),
  name: z.string(),
  enabled: z.boolean(),
  metric: z.enum(ALERT_METRICS),
  threshold: z.number(),
  resolveThreshold: z.number().nullable(),
  target: z.string().nullable(),
  scope: z.enum(ALERT_SCOPES),
  deviceId: z.string().nullable(),
  site: z.string().nullable(),
  minSharePct: z.number(),
  minDevices: z.number(),
  windowMinutes: z.number(),
  forMinutes: z.number(),
  resolveMinutes: z.number(),
  announcement: z
    .object({
      title: z.string().nullable(),
      body: z.string().nullable(),
      severity: z.enum(['info', 'warning', 'critical']),
    })
    .nullable(),
  /** The secret is never shown: only whether one is set. */
  webhook: z.object({ url: z.string(), secretSet: z.boolean() }).nullable(),
  /** Scopes currently pending or firing. */
  pending: z.number(),
  firing: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AlertRuleDto = z.infer<typeof alertRuleDtoSchema>;

export const incidentDtoSchema = z.object({
  id: z.number(),
  ruleId: z.number(),
  ruleName: z.string(),
  scopeKey: z.string(),
  scopeName: z.string(),
  state: z.enum(INCIDENT_STATES),
  metric: z.enum(ALERT_METRICS),
  threshold: z.number(),
  /** The scope's value at the last evaluation (the worst affected device's for device scope). */
  value: z.number().nullable(),
  peak: z.number().nullable(),
  startedAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolution: z.string().nullable(),
  ticketId: z.number().nullable(),
  announcementId: z.number().nullable(),
  affected: z.array(z.object({ deviceId: z.string(), hostname: z.string().nullable() })),
  linkedTickets: z.array(
    z.object({ ticketId: z.number(), deviceId: z.string().nullable(), how: z.enum(['affected', 'filed']) }),
  ),
});
export type IncidentDto = z.infer<typeof incidentDtoSchema>;

export const ticketIncidentSchema = z.object({
  /** `incident`: this is the incident's own ticket; `linked`: a ticket filed or open during it. */
  role: z.enum(['incident', 'linked']).nullable(),
  incident: incidentDtoSchema.nullable(),
});
export type TicketIncidentDto = z.infer<typeof ticketIncidentSchema>;

const idParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const ADMIN = 'IT admins only; audited.';

export const netmonAlertEndpoints = endpointGroup('netmon', {
  listNetmonAlertRules: {
    summary: 'Network alert rules with how many scopes are pending or firing',
    responses: { 200: z.object({ rules: z.array(alertRuleDtoSchema) }) },
  },
  createNetmonAlertRule: {
    summary: 'Add a network alert rule (admin)',
    description: ADMIN,
    body: alertRuleSchema,
    responses: { 201: alertRuleDtoSchema },
  },
  putNetmonAlertRule: {
    summary: 'Change a network alert rule (admin); its pending and firing scopes start over if the condition changed',
    description: ADMIN,
    params: idParams,
    body: alertRuleSchema,
    responses: { 200: alertRuleDtoSchema },
    errors: [404],
  },
  deleteNetmonAlertRule: {
    summary: 'Remove a network alert rule (admin); its firing incidents are resolved',
    description: ADMIN,
    params: idParams,
    responses: { 204: z.null() },
    errors: [404],
  },
  listNetmonIncidents: {
    summary: 'Network incidents, newest first, with their affected devices and linked tickets',
    query: z.object({
      state: z.enum([...INCIDENT_STATES, 'all']).default('all'),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    responses: { 200: z.object({ incidents: z.array(incidentDtoSchema) }) },
  },
  getTicketIncident: {
    summary: 'The network incident a ticket is, or is linked to (the latest)',
    params: idParams,
    responses: { 200: ticketIncidentSchema },
    errors: [404],
  },
});
