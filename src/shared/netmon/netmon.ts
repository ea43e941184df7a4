import { z } from 'zod';
import { hostParam, portParam, urlPathParam } from '../actions/params';
import { text } from '../text/text-schema';
import {
  NETMON_BATCH_BANDWIDTH_MAX,
  NETMON_BATCH_LINKS_MAX,
  NETMON_BATCH_SAMPLES_MAX,
  NETMON_BUILTIN_TARGETS,
  NETMON_INTERVAL_DEFAULT_S,
  NETMON_INTERVAL_MAX_S,
  NETMON_INTERVAL_MIN_S,
  NETMON_IT_TARGET_PREFIX,
  NETMON_METHODS,
  NETMON_PROBES_DEFAULT,
  NETMON_PROBES_MAX,
  NETMON_TARGETS_MAX,
  NETMON_TARGET_SLUG,
  NETMON_TIMEOUT_DEFAULT_MS,
  NETMON_TIMEOUT_MAX_MS,
  NETMON_BANDWIDTH_BYTES_DEFAULT,
  NETMON_BANDWIDTH_EVERY_HOURS_MIN,
} from './netmon-limits';

/*
 * Network monitoring (issue 14), declared once: what IT configures (the probe plan every agent follows),
 * what an agent reports (samples per target, its local link, bandwidth), in batches on the live channel
 * (`netmon.batch` up, acknowledged by `netmon.ack`; the plan comes down as `netmon.config`). The server
 * (src/server/netmon), the agent (src/main/netmon) and the console read their types and checks from here.
 *
 * Times are epoch milliseconds on the server's clock: the agent corrects its own clock by the skew it
 * measured from `welcome.serverTime` before it stamps a sample, and keeps the stamp when it queues the
 * sample while offline, so a sample sent an hour later still says when it was measured.
 */

const epochMs = z.number().int().min(0).max(8_640_000_000_000_000);
const ms = z.number().min(0).max(600_000);
const count = z.number().int().min(0).max(1_000);

/** A target id: `gateway`, `dns`, `server`, or IT's `it:<slug>`. */
export const targetIdSchema = z.union([
  z.enum(NETMON_BUILTIN_TARGETS),
  z
    .string()
    .max(NETMON_IT_TARGET_PREFIX.length + 40)
    .refine(
      (value) =>
        value.startsWith(NETMON_IT_TARGET_PREFIX) &&
        NETMON_TARGET_SLUG.test(value.slice(NETMON_IT_TARGET_PREFIX.length)),
      'must be gateway, dns, server or it:<slug> (lowercase letters, digits and "-")',
    ),
]);
export type TargetId = z.infer<typeof targetIdSchema>;

/** A target IT defines for every agent: a host to ping or connect to, a URL to check, or a name to resolve. */
export const itTargetSchema = z.discriminatedUnion('method', [
  z.strictObject({
    slug: z.string().regex(NETMON_TARGET_SLUG, 'must be lowercase letters, digits and "-" (up to 40)'),
    label: text().trim().min(1).max(80),
    method: z.literal('icmp'),
    host: hostParam,
  }),
  z.strictObject({
    slug: z.string().regex(NETMON_TARGET_SLUG, 'must be lowercase letters, digits and "-" (up to 40)'),
    label: text().trim().min(1).max(80),
    method: z.literal('tcp'),
    host: hostParam,
    port: portParam,
  }),
  z.strictObject({
    slug: z.string().regex(NETMON_TARGET_SLUG, 'must be lowercase letters, digits and "-" (up to 40)'),
    label: text().trim().min(1).max(80),
    method: z.literal('http'),
    scheme: z.enum(['http', 'https']),
    host: hostParam,
    port: portParam.optional(),
    path: urlPathParam.default('/'),
  }),
  z.strictObject({
    slug: z.string().regex(NETMON_TARGET_SLUG, 'must be lowercase letters, digits and "-" (up to 40)'),
    label: text().trim().min(1).max(80),
    method: z.literal('dns'),
    /** The name to resolve, through the device's own resolvers. */
    host: hostParam,
  }),
]);
export type ItTarget = z.infer<typeof itTargetSchema>;

/** The probe plan: what IT sets (Settings → Network) and every agent receives as `netmon.config`. */
export const netmonConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  intervalSeconds: z
    .number()
    .int()
    .min(NETMON_INTERVAL_MIN_S)
    .max(NETMON_INTERVAL_MAX_S)
    .default(NETMON_INTERVAL_DEFAULT_S),
  /** Echoes or connects per target per cycle. */
  probes: z.number().int().min(1).max(NETMON_PROBES_MAX).default(NETMON_PROBES_DEFAULT),
  timeoutMs: z.number().int().min(100).max(NETMON_TIMEOUT_MAX_MS).default(NETMON_TIMEOUT_DEFAULT_MS),
  /** Probe the default gateway (ICMP where the OS's ping may, otherwise TCP connect to `gatewayTcpPort`). */
  gateway: z.boolean().default(true),
  gatewayTcpPort: portParam.default(53),
  /** Time a lookup of this name through each of the device's resolvers (empty: the help-desk server's host). */
  dns: z.boolean().default(true),
  dnsName: hostParam.optional(),
  /** HTTP(S) check of the help-desk server's health endpoint, with timings. */
  server: z.boolean().default(true),
  targets: z.array(itTargetSchema).max(NETMON_TARGETS_MAX).default([]),
  /** Scheduled bandwidth test to the server: every N hours (0: only on request), at most `bandwidthBytes` each way. */
  bandwidthEveryHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 30)
    .refine((h) => h === 0 || h >= NETMON_BANDWIDTH_EVERY_HOURS_MIN, {
      message: `must be 0 (on request only) or at least ${NETMON_BANDWIDTH_EVERY_HOURS_MIN}`,
    })
    .default(0),
  bandwidthBytes: z
    .number()
    .int()
    .min(64 * 1024)
    .max(100 * 1024 * 1024)
    .default(NETMON_BANDWIDTH_BYTES_DEFAULT),
});
export type NetmonConfig = z.infer<typeof netmonConfigSchema>;
export const DEFAULT_NETMON_CONFIG: NetmonConfig = netmonConfigSchema.parse({});

/** HTTP(S) timings of one request: ms from the request's start to the end of each phase (as net.http-check's). */
export const httpTimingsSchema = z.strictObject({
  dnsMs: ms.nullable(),
  connectMs: ms.nullable(),
  tlsMs: ms.nullable(),
  firstByteMs: ms.nullable(),
  status: z.number().int().min(100).max(599).nullable(),
});
export type HttpTimings = z.infer<typeof httpTimingsSchema>;

/**
 * One target probed in one cycle: `sent` echoes/connects/requests, `received` answered, and the round trips
 * of those answered (min, average, max; jitter = mean absolute difference of consecutive round trips).
 * Round-trip fields are null when nothing answered. `error` is a short code when the probe could not run
 * or nothing answered (`timeout`, `refused`, `unreachable`, `nxdomain`, `no-gateway`, `ping-not-allowed`…).
 */
export const netSampleSchema = z
  .strictObject({
    target: targetIdSchema,
    /** The address or name actually probed (the gateway's IP, one resolver's IP, the URL's host). */
    address: text().max(255).nullable(),
    method: z.enum(NETMON_METHODS),
    at: epochMs,
    sent: count,
    received: count,
    rttMs: ms.nullable(),
    minMs: ms.nullable(),
    maxMs: ms.nullable(),
    jitterMs: ms.nullable(),
    http: httpTimingsSchema.optional(),
    error: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,39}$/)
      .optional(),
  })
  .refine((s) => s.received <= s.sent, { message: 'received cannot exceed sent', path: ['received'] });
export type NetSample = z.infer<typeof netSampleSchema>;

/** The device's own link at one moment: Wi-Fi, interface errors since the last report, VPN. */
export const netLinkSchema = z.strictObject({
  at: epochMs,
  /** The interface that carries the default route, and its IPv4 network (CIDR) for the site. */
  interface: text().max(64).nullable(),
  subnet: text().max(64).nullable(),
  kind: z.enum(['wifi', 'ethernet', 'other']).nullable(),
  wifi: z
    .strictObject({
      ssid: text().max(64).nullable(),
      bssid: z
        .string()
        .regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/)
        .nullable(),
      /** dBm (negative); Windows reports a percentage, converted (dBm ≈ percent / 2 − 100). */
      signalDbm: z.number().int().min(-120).max(0).nullable(),
      /** The link rate, Mbit/s. */
      rateMbps: z.number().min(0).max(100_000).nullable(),
      channel: z.number().int().min(0).max(300).nullable(),
      band: z.enum(['2.4', '5', '6']).nullable(),
    })
    .nullable(),
  /** Errors and drops counted on the interface since the previous link report (null on the first). */
  errors: z
    .strictObject({
      rxErrors: count.max(1e12),
      txErrors: count.max(1e12),
      rxDropped: count.max(1e12),
      txDropped: count.max(1e12),
    })
    .nullable(),
  vpn: z.strictObject({ up: z.boolean(), name: text().max(64).nullable() }).nullable(),
});
export type NetLink = z.infer<typeof netLinkSchema>;

/** A bandwidth test to the help-desk server (capped; scheduled rarely or on request). */
export const netBandwidthSchema = z.strictObject({
  at: epochMs,
  downMbps: z.number().min(0).max(100_000).nullable(),
  upMbps: z.number().min(0).max(100_000).nullable(),
  bytes: z
    .number()
    .int()
    .min(0)
    .max(200 * 1024 * 1024),
  trigger: z.enum(['schedule', 'request']),
});
export type NetBandwidth = z.infer<typeof netBandwidthSchema>;

/** One `netmon.batch` frame: samples, link reports and bandwidth tests, acknowledged by its id. */
export const netBatchSchema = z.object({
  batchId: z.uuid(),
  samples: z.array(netSampleSchema).max(NETMON_BATCH_SAMPLES_MAX),
  links: z.array(netLinkSchema).max(NETMON_BATCH_LINKS_MAX).default([]),
  bandwidth: z.array(netBandwidthSchema).max(NETMON_BATCH_BANDWIDTH_MAX).default([]),
});
export type NetBatch = z.infer<typeof netBatchSchema>;
