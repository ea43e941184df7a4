import type { NetPoint } from '../../shared/api/netmon';
import type { TicketNetSummary, TicketNetTarget, TicketNetWifi } from '../../shared/api/netmon-history';
import {
  healthOf,
  NETMON_HEALTH,
  NETMON_HEALTH_THRESHOLDS,
  type NetmonHealth,
} from '../../shared/netmon/netmon-health';

/*
 * The network of a ticket's device in the 24 hours before it, made from the raw samples (pure): per target
 * the sample count, average and 95th-percentile round trip, jitter, loss, availability, the health when the
 * ticket was filed and hourly points; the Wi-Fi signal over the day. Stored compact (arrays instead of
 * objects: about 40 bytes an hour a target, a few kilobytes a ticket) and expanded when read.
 */

export const SUMMARY_SPAN_MS = 24 * 3_600_000;
const HOUR = 3_600_000;
const AT_FILING_MS = 15 * 60_000;

export interface RawSampleRow {
  target_id: number;
  at: number;
  sent: number;
  received: number;
  rtt_us: number | null;
  min_us: number | null;
  max_us: number | null;
  jitter_us: number | null;
}
export interface RawSignalRow {
  at: number;
  signal_dbm: number | null;
  rate_mbps: number | null;
}

const r2 = (n: number) => Math.round(n * 100) / 100;
const avg = (xs: readonly number[]) => (xs.length === 0 ? null : r2(xs.reduce((a, b) => a + b, 0) / xs.length));

/** The 95th percentile (nearest rank) of unsorted values; null when empty. */
export function p95(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
}

function counts(rows: readonly RawSampleRow[]) {
  const rtts = rows.filter((r) => r.rtt_us !== null && r.received > 0).map((r) => r.rtt_us! / 1000);
  const jitters = rows.filter((r) => r.jitter_us !== null).map((r) => r.jitter_us! / 1000);
  const sent = rows.reduce((n, r) => n + r.sent, 0);
  const received = rows.reduce((n, r) => n + r.received, 0);
  return { rtts, jitters, sent, received, lossPct: sent > 0 ? r2(((sent - received) / sent) * 100) : null };
}

type HourPoint = NetPoint & { availabilityPct: number | null };
const availability = (answered: number, samples: number) => (samples > 0 ? r2((answered / samples) * 100) : null);

function hourlyPoints(rows: readonly RawSampleRow[]): HourPoint[] {
  const hours = new Map<number, RawSampleRow[]>();
  for (const row of rows) {
    const t = Math.floor(row.at / HOUR) * HOUR;
    const list = hours.get(t) ?? [];
    list.push(row);
    hours.set(t, list);
  }
  return [...hours].map(([t, list]) => {
    const c = counts(list);
    const mins = list.filter((r) => r.min_us !== null).map((r) => r.min_us! / 1000);
    const maxs = list.filter((r) => r.max_us !== null).map((r) => r.max_us! / 1000);
    return {
      t,
      samples: list.length,
      sent: c.sent,
      received: c.received,
      lossPct: c.lossPct,
      rttMs: avg(c.rtts),
      minMs: mins.length ? r2(Math.min(...mins)) : null,
      maxMs: maxs.length ? r2(Math.max(...maxs)) : null,
      stddevMs: null,
      jitterMs: avg(c.jitters),
      error: null,
      availabilityPct: availability(list.filter((r) => r.received > 0).length, list.length),
    };
  });
}

function healthAt(rows: readonly RawSampleRow[], to: number): NetmonHealth {
  const last = rows.filter((r) => r.at >= to - AT_FILING_MS);
  const recent = last.filter((r) => r.at >= to - NETMON_HEALTH_THRESHOLDS.downWindowMs);
  const c = counts(last);
  return healthOf({
    samples: last.length,
    sent: c.sent,
    received: c.received,
    recentSent: recent.reduce((n, r) => n + r.sent, 0),
    recentReceived: recent.reduce((n, r) => n + r.received, 0),
    avgRttMs: avg(c.rtts),
    avgJitterMs: avg(c.jitters),
  });
}

/** One target's day from its raw rows (time order). */
export function summarizeTarget(target: string, rows: readonly RawSampleRow[], to: number): TicketNetTarget {
  const c = counts(rows);
  const answered = rows.filter((r) => r.received > 0).length;
  return {
    target,
    samples: rows.length,
    rttMs: avg(c.rtts),
    p95Ms: p95(c.rtts),
    jitterMs: avg(c.jitters),
    lossPct: c.lossPct,
    availabilityPct: rows.length > 0 ? r2((answered / rows.length) * 100) : null,
    healthAtFiling: healthAt(rows, to),
    points: hourlyPoints(rows),
  };
}

export function summarizeWifi(rows: readonly RawSignalRow[], ssid: string | null): TicketNetWifi | null {
  const signal = rows.filter((r) => r.signal_dbm !== null).map((r) => r.signal_dbm!);
  if (signal.length === 0) return null;
  const rates = rows.filter((r) => r.rate_mbps !== null).map((r) => r.rate_mbps!);
  return {
    ssid,
    reports: signal.length,
    avgDbm: avg(signal),
    minDbm: Math.min(...signal),
    maxDbm: Math.max(...signal),
    rateMbps: avg(rates),
  };
}

/** t, samples, sent, received, rtt, min, max, jitter (ms), answered samples. */
type CompactPoint = [
  number,
  number,
  number,
  number,
  number | null,
  number | null,
  number | null,
  number | null,
  number,
];
interface CompactTarget {
  k: string;
  n: number;
  r: number | null;
  p: number | null;
  j: number | null;
  l: number | null;
  a: number | null;
  h: number;
  pts: CompactPoint[];
}
interface CompactSummary {
  v: 1;
  from: number;
  to: number;
  t: CompactTarget[];
  w: TicketNetWifi | null;
}

/** The stored form (JSON text). */
export function compactSummary(s: Omit<TicketNetSummary, 'ticketId' | 'deviceId'>): string {
  const compact: CompactSummary = {
    v: 1,
    from: s.from,
    to: s.to,
    t: s.targets.map((x) => ({
      k: x.target,
      n: x.samples,
      r: x.rttMs,
      p: x.p95Ms,
      j: x.jitterMs,
      l: x.lossPct,
      a: x.availabilityPct,
      h: NETMON_HEALTH.indexOf(x.healthAtFiling),
      pts: x.points.map((p) => [
        p.t,
        p.samples,
        p.sent,
        p.received,
        p.rttMs,
        p.minMs,
        p.maxMs,
        p.jitterMs,
        Math.round(((p.availabilityPct ?? 0) * p.samples) / 100),
      ]),
    })),
    w: s.wifi,
  };
  return JSON.stringify(compact);
}

/** The stored form read back as the DTO. */
export function expandSummary(text: string, ticketId: number, deviceId: string): TicketNetSummary {
  const c = JSON.parse(text) as CompactSummary;
  return {
    ticketId,
    deviceId,
    from: c.from,
    to: c.to,
    wifi: c.w,
    targets: c.t.map((x) => ({
      target: x.k,
      samples: x.n,
      rttMs: x.r,
      p95Ms: x.p,
      jitterMs: x.j,
      lossPct: x.l,
      availabilityPct: x.a,
      healthAtFiling: NETMON_HEALTH[x.h] ?? 'unknown',
      points: x.pts.map(([t, samples, sent, received, rttMs, minMs, maxMs, jitterMs, answered]) => ({
        t,
        samples,
        sent,
        received,
        lossPct: sent > 0 ? r2(((sent - received) / sent) * 100) : null,
        rttMs,
        minMs,
        maxMs,
        stddevMs: null,
        jitterMs,
        error: null,
        availabilityPct: availability(answered, samples),
      })),
    })),
  };
}
