import { z } from 'zod';
import { NETMON_TARGET_SLUG } from '../netmon/netmon-limits';
import { netPointSchema, serverCheckDtoSchema } from './netmon';
import { endpointGroup } from './endpoint';

/*
 * Network monitoring's kept records (issue 14): the network of a ticket's device in the 24 hours before it,
 * stored with the ticket when it is filed (so it does not change as rollups age out); a device's bandwidth
 * tests to the server, and asking its agent for one now; a server-side check's recent history (state
 * changes, round trips, certificate expiry). Times are epoch ms.
 */

const HEALTH = z.enum(['ok', 'degraded', 'down', 'unknown']);

/** One target's 24 hours before a ticket. */
export const ticketNetTargetSchema = z.object({
  target: z.string(),
  samples: z.number(),
  /** Average and 95th percentile of the answered probes' round trips, ms. */
  rttMs: z.number().nullable(),
  p95Ms: z.number().nullable(),
  jitterMs: z.number().nullable(),
  lossPct: z.number().nullable(),
  /** Share of samples where anything answered, %. */
  availabilityPct: z.number().nullable(),
  /** Health over the quarter hour before the ticket (what the employee saw when filing). */
  healthAtFiling: HEALTH,
  /** Hourly points for the chart (t: the hour's start), with the share of the hour's samples that got an answer. */
  points: z.array(netPointSchema.extend({ availabilityPct: z.number().nullable() })),
});
export type TicketNetTarget = z.infer<typeof ticketNetTargetSchema>;

export const ticketNetWifiSchema = z.object({
  ssid: z.string().nullable(),
  reports: z.number(),
  avgDbm: z.number().nullable(),
  minDbm: z.number().nullable(),
  maxDbm: z.number().nullable(),
  rateMbps: z.number().nullable(),
});
export type TicketNetWifi = z.infer<typeof ticketNetWifiSchema>;

/** What was stored with the ticket: [from, to] is the 24 hours before it was filed. */
export const ticketNetSummarySchema = z.object({
  ticketId: z.number(),
  deviceId: z.string(),
  from: z.number(),
  to: z.number(),
  targets: z.array(ticketNetTargetSchema),
  wifi: ticketNetWifiSchema.nullable(),
});
export type TicketNetSummary = z.infer<typeof ticketNetSummarySchema>;

export const bandwidthResultSchema = z.object({
  at: z.number(),
  downMbps: z.number().nullable(),
  upMbps: z.number().nullable(),
  bytes: z.number(),
  trigger: z.enum(['schedule', 'request']),
});
export type BandwidthResult = z.infer<typeof bandwidthResultSchema>;

/** GET /api/v1/devices/:id/netmon/bandwidth. */
export const deviceBandwidthSchema = z.object({
  /** Newest first. */
  results: z.array(bandwidthResultSchema),
  /** The agent is connected now (a test can be asked for). */
  online: z.boolean(),
  /** How often agents test on their own (hours; 0: only on request). */
  everyHours: z.number(),
});
export type DeviceBandwidthDto = z.infer<typeof deviceBandwidthSchema>;

/** GET /api/v1/netmon/checks/:slug/history. */
export const checkHistorySchema = z.object({
  check: serverCheckDtoSchema,
  from: z.number(),
  to: z.number(),
  /** Runs in [from, to]; answered ones with a round trip. */
  runs: z.number(),
  availabilityPct: z.number().nullable(),
  rttMs: z.number().nullable(),
  p95Ms: z.number().nullable(),
  /** Newest first: each time the check's state differed from the run before. */
  changes: z.array(
    z.object({ at: z.number(), health: HEALTH, rttMs: z.number().nullable(), error: z.string().nullable() }),
  ),
  /** The last runs, oldest first (the latency chart). */
  recent: z.array(
    z.object({ t: z.number(), rttMs: z.number().nullable(), health: HEALTH, error: z.string().nullable() }),
  ),
});
export type CheckHistoryDto = z.infer<typeof checkHistorySchema>;

const ticketParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const deviceParams = z.object({ id: z.uuid() });

export const netmonHistoryEndpoints = endpointGroup('netmon', {
  getTicketNetmonSummary: {
    summary: 'The network of the ticket’s device in the 24 hours before it, as stored when it was filed',
    description: 'summary is null for tickets filed without network history (or before it was stored).',
    params: ticketParams,
    responses: { 200: z.object({ summary: ticketNetSummarySchema.nullable() }) },
    errors: [404],
  },
  getDeviceBandwidth: {
    summary: 'A device’s bandwidth tests to the server, newest first',
    params: deviceParams,
    responses: { 200: deviceBandwidthSchema },
    errors: [404],
  },
  requestDeviceBandwidth: {
    summary:
      'Ask the device’s agent to measure its bandwidth to the server now (the result arrives with its next batch)',
    description: '409 `device_offline` when the agent is not connected.',
    params: deviceParams,
    responses: { 202: z.object({ requestedAt: z.number() }) },
    errors: [404, 409],
  },
  getNetmonCheckHistory: {
    summary: 'A server-side check’s recent history: state changes, round trips, certificate expiry',
    params: z.object({ slug: z.string().regex(NETMON_TARGET_SLUG) }),
    query: z.object({ days: z.coerce.number().int().min(1).max(7).default(1) }),
    responses: { 200: checkHistorySchema },
    errors: [404],
  },
});
