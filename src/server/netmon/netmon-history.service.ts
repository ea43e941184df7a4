import type { CheckHistoryDto, DeviceBandwidthDto, TicketNetSummary } from '../../shared/api/netmon-history';
import type { NetmonHealth } from '../../shared/netmon/netmon-health';
import { isOnline } from '../../shared/presence';
import type { ServerContext } from '../context';
import { conflict, notFound } from '../errors';
import {
  insertTicketSummary,
  selectBandwidth,
  selectDevicePresence,
  selectRawForSummary,
  selectRawSignal,
  selectTargetRuns,
  selectTicketSummary,
} from './netmon-history.repo';
import { findSourceId, selectCheck, selectDeviceLink, selectTicketCore, targetIdsOf, targetKeys } from './netmon.repo';
import { netmonSettings } from './netmon-settings.service';
import { toCheckDto } from './server-checks.service';
import {
  compactSummary,
  expandSummary,
  p95,
  summarizeTarget,
  summarizeWifi,
  SUMMARY_SPAN_MS,
  type RawSampleRow,
} from './ticket-netmon';

/*
 * Network monitoring's kept records: the 24 hours stored with a new ticket and read back on the ticket, a
 * device's bandwidth tests and asking its agent for one, and a server-side check's recent history.
 */

type Ctx = Pick<ServerContext, 'db' | 'now' | 'bus'>;
const BANDWIDTH_SHOWN = 20;
const RECENT_RUNS = 120;
const CHANGES_SHOWN = 50;

/**
 * Stores the device's last 24 hours with a ticket just filed. A device that never sent network results
 * costs one lookup and stores nothing (the ticket view then says so).
 */
export async function captureTicketNetwork(ctx: Ctx, deviceId: string, ticketId: number, filedAt: number) {
  const db = ctx.db.kysely;
  const sourceId = await findSourceId(db, 'device', deviceId);
  if (sourceId === null) return false;
  const from = filedAt - SUMMARY_SPAN_MS;
  const [rows, signal, keys, link] = await Promise.all([
    selectRawForSummary(db, sourceId, from, filedAt),
    selectRawSignal(db, sourceId, from, filedAt),
    targetKeys(db),
    selectDeviceLink(db, deviceId),
  ]);
  if (rows.length === 0 && signal.length === 0) return false;
  const byTarget = new Map<string, RawSampleRow[]>();
  for (const row of rows) {
    const key = keys.get(row.target_id) ?? String(row.target_id);
    const list = byTarget.get(key) ?? [];
    list.push(row);
    byTarget.set(key, list);
  }
  const targets = [...byTarget].map(([target, list]) => summarizeTarget(target, list, filedAt));
  const summary = compactSummary({ from, to: filedAt, targets, wifi: summarizeWifi(signal, link?.ssid ?? null) });
  await insertTicketSummary(db, { ticket_id: ticketId, device_id: deviceId, captured_at: ctx.now(), summary });
  return true;
}

/** The stored 24 hours of a ticket; null for a ticket filed without (or before migration 022). */
export async function ticketNetworkSummary(ctx: Ctx, ticketId: number): Promise<{ summary: TicketNetSummary | null }> {
  const db = ctx.db.kysely;
  const [ticket, row] = await Promise.all([selectTicketCore(db, ticketId), selectTicketSummary(db, ticketId)]);
  if (!ticket) throw notFound('Ticket');
  return { summary: row ? expandSummary(row.summary, ticketId, row.device_id) : null };
}

/** A device's bandwidth tests (newest first) and whether it can be asked for one now. */
export async function deviceBandwidth(ctx: Ctx, deviceId: string): Promise<DeviceBandwidthDto> {
  const db = ctx.db.kysely;
  const device = await selectDevicePresence(db, deviceId);
  if (!device) throw notFound('Device');
  const [sourceId, settings] = await Promise.all([findSourceId(db, 'device', deviceId), netmonSettings(ctx)]);
  const rows = sourceId === null ? [] : await selectBandwidth(db, sourceId, BANDWIDTH_SHOWN);
  return {
    results: rows.map((r) => ({
      at: r.at,
      downMbps: r.down_kbps === null ? null : r.down_kbps / 1000,
      upMbps: r.up_kbps === null ? null : r.up_kbps / 1000,
      bytes: r.bytes,
      trigger: r.trigger,
    })),
    online: isOnline(device.last_seen_at, device.left_at, ctx.now()),
    everyHours: settings.plan.bandwidthEveryHours,
  };
}

/** Asks the device's agent (whichever process holds its connection) to test its bandwidth now. */
export async function requestBandwidth(ctx: Ctx, deviceId: string): Promise<{ requestedAt: number }> {
  const device = await selectDevicePresence(ctx.db.kysely, deviceId);
  if (!device) throw notFound('Device');
  const now = ctx.now();
  if (!isOnline(device.last_seen_at, device.left_at, now))
    throw conflict('device_offline', 'The device is offline: its agent measures when it is connected.');
  ctx.bus.publish({ kind: 'netmon-measure', deviceId });
  return { requestedAt: now };
}

const runHealth = (r: { received: number; error: string | null }): NetmonHealth =>
  r.received === 0 ? 'down' : r.error ? 'degraded' : 'ok';

/** A server-side check's last `days`: state changes, availability, round trips and the latest runs. */
export async function checkHistory(ctx: Ctx, slug: string, days: number): Promise<CheckHistoryDto> {
  const db = ctx.db.kysely;
  const row = await selectCheck(db, slug);
  if (!row) throw notFound('Check');
  const to = ctx.now();
  const from = to - days * 24 * 3_600_000;
  const sourceId = await findSourceId(db, 'server', 'server');
  const targetId = (await targetIdsOf(db, [`check:${slug}`])).get(`check:${slug}`);
  const runs =
    sourceId === null || targetId === undefined ? [] : await selectTargetRuns(db, sourceId, targetId, from, to);
  const rtts = runs.filter((r) => r.rtt_us !== null && r.received > 0).map((r) => r.rtt_us! / 1000);
  const changes: CheckHistoryDto['changes'] = [];
  let previous: NetmonHealth | null = null;
  for (const run of runs) {
    const health = runHealth(run);
    if (health !== previous)
      changes.push({ at: run.at, health, rttMs: run.rtt_us === null ? null : run.rtt_us / 1000, error: run.error });
    previous = health;
  }
  const r2 = (n: number) => Math.round(n * 100) / 100;
  return {
    check: toCheckDto(row, to),
    from,
    to,
    runs: runs.length,
    availabilityPct: runs.length ? r2((runs.filter((r) => r.received > 0).length / runs.length) * 100) : null,
    rttMs: rtts.length ? r2(rtts.reduce((a, b) => a + b, 0) / rtts.length) : null,
    p95Ms: p95(rtts),
    changes: changes.reverse().slice(0, CHANGES_SHOWN),
    recent: runs.slice(-RECENT_RUNS).map((r) => ({
      t: r.at,
      rttMs: r.rtt_us === null ? null : r.rtt_us / 1000,
      health: runHealth(r),
      error: r.error,
    })),
  };
}
