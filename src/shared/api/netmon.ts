import { z } from 'zod';
import { hostParam, portParam, urlPathParam } from '../actions/params';
import { NETMON_HEALTH } from '../netmon/netmon-health';
import { NETMON_RETENTION_DEFAULT, NETMON_TARGET_SLUG, NETMON_WINDOWS } from '../netmon/netmon-limits';
import { netLinkSchema, netmonConfigSchema } from '../netmon/netmon';
import { text } from '../text/text-schema';
import { endpointGroup } from './endpoint';

/*
 * Network monitoring's HTTP side (issue 14): IT's probe plan, retention and named sites (staff read, admins
 * change, audited); a device's series for a chart window; the fleet grid (targets × sites, by health); who
 * else was affected around a ticket; and the services the server checks itself (HTTP, TCP, TLS expiry),
 * whose results are series like a device's. Times are ISO strings in DTOs, epoch ms in chart points.
 */

const slug = z.string().regex(NETMON_TARGET_SLUG, 'must be lowercase letters, digits and "-" (up to 40)');
const label = text().trim().min(1).max(80);
const days = (max: number) => z.number().int().min(1).max(max);

/** Retention in days; raw ≤ 5-minute ≤ hourly. */
export const netmonRetentionSchema = z
  .strictObject({
    rawDays: days(90).default(NETMON_RETENTION_DEFAULT.rawDays),
    fiveMinuteDays: days(3_650).default(NETMON_RETENTION_DEFAULT.fiveMinuteDays),
    hourlyDays: days(3_650 * 3).default(NETMON_RETENTION_DEFAULT.hourlyDays),
  })
  .refine((r) => r.rawDays <= r.fiveMinuteDays && r.fiveMinuteDays <= r.hourlyDays, {
    message: 'keep raw ≤ 5-minute ≤ hourly days',
  });
export type NetmonRetention = z.infer<typeof netmonRetentionSchema>;

/** GET/PUT /api/v1/netmon/settings: the probe plan every agent follows and how long history is kept. */
export const netmonSettingsSchema = z.strictObject({
  plan: netmonConfigSchema,
  retention: netmonRetentionSchema,
});
export type NetmonSettingsBody = z.input<typeof netmonSettingsSchema>;
export const netmonSettingsDtoSchema = z.object({
  plan: netmonConfigSchema,
  retention: z.object({ rawDays: z.number(), fiveMinuteDays: z.number(), hourlyDays: z.number() }),
  updatedAt: z.string().nullable(),
});
export type NetmonSettingsDto = z.infer<typeof netmonSettingsDtoSchema>;

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
/** An IPv4 network, a.b.c.d/n. */
export const cidrSchema = z
  .string()
  .max(18)
  .refine((v) => {
    const m = CIDR.exec(v);
    return !!m && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
  }, 'must be an IPv4 network such as 10.1.2.0/24');

/** An IT-named site: the subnets and Wi-Fi networks that are "Floor 3" or "Lyon office". */
export const netmonSiteSchema = z
  .strictObject({
    slug,
    name: label,
    subnets: z.array(cidrSchema).max(50).default([]),
    ssids: z.array(text().min(1).max(64)).max(20).default([]),
  })
  .refine((s) => s.subnets.length + s.ssids.length > 0, 'give at least one subnet or SSID');
export type NetmonSite = z.infer<typeof netmonSiteSchema>;
export const netmonSitesSchema = z
  .strictObject({ sites: z.array(netmonSiteSchema).max(200) })
  .refine((b) => new Set(b.sites.map((s) => s.slug)).size === b.sites.length, 'site slugs must be unique');
export type NetmonSitesBody = z.input<typeof netmonSitesSchema>;
export const netmonSitesDtoSchema = z.object({
  sites: z.array(
    z.object({ slug: z.string(), name: z.string(), subnets: z.array(z.string()), ssids: z.array(z.string()) }),
  ),
});

const windowQuery = z.object({
  window: z
    .enum(Object.keys(NETMON_WINDOWS) as [keyof typeof NETMON_WINDOWS, ...(keyof typeof NETMON_WINDOWS)[]])
    .default('24h'),
});

/** One chart point: a raw sample, or a 5-minute / hourly bucket (t is its start). Times in ms. */
export const netPointSchema = z.object({
  t: z.number(),
  samples: z.number(),
  sent: z.number(),
  received: z.number(),
  lossPct: z.number().nullable(),
  rttMs: z.number().nullable(),
  minMs: z.number().nullable(),
  maxMs: z.number().nullable(),
  /** Standard deviation of the round trips in the bucket (null for a raw sample or fewer than 2). */
  stddevMs: z.number().nullable(),
  jitterMs: z.number().nullable(),
  /** Raw samples only: why nothing answered. */
  error: z.string().nullable(),
});
export type NetPoint = z.infer<typeof netPointSchema>;
export const wifiPointSchema = z.object({
  t: z.number(),
  signalDbm: z.number().nullable(),
  minDbm: z.number().nullable(),
  maxDbm: z.number().nullable(),
  rateMbps: z.number().nullable(),
  errors: z.number().nullable(),
});
export type WifiPoint = z.infer<typeof wifiPointSchema>;

export const siteDtoSchema = z.object({
  key: z.string(),
  kind: z.enum(['site', 'subnet', 'ssid']),
  name: z.string(),
});
export type SiteDto = z.infer<typeof siteDtoSchema>;

const seriesSchema = z.object({
  window: z.string(),
  resolution: z.enum(['raw', '5m', '1h', '6h']),
  from: z.number(),
  to: z.number(),
  targets: z.array(z.object({ target: z.string(), points: z.array(netPointSchema) })),
});

/** GET /api/v1/devices/:id/netmon: the device's series per target, its Wi-Fi signal and latest link. */
export const deviceNetmonSchema = seriesSchema.extend({
  wifi: z.array(wifiPointSchema),
  link: netLinkSchema.nullable(),
  site: siteDtoSchema.nullable(),
});
export type DeviceNetmonDto = z.infer<typeof deviceNetmonSchema>;

const healthSchema = z.enum(NETMON_HEALTH);

/** GET /api/v1/netmon/fleet: targets × sites, each cell's health and device counts. */
export const netmonFleetSchema = z.object({
  computedAt: z.number(),
  windowMs: z.number(),
  targets: z.array(z.string()),
  sites: z.array(siteDtoSchema),
  cells: z.array(
    z.object({
      target: z.string(),
      /** The site's key, or null for devices with no known site. */
      site: z.string().nullable(),
      health: healthSchema,
      ok: z.number(),
      degraded: z.number(),
      down: z.number(),
      lossPct: z.number().nullable(),
      rttMs: z.number().nullable(),
    }),
  ),
});
export type NetmonFleetDto = z.infer<typeof netmonFleetSchema>;

/** GET /api/v1/tickets/:id/netmon/affected: devices degraded on the same site or target around the ticket. */
export const affectedQuerySchema = z.object({
  /** Minutes either side of the ticket's creation (or of now, for `at=now`). */
  minutes: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(30),
  at: z.enum(['ticket', 'now']).default('ticket'),
});
export const netmonAffectedSchema = z.object({
  ticketId: z.number(),
  deviceId: z.string().nullable(),
  from: z.number(),
  to: z.number(),
  site: siteDtoSchema.nullable(),
  /** The ticket device's own degraded targets in the window. */
  degradedTargets: z.array(z.string()),
  devices: z.array(
    z.object({
      deviceId: z.string(),
      hostname: z.string(),
      site: siteDtoSchema.nullable(),
      /** Why it is listed: same site, same target, or both. */
      reasons: z.array(z.enum(['site', 'target'])),
      targets: z.array(
        z.object({ target: z.string(), health: healthSchema, lossPct: z.number(), rttMs: z.number().nullable() }),
      ),
      /** The device's tickets created in the window. */
      ticketIds: z.array(z.number()),
    }),
  ),
});
export type NetmonAffectedDto = z.infer<typeof netmonAffectedSchema>;

/** A service the server checks itself. */
export const serverCheckSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('http'),
    label,
    scheme: z.enum(['http', 'https']),
    host: hostParam,
    port: portParam.optional(),
    path: urlPathParam.default('/'),
    /** The expected status; absent: any 2xx or 3xx. */
    expectedStatus: z.number().int().min(100).max(599).optional(),
    /** HTTPS: refuse a certificate the server does not trust (off for self-signed internal services). */
    verifyTls: z.boolean().default(true),
    intervalSeconds: z.number().int().min(10).max(86_400).default(60),
    timeoutMs: z.number().int().min(100).max(30_000).default(5_000),
    enabled: z.boolean().default(true),
  }),
  z.strictObject({
    kind: z.literal('tcp'),
    label,
    host: hostParam,
    port: portParam,
    intervalSeconds: z.number().int().min(10).max(86_400).default(60),
    timeoutMs: z.number().int().min(100).max(30_000).default(5_000),
    enabled: z.boolean().default(true),
  }),
  z.strictObject({
    kind: z.literal('tls'),
    label,
    host: hostParam,
    port: portParam.default(443),
    /** Degraded when the certificate expires within this many days. */
    warnDays: z.number().int().min(1).max(365).default(14),
    verifyTls: z.boolean().default(true),
    intervalSeconds: z.number().int().min(10).max(86_400).default(3_600),
    timeoutMs: z.number().int().min(100).max(30_000).default(5_000),
    enabled: z.boolean().default(true),
  }),
]);
export type ServerCheck = z.infer<typeof serverCheckSchema>;
export type ServerCheckBody = z.input<typeof serverCheckSchema>;

export const serverCheckDtoSchema = z.object({
  slug: z.string(),
  /** The series' target id: `check:<slug>`. */
  target: z.string(),
  definition: serverCheckSchema,
  health: healthSchema,
  lastAt: z.string().nullable(),
  lastRttMs: z.number().nullable(),
  lastError: z.string().nullable(),
  certExpiresAt: z.string().nullable(),
  certDaysLeft: z.number().nullable(),
  updatedAt: z.string(),
});
export type ServerCheckDto = z.infer<typeof serverCheckDtoSchema>;

const slugParams = z.object({ slug });
const ADMIN = 'IT admins only; audited.';

export const netmonEndpoints = endpointGroup('netmon', {
  getNetmonSettings: {
    summary: 'The probe plan every agent follows and the history retention',
    responses: { 200: netmonSettingsDtoSchema },
  },
  putNetmonSettings: {
    summary: 'Change the probe plan and retention (admin); connected agents get the plan at once',
    description: ADMIN,
    body: netmonSettingsSchema,
    responses: { 200: netmonSettingsDtoSchema },
  },
  getNetmonSites: { summary: 'IT-named sites (by subnet or SSID)', responses: { 200: netmonSitesDtoSchema } },
  putNetmonSites: {
    summary: 'Replace the IT-named sites (admin); devices are placed again',
    description: ADMIN,
    body: netmonSitesSchema,
    responses: { 200: netmonSitesDtoSchema },
  },
  getDeviceNetmon: {
    summary: "A device's latency, loss, jitter per target and Wi-Fi signal for a chart window, and its latest link",
    params: z.object({ id: z.uuid() }),
    query: windowQuery,
    responses: { 200: deviceNetmonSchema },
    errors: [404],
  },
  getNetmonFleet: {
    summary: 'Targets × sites with health over the last 15 minutes (the live grid)',
    responses: { 200: netmonFleetSchema },
  },
  getTicketNetmonAffected: {
    summary: 'Who else is affected: devices degraded on the same site or target around the ticket',
    params: z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
    query: affectedQuerySchema,
    responses: { 200: netmonAffectedSchema },
    errors: [404],
  },
  listNetmonChecks: {
    summary: 'The services the server checks itself, with their last result',
    responses: { 200: z.object({ checks: z.array(serverCheckDtoSchema) }) },
  },
  putNetmonCheck: {
    summary: 'Add or change a server-side check (admin)',
    description: ADMIN,
    params: slugParams,
    body: serverCheckSchema,
    responses: { 200: serverCheckDtoSchema, 201: serverCheckDtoSchema },
  },
  deleteNetmonCheck: {
    summary: 'Remove a server-side check (admin); its history stays until retention removes it',
    description: ADMIN,
    params: slugParams,
    responses: { 204: z.null() },
    errors: [404],
  },
  getNetmonCheckSeries: {
    summary: "A server-side check's series for a chart window",
    params: slugParams,
    query: windowQuery,
    responses: { 200: seriesSchema },
    errors: [404],
  },
});
