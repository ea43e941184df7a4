/*
 * Network monitoring's health words (issue 14), zod-free for the console: how one device's results for one
 * target over the recent window become ok / degraded / down / unknown, and how a fleet cell (target × site)
 * takes its colour from its devices. The server computes with these; the console shows the same thresholds.
 */

export const NETMON_HEALTH = ['ok', 'degraded', 'down', 'unknown'] as const;
export type NetmonHealth = (typeof NETMON_HEALTH)[number];

export const NETMON_HEALTH_THRESHOLDS = {
  /** The recent window the live grid looks at, ms. */
  windowMs: 15 * 60_000,
  /** Down: nothing answered in this recent part of the window (ms). */
  downWindowMs: 5 * 60_000,
  /** Degraded: loss at or above this share (%), average round trip at or above, or jitter at or above (ms). */
  lossPct: 5,
  rttMs: 300,
  jitterMs: 50,
  /** A cell is down when at least this share of its devices are down, degraded when this share are degraded or down. */
  cellDownShare: 0.5,
  cellDegradedShare: 0.2,
} as const;

/** A site key: `site:<slug>` (IT-named), `subnet:<cidr>` or `ssid:<name>`. */
export type SiteKey = `site:${string}` | `subnet:${string}` | `ssid:${string}`;

/** A device–target's health from its recent counts. */
export function healthOf(r: {
  samples: number;
  sent: number;
  received: number;
  recentSent: number;
  recentReceived: number;
  avgRttMs: number | null;
  avgJitterMs: number | null;
}): NetmonHealth {
  const t = NETMON_HEALTH_THRESHOLDS;
  if (r.samples === 0 || r.sent === 0) return 'unknown';
  if (r.recentSent > 0 && r.recentReceived === 0) return 'down';
  const lossPct = ((r.sent - r.received) / r.sent) * 100;
  if (lossPct >= t.lossPct) return 'degraded';
  if (r.avgRttMs !== null && r.avgRttMs >= t.rttMs) return 'degraded';
  if (r.avgJitterMs !== null && r.avgJitterMs >= t.jitterMs) return 'degraded';
  return 'ok';
}

/** A fleet cell's health from its devices' counts. */
export function cellHealthOf(c: { ok: number; degraded: number; down: number }): NetmonHealth {
  const known = c.ok + c.degraded + c.down;
  if (known === 0) return 'unknown';
  const t = NETMON_HEALTH_THRESHOLDS;
  if (c.down / known >= t.cellDownShare) return 'down';
  if ((c.degraded + c.down) / known >= t.cellDegradedShare) return 'degraded';
  return 'ok';
}
