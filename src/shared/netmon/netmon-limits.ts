/*
 * Network monitoring (issue 14): the numbers the agent, the server and the console agree on, zod-free so
 * the console and the agent's lean paths can read them. Schemas are in netmon.ts.
 */

/** Probe cycle: every agent probes its targets this often by default (IT may set 15 s to 1 h). */
export const NETMON_INTERVAL_DEFAULT_S = 60;
export const NETMON_INTERVAL_MIN_S = 15;
export const NETMON_INTERVAL_MAX_S = 3_600;
/** Each cycle starts at a random offset of up to this share of the interval, so a fleet never probes in step. */
export const NETMON_JITTER_FRACTION = 0.2;

/** Echoes (ICMP) or connects (TCP) per target per cycle: loss and jitter come from these. */
export const NETMON_PROBES_DEFAULT = 4;
export const NETMON_PROBES_MAX = 10;
/** One echo's or connect's timeout, and an HTTP check's or DNS lookup's whole timeout, in ms. */
export const NETMON_TIMEOUT_DEFAULT_MS = 2_000;
export const NETMON_TIMEOUT_MAX_MS = 10_000;

/** Targets IT may define (besides the gateway, the resolvers and the help-desk server). */
export const NETMON_TARGETS_MAX = 20;
/** Target ids: the three built-in roles, and IT's targets as `it:<slug>`. */
export const NETMON_BUILTIN_TARGETS = ['gateway', 'dns', 'server'] as const;
export type BuiltinTargetId = (typeof NETMON_BUILTIN_TARGETS)[number];
export const NETMON_TARGET_SLUG = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const NETMON_IT_TARGET_PREFIX = 'it:';

/** What one batch (one channel frame) may carry; the agent sends several frames to drain a long queue. */
export const NETMON_BATCH_SAMPLES_MAX = 200;
export const NETMON_BATCH_LINKS_MAX = 60;
export const NETMON_BATCH_BANDWIDTH_MAX = 10;
/** Samples the agent keeps while the server is unreachable (oldest dropped first): a day of 5 targets a minute and more. */
export const NETMON_QUEUE_MAX = 10_000;
/** The server accepts samples this far in the past (queued while offline) and this far in the future (clock skew), in ms. */
export const NETMON_ACCEPT_PAST_MS = 7 * 24 * 3_600_000;
export const NETMON_ACCEPT_FUTURE_MS = 5 * 60_000;

/** Bandwidth to the server: at most this many bytes each way per test, and at most one scheduled test this often. */
export const NETMON_BANDWIDTH_BYTES_DEFAULT = 10 * 1024 * 1024;
export const NETMON_BANDWIDTH_EVERY_HOURS_MIN = 6;

/** Retention, in days (IT may change each): raw samples, 5-minute rollups, hourly rollups. */
export const NETMON_RETENTION_DEFAULT = { rawDays: 7, fiveMinuteDays: 90, hourlyDays: 730 } as const;

/**
 * The chart windows of the device network tab, and which table answers each (raw, 5-minute or hourly; 6-hour
 * points merged from the hourly rows for 90 d, so a series carries at most 360 points).
 */
export const NETMON_WINDOWS = {
  '1h': { ms: 3_600_000, resolution: 'raw' },
  '24h': { ms: 24 * 3_600_000, resolution: '5m' },
  '7d': { ms: 7 * 24 * 3_600_000, resolution: '1h' },
  '90d': { ms: 90 * 24 * 3_600_000, resolution: '6h' },
} as const;
export type NetmonWindow = keyof typeof NETMON_WINDOWS;

/** Probe methods: ICMP echo through the OS's ping, TCP connect, HTTP(S) request with timings, DNS lookup. */
export const NETMON_METHODS = ['icmp', 'tcp', 'http', 'dns'] as const;
export type NetmonMethod = (typeof NETMON_METHODS)[number];

/** The help-desk server's health endpoint the agents' `server` target checks (registered in src/server/app.ts). */
export const NETMON_SERVER_HEALTH_PATH = '/healthz';
