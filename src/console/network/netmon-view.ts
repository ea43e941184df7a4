import type { NetPoint, SiteDto } from '../../shared/api/netmon';
import type { NetmonConfig } from '../../shared/netmon/netmon';
import { healthOf, NETMON_HEALTH_THRESHOLDS, type NetmonHealth } from '../../shared/netmon/netmon-health';
import { NETMON_IT_TARGET_PREFIX } from '../../shared/netmon/netmon-limits';

/*
 * Pure helpers of the network views: target and site names in words, a point's health by the server's
 * thresholds (src/shared/netmon/netmon-health.ts), breaks in a line where no samples came, and summaries.
 */

/** Health colours, the console's tokens (recharts needs values, not CSS variables). */
export const HEALTH_COLOR: Record<NetmonHealth, string> = {
  ok: '#18733f',
  degraded: '#b87400',
  down: '#c4302b',
  unknown: '#8a94a6',
};
export const HEALTH_WORD: Record<NetmonHealth, string> = {
  ok: 'OK',
  degraded: 'Degraded',
  down: 'Down',
  unknown: 'No data',
};
export const HEALTH_BADGE: Record<NetmonHealth, string> = {
  ok: 'badge badge-ok',
  degraded: 'badge badge-warning',
  down: 'badge badge-critical',
  unknown: 'badge',
};

const BUILTIN_LABELS: Record<string, string> = {
  gateway: 'Gateway',
  dns: 'DNS resolvers',
  server: 'Help-desk server',
};

/** A target id in words: the built-in roles, IT's labels from the plan, server checks' labels. */
export function targetLabel(
  target: string,
  plan?: Pick<NetmonConfig, 'targets'> | null,
  checks?: readonly { target: string; definition: { label: string } }[],
): string {
  if (BUILTIN_LABELS[target]) return BUILTIN_LABELS[target];
  if (target.startsWith(NETMON_IT_TARGET_PREFIX)) {
    const slug = target.slice(NETMON_IT_TARGET_PREFIX.length);
    return plan?.targets.find((t) => t.slug === slug)?.label ?? slug;
  }
  const check = checks?.find((c) => c.target === target);
  if (check) return check.definition.label;
  return target.startsWith('check:') ? target.slice('check:'.length) : target;
}

/** Targets in reading order: gateway, DNS, the help-desk server, then IT's targets and checks by name. */
export function targetOrder(a: string, b: string): number {
  const rank = (t: string) => {
    const builtin = Object.keys(BUILTIN_LABELS).indexOf(t);
    return builtin >= 0 ? builtin : t.startsWith(NETMON_IT_TARGET_PREFIX) ? 3 : 4;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** A site in words, with what it is (an IT-named site, a subnet or a Wi-Fi network). */
export function siteLabel(site: SiteDto | null): string {
  if (!site) return 'No known site';
  if (site.kind === 'site') return site.name;
  if (site.kind === 'subnet') return `Subnet ${site.name}`;
  return `Wi-Fi “${site.name}”`;
}

/** One point's health by the thresholds the server uses (a bucket where nothing answered is down). */
export function pointHealth(p: NetPoint): NetmonHealth {
  return healthOf({
    samples: p.samples,
    sent: p.sent,
    received: p.received,
    recentSent: p.sent,
    recentReceived: p.received,
    avgRttMs: p.rttMs,
    avgJitterMs: p.jitterMs,
  });
}

/** Totals over points: loss, average round trip and jitter (weighted by answers), and the health they make. */
export function summarize(points: readonly NetPoint[]): {
  sent: number;
  received: number;
  lossPct: number | null;
  rttMs: number | null;
  jitterMs: number | null;
  health: NetmonHealth;
} {
  let sent = 0;
  let received = 0;
  let rttWeight = 0;
  let rttSum = 0;
  let jitterWeight = 0;
  let jitterSum = 0;
  for (const p of points) {
    sent += p.sent;
    received += p.received;
    if (p.rttMs !== null && p.received > 0) {
      rttSum += p.rttMs * p.received;
      rttWeight += p.received;
    }
    if (p.jitterMs !== null) {
      jitterSum += p.jitterMs * Math.max(1, p.samples);
      jitterWeight += Math.max(1, p.samples);
    }
  }
  const rttMs = rttWeight > 0 ? rttSum / rttWeight : null;
  const jitterMs = jitterWeight > 0 ? jitterSum / jitterWeight : null;
  const last = points.at(-1);
  const health = healthOf({
    samples: points.length,
    sent,
    received,
    recentSent: last?.sent ?? 0,
    recentReceived: last?.received ?? 0,
    avgRttMs: rttMs,
    avgJitterMs: jitterMs,
  });
  return { sent, received, lossPct: sent > 0 ? ((sent - received) / sent) * 100 : null, rttMs, jitterMs, health };
}

/** The usual step between points (their median gap), for telling a pause in sampling from a cadence. */
function medianStep(times: readonly number[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i += 1) gaps.push(times[i]! - times[i - 1]!);
  if (gaps.length === 0) return 0;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}

/**
 * Rows for a line chart: `make` maps each point, and where sampling paused (a gap of more than three
 * usual steps, or `minGapMs`) an all-empty row goes in, so the line breaks instead of bridging the pause.
 */
export function withGaps<P extends { t: number }, R extends { t: number }>(
  points: readonly P[],
  make: (p: P) => R,
  empty: (t: number) => R,
  minGapMs = 0,
): R[] {
  const step = medianStep(points.map((p) => p.t));
  const limit = Math.max(step * 3, minGapMs);
  const rows: R[] = [];
  points.forEach((p, i) => {
    const prev = points[i - 1];
    if (prev && limit > 0 && p.t - prev.t > limit) rows.push(empty(prev.t + step));
    rows.push(make(p));
  });
  return rows;
}

/** The health thresholds in words, for legends. */
export function thresholdsInWords(): string {
  const t = NETMON_HEALTH_THRESHOLDS;
  return `Degraded: loss ≥ ${t.lossPct}%, round trip ≥ ${t.rttMs} ms or jitter ≥ ${t.jitterMs} ms. Down: nothing answered in the last ${t.downWindowMs / 60_000} minutes.`;
}

/** A number of milliseconds for a label: "12.3 ms", "—" for none. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

/** A loss share for a label: "0%", "12.5%", "—". */
export function formatLoss(pct: number | null | undefined): string {
  if (pct === null || pct === undefined) return '—';
  return `${Number.isInteger(pct) ? pct : pct.toFixed(1)}%`;
}

/** A chart tick: clock time for windows up to a day, day and month beyond. */
export function timeTick(spanMs: number): (t: number) => string {
  const day = spanMs > 26 * 3_600_000;
  const format = new Intl.DateTimeFormat(
    undefined,
    day ? { day: 'numeric', month: 'short' } : { hour: '2-digit', minute: '2-digit' },
  );
  return (t: number) => format.format(new Date(t));
}

/** A tooltip's time. */
export function timeLabel(t: number): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(t));
}
