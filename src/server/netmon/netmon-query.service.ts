import type { DeviceNetmonDto, NetmonAffectedDto, NetmonFleetDto, NetPoint, WifiPoint } from '../../shared/api/netmon';
import { netLinkSchema } from '../../shared/netmon/netmon';
import { cellHealthOf, healthOf, NETMON_HEALTH_THRESHOLDS, type NetmonHealth } from '../../shared/netmon/netmon-health';
import { NETMON_WINDOWS, type NetmonWindow } from '../../shared/netmon/netmon-limits';
import type { ServerContext } from '../context';
import type { NetmonRollupTable } from '../db/schema';
import { notFound } from '../errors';
import {
  BUCKET_1H,
  deviceExists,
  findSourceId,
  selectDeviceLink,
  selectDeviceStats,
  selectDeviceStats5m,
  selectCoarseLinks,
  selectCoarseSeries,
  selectHostnames,
  selectLinkRollups,
  selectRawLinks,
  selectRawSeries,
  selectRollupSeries,
  selectSourcesAtSite,
  selectState,
  selectTicketCore,
  selectTicketsInWindow,
  targetIdsOf,
  targetKeys,
  upsertState,
  type SourceTargetStats,
} from './netmon.repo';
import { netmonSettings } from './netmon-settings.service';
import { siteDtoOf } from './sites';

/*
 * What the console reads: a source's series for a chart window (raw, 5-minute, hourly or 6-hour by
 * NETMON_WINDOWS), the fleet grid (targets × sites by health, computed by the job each pass and kept in
 * `netmon_state`, recomputed on read when stale), and who else was affected around a ticket.
 */

type Ctx = Pick<ServerContext, 'db' | 'now' | 'bus'>;
const DAY_MS = 24 * 3_600_000;
const FLEET_STALE_MS = 2 * 60_000;
/** The 90 d chart's points: 360 per series, whatever the screen (a chart is ~1,000 px wide at most). */
const BUCKET_6H = 6 * BUCKET_1H;

const r3 = (n: number) => Math.round(n * 1000) / 1000;
const ms = (us: number | null) => (us === null ? null : r3(us / 1000));
const loss = (sent: number, received: number) => (sent > 0 ? r3(((sent - received) / sent) * 100) : null);

function rollupPoint(r: NetmonRollupTable): NetPoint {
  const n = r.rtt_n;
  const mean = n > 0 ? r.rtt_sum_us / n / 1000 : null;
  const variance = n >= 2 && mean !== null ? Math.max(0, (r.rtt_sq_ms - n * mean * mean) / (n - 1)) : null;
  return {
    t: r.bucket,
    samples: r.samples,
    sent: r.sent,
    received: r.received,
    lossPct: loss(r.sent, r.received),
    rttMs: mean === null ? null : r3(mean),
    minMs: ms(r.rtt_min_us),
    maxMs: ms(r.rtt_max_us),
    stddevMs: variance === null ? null : r3(Math.sqrt(variance)),
    jitterMs: r.jitter_n > 0 ? r3(r.jitter_sum_us / r.jitter_n / 1000) : null,
    error: null,
  };
}

type Series = Omit<DeviceNetmonDto, 'wifi' | 'link' | 'site'>;

/** A source's points per target for a window. */
async function seriesOf(ctx: Ctx, sourceId: number | null, window: NetmonWindow, onlyTarget?: string): Promise<Series> {
  const { ms: span, resolution } = NETMON_WINDOWS[window];
  const to = ctx.now();
  const from = to - span;
  const base = { window, resolution, from, to } as const;
  if (sourceId === null) return { ...base, targets: [] };
  const keys = await targetKeys(ctx.db.kysely);
  const byTarget = new Map<string, NetPoint[]>();
  const push = (targetId: number, point: NetPoint) => {
    const key = keys.get(targetId) ?? String(targetId);
    if (onlyTarget && key !== onlyTarget) return;
    let list = byTarget.get(key);
    if (!list) byTarget.set(key, (list = []));
    list.push(point);
  };
  if (resolution === 'raw') {
    for (const s of await selectRawSeries(ctx.db.kysely, sourceId, from, to))
      push(s.target_id, {
        t: s.at,
        samples: 1,
        sent: s.sent,
        received: s.received,
        lossPct: loss(s.sent, s.received),
        rttMs: ms(s.rtt_us),
        minMs: ms(s.min_us),
        maxMs: ms(s.max_us),
        stddevMs: null,
        jitterMs: ms(s.jitter_us),
        error: s.error,
      });
  } else {
    const rows =
      resolution === '6h'
        ? await selectCoarseSeries(ctx.db.kysely, sourceId, from, to, BUCKET_6H)
        : await selectRollupSeries(
            ctx.db.kysely,
            resolution === '5m' ? 'netmon_samples_5m' : 'netmon_samples_1h',
            sourceId,
            from,
            to,
          );
    for (const r of rows) push(r.target_id, rollupPoint(r));
  }
  return {
    ...base,
    targets: [...byTarget].sort(([a], [b]) => a.localeCompare(b)).map(([target, points]) => ({ target, points })),
  };
}

async function wifiOf(ctx: Ctx, sourceId: number, window: NetmonWindow): Promise<WifiPoint[]> {
  const { ms: span, resolution } = NETMON_WINDOWS[window];
  const to = ctx.now();
  const from = to - span;
  if (resolution === 'raw')
    return (await selectRawLinks(ctx.db.kysely, sourceId, from, to)).map((l) => ({
      t: l.at,
      signalDbm: l.signal_dbm,
      minDbm: l.signal_dbm,
      maxDbm: l.signal_dbm,
      rateMbps: l.rate_mbps,
      errors: l.rx_errors === null && l.tx_errors === null ? null : (l.rx_errors ?? 0) + (l.tx_errors ?? 0),
    }));
  const rows =
    resolution === '6h'
      ? await selectCoarseLinks(ctx.db.kysely, sourceId, from, to, BUCKET_6H)
      : await selectLinkRollups(
          ctx.db.kysely,
          resolution === '5m' ? 'netmon_links_5m' : 'netmon_links_1h',
          sourceId,
          from,
          to,
        );
  return rows.map((r) => ({
    t: r.bucket,
    signalDbm: r.signal_n > 0 ? r3(r.signal_sum / r.signal_n) : null,
    minDbm: r.signal_min,
    maxDbm: r.signal_max,
    rateMbps: r.rate_n > 0 ? r3(r.rate_sum / r.rate_n) : null,
    errors: r.errors,
  }));
}

/** A device's series, Wi-Fi signal, latest link and site. */
export async function deviceNetmon(ctx: Ctx, deviceId: string, window: NetmonWindow): Promise<DeviceNetmonDto> {
  if (!(await deviceExists(ctx.db.kysely, deviceId))) throw notFound('Device');
  const sourceId = await findSourceId(ctx.db.kysely, 'device', deviceId);
  // Independent reads: side by side (on PostgreSQL each has its own pooled connection).
  const [series, wifi, linkRow, { sites }] = await Promise.all([
    seriesOf(ctx, sourceId, window),
    sourceId === null ? [] : wifiOf(ctx, sourceId, window),
    selectDeviceLink(ctx.db.kysely, deviceId),
    netmonSettings(ctx),
  ]);
  const parsed = linkRow ? netLinkSchema.safeParse(JSON.parse(linkRow.link)) : null;
  return {
    ...series,
    wifi,
    link: parsed?.success ? parsed.data : null,
    site: siteDtoOf(linkRow?.site ?? null, sites),
  };
}

/** A server-side check's series (the server's own source, target `check:<slug>`). */
export async function checkSeries(ctx: Ctx, slug: string, window: NetmonWindow): Promise<Series> {
  const sourceId = await findSourceId(ctx.db.kysely, 'server', 'server');
  return seriesOf(ctx, sourceId, window, `check:${slug}`);
}

function statsHealth(s: SourceTargetStats): NetmonHealth {
  return healthOf({
    samples: s.samples,
    sent: s.sent,
    received: s.received,
    recentSent: s.recent_sent,
    recentReceived: s.recent_received,
    avgRttMs: s.rtt_n > 0 ? s.rtt_sum_us / s.rtt_n / 1000 : null,
    avgJitterMs: s.jitter_n > 0 ? s.jitter_sum_us / s.jitter_n / 1000 : null,
  });
}

interface StoredFleet {
  computedAt: number;
  cells: NetmonFleetDto['cells'];
}

/** Computes the fleet grid from the last window of raw samples. */
export async function computeFleet(ctx: Ctx): Promise<StoredFleet> {
  const t = NETMON_HEALTH_THRESHOLDS;
  const now = ctx.now();
  const stats = await selectDeviceStats(ctx.db.kysely, now - t.windowMs, now, now - t.downWindowMs);
  const keys = await targetKeys(ctx.db.kysely);
  const cells = new Map<
    string,
    {
      target: string;
      site: string | null;
      ok: number;
      degraded: number;
      down: number;
      sent: number;
      received: number;
      rttN: number;
      rttSum: number;
    }
  >();
  for (const s of stats) {
    const target = keys.get(s.target_id) ?? String(s.target_id);
    const id = `${target}\u0000${s.site ?? ''}`;
    let cell = cells.get(id);
    if (!cell)
      cells.set(
        id,
        (cell = { target, site: s.site, ok: 0, degraded: 0, down: 0, sent: 0, received: 0, rttN: 0, rttSum: 0 }),
      );
    const health = statsHealth(s);
    if (health !== 'unknown') cell[health] += 1;
    cell.sent += s.sent;
    cell.received += s.received;
    cell.rttN += s.rtt_n;
    cell.rttSum += s.rtt_sum_us;
  }
  return {
    computedAt: now,
    cells: [...cells.values()]
      .sort((a, b) => a.target.localeCompare(b.target) || (a.site ?? '').localeCompare(b.site ?? ''))
      .map((c) => ({
        target: c.target,
        site: c.site,
        health: cellHealthOf(c),
        ok: c.ok,
        degraded: c.degraded,
        down: c.down,
        lossPct: loss(c.sent, c.received),
        rttMs: c.rttN > 0 ? r3(c.rttSum / c.rttN / 1000) : null,
      })),
  };
}

const signature = (f: StoredFleet) => f.cells.map((c) => `${c.target}|${c.site}|${c.health}`).join('\n');

/** Recomputes and stores the grid; announces it to the consoles when a cell's health changed. */
export async function refreshFleet(ctx: Ctx): Promise<StoredFleet> {
  const previous = await selectState(ctx.db.kysely, 'fleet');
  const fleet = await computeFleet(ctx);
  await upsertState(ctx.db.kysely, 'fleet', JSON.stringify(fleet), fleet.computedAt);
  let before: StoredFleet | null;
  try {
    before = previous ? (JSON.parse(previous.value) as StoredFleet) : null;
  } catch {
    before = null;
  }
  if (!before || signature(before) !== signature(fleet)) ctx.bus.publish({ kind: 'netmon', what: 'fleet' });
  return fleet;
}

/** The fleet grid (as the job last computed it, or now when that is stale). */
export async function fleetView(ctx: Ctx): Promise<NetmonFleetDto> {
  const row = await selectState(ctx.db.kysely, 'fleet');
  let fleet: StoredFleet | null = null;
  if (row && ctx.now() - row.updated_at <= FLEET_STALE_MS) {
    try {
      fleet = JSON.parse(row.value) as StoredFleet;
    } catch {
      fleet = null;
    }
  }
  fleet ??= await refreshFleet(ctx);
  const { sites } = await netmonSettings(ctx);
  const siteKeys = [...new Set(fleet.cells.map((c) => c.site).filter((s): s is string => s !== null))].sort();
  return {
    computedAt: fleet.computedAt,
    windowMs: NETMON_HEALTH_THRESHOLDS.windowMs,
    targets: [...new Set(fleet.cells.map((c) => c.target))].sort(),
    sites: siteKeys.map((k) => siteDtoOf(k, sites)).filter((s) => s !== null),
    cells: fleet.cells,
  };
}

/**
 * Who else is affected: around the ticket's creation (or now), the other devices with a degraded or down
 * target at the ticket device's site, and those with the same target degraded anywhere (not the gateway,
 * which is each network's own). Sites are the devices' current ones.
 */
export async function affectedByTicket(
  ctx: Ctx,
  ticketId: number,
  query: { minutes: number; at: 'ticket' | 'now' },
): Promise<NetmonAffectedDto> {
  const db = ctx.db.kysely;
  const ticket = await selectTicketCore(db, ticketId);
  if (!ticket) throw notFound('Ticket');
  const now = ctx.now();
  const center = query.at === 'now' ? now : ticket.created_at;
  const from = center - query.minutes * 60_000;
  const to = Math.min(now, center + query.minutes * 60_000);
  const { sites, retention } = await netmonSettings(ctx);
  const empty = { ticketId, deviceId: ticket.device_id, from, to, site: null, degradedTargets: [], devices: [] };
  if (!ticket.device_id) return empty;
  const sourceId = await findSourceId(db, 'device', ticket.device_id);
  const link = await selectDeviceLink(db, ticket.device_id);
  const site = link?.site ?? null;
  const useRaw = from >= now - retention.rawDays * DAY_MS;
  const stats = (only: { sourceIds?: number[]; targetIds?: number[] }) =>
    useRaw ? selectDeviceStats(db, from, to, from, only) : selectDeviceStats5m(db, from, to, only);
  const keys = await targetKeys(db);
  const keyOf = (id: number) => keys.get(id) ?? String(id);
  const degraded = (s: SourceTargetStats) => {
    const h = statsHealth(s);
    return h === 'degraded' || h === 'down';
  };
  const own = sourceId === null ? [] : await stats({ sourceIds: [sourceId] });
  const degradedTargets = own
    .filter(degraded)
    .map((s) => keyOf(s.target_id))
    .sort();
  const sharedTargets = degradedTargets.filter((t) => t !== 'gateway');
  const targetIds = [...(await targetIdsOf(db, sharedTargets)).values()];
  const atSite = site ? (await selectSourcesAtSite(db, site)).filter((id) => id !== sourceId) : [];
  const candidates = [
    ...(atSite.length ? (await stats({ sourceIds: atSite })).map((s) => ({ s, reason: 'site' as const })) : []),
    ...(targetIds.length ? (await stats({ targetIds })).map((s) => ({ s, reason: 'target' as const })) : []),
  ].filter(({ s }) => s.source_id !== sourceId && s.device_id !== null && degraded(s));
  const byDevice = new Map<
    string,
    { site: string | null; reasons: Set<'site' | 'target'>; targets: Map<string, SourceTargetStats> }
  >();
  for (const { s, reason } of candidates) {
    let d = byDevice.get(s.device_id!);
    if (!d) byDevice.set(s.device_id!, (d = { site: s.site, reasons: new Set(), targets: new Map() }));
    d.reasons.add(reason);
    d.targets.set(keyOf(s.target_id), s);
  }
  const ids = [...byDevice.keys()];
  const hostnames = await selectHostnames(db, ids);
  const tickets = await selectTicketsInWindow(db, ids, from, to);
  return {
    ...empty,
    site: siteDtoOf(site, sites),
    degradedTargets,
    devices: ids
      .map((deviceId) => {
        const d = byDevice.get(deviceId)!;
        return {
          deviceId,
          hostname: hostnames.get(deviceId) ?? deviceId,
          site: siteDtoOf(d.site, sites),
          reasons: [...d.reasons].sort(),
          targets: [...d.targets]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([target, s]) => ({
              target,
              health: statsHealth(s),
              lossPct: loss(s.sent, s.received) ?? 0,
              rttMs: s.rtt_n > 0 ? r3(s.rtt_sum_us / s.rtt_n / 1000) : null,
            })),
          ticketIds: tickets.filter((t) => t.device_id === deviceId).map((t) => t.id),
        };
      })
      .sort((a, b) => a.hostname.localeCompare(b.hostname) || a.deviceId.localeCompare(b.deviceId)),
  };
}
