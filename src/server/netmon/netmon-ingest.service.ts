import { Counter, type Registry } from 'prom-client';
import type { NetBatch, NetLink } from '../../shared/netmon/netmon';
import { NETMON_ACCEPT_FUTURE_MS, NETMON_ACCEPT_PAST_MS } from '../../shared/netmon/netmon-limits';
import type { ServerContext } from '../context';
import {
  BUCKET_5M,
  insertBandwidth,
  insertLinks,
  insertSamples,
  markDirty,
  sourceIdOf,
  targetIdsOf,
  upsertDeviceLink,
  type SampleRow,
} from './netmon.repo';
import { netmonSettings } from './netmon-settings.service';
import { siteKeyOf } from './sites';

/*
 * A `netmon.batch` from a device's live channel, stored: samples, link points and bandwidth tests inside
 * [now − NETMON_ACCEPT_PAST_MS, now + NETMON_ACCEPT_FUTURE_MS] (the rest dropped and counted), one
 * multi-row statement per kind. Idempotent: rows are keyed by (device, target, time), so a batch sent again
 * (its ack was lost) stores nothing new and is acknowledged again. Samples that land in a 5-minute bucket
 * the rollup job may already have done mark it dirty, and the job rolls it up again.
 *
 * The device's latest link is written when it changed or every LINK_REFRESH_MS (a per-process memory of
 * what was written spares the statement otherwise), with its site.
 */

/** The rollup job rolls a 5-minute bucket once it ended this long ago (netmon-rollup.job.ts). */
export const ROLLUP_GRACE_MS = 120_000;
/** Samples within this of the rollup's reach are marked dirty too (the job may be running right now). */
const DIRTY_MARGIN_MS = 60_000;
const LINK_REFRESH_MS = 10 * 60_000;
const LINK_MEMORY = 50_000;

const counters = new WeakMap<Registry, Counter<'result'>>();
function counter(registry: Registry): Counter<'result'> {
  let c = counters.get(registry);
  if (!c) {
    c = new Counter({
      name: 'deskside_netmon_samples_total',
      help: 'Network-monitoring samples received, by result (stored, duplicate, out_of_range)',
      labelNames: ['result'],
      registers: [registry],
    });
    counters.set(registry, c);
  }
  return c;
}

const writtenLinks = new WeakMap<object, Map<string, { key: string; at: number }>>();

export interface IngestResult {
  stored: number;
  duplicates: number;
  dropped: number;
}

const us = (ms: number | null) => (ms === null ? null : Math.round(ms * 1000));

/** Stores one batch of a device (see above); the caller then acknowledges it. */
export async function ingestBatch(
  ctx: Pick<ServerContext, 'db' | 'now' | 'bus' | 'metrics'>,
  deviceId: string,
  batch: NetBatch,
): Promise<IngestResult> {
  const now = ctx.now();
  const inRange = (at: number) => at >= now - NETMON_ACCEPT_PAST_MS && at <= now + NETMON_ACCEPT_FUTURE_MS;
  const db = ctx.db.kysely;
  const samples = batch.samples.filter((s) => inRange(s.at));
  const links = batch.links.filter((l) => inRange(l.at));
  const bandwidth = batch.bandwidth.filter((b) => inRange(b.at));
  const dropped = batch.samples.length - samples.length;

  const sourceId = await sourceIdOf(db, 'device', deviceId);
  const targets = await targetIdsOf(
    db,
    samples.map((s) => s.target),
  );
  const rows: SampleRow[] = samples.map((s) => ({
    source_id: sourceId,
    target_id: targets.get(s.target)!,
    at: s.at,
    sent: s.sent,
    received: s.received,
    rtt_us: us(s.rttMs),
    min_us: us(s.minMs),
    max_us: us(s.maxMs),
    jitter_us: us(s.jitterMs),
    error: s.error ?? null,
    http: s.http ? JSON.stringify(s.http) : null,
  }));
  const inserted = await insertSamples(db, ctx.db.dialect, rows);
  const linkTimes = await insertLinks(
    db,
    links.map((l) => ({
      source_id: sourceId,
      at: l.at,
      signal_dbm: l.wifi?.signalDbm ?? null,
      rate_mbps: l.wifi?.rateMbps === null || l.wifi?.rateMbps === undefined ? null : Math.round(l.wifi.rateMbps),
      rx_errors: l.errors ? Math.min(2_000_000_000, l.errors.rxErrors + l.errors.rxDropped) : null,
      tx_errors: l.errors ? Math.min(2_000_000_000, l.errors.txErrors + l.errors.txDropped) : null,
      vpn_up: l.vpn ? (l.vpn.up ? 1 : 0) : null,
    })),
  );
  await insertBandwidth(
    db,
    bandwidth.map((b) => ({
      source_id: sourceId,
      at: b.at,
      down_kbps: b.downMbps === null ? null : Math.round(b.downMbps * 1000),
      up_kbps: b.upMbps === null ? null : Math.round(b.upMbps * 1000),
      bytes: b.bytes,
      trigger: b.trigger,
    })),
  );
  const late = now - ROLLUP_GRACE_MS + DIRTY_MARGIN_MS;
  const dirty = [...inserted, ...linkTimes]
    .map((at) => Math.floor(at / BUCKET_5M) * BUCKET_5M)
    .filter((bucket) => bucket + BUCKET_5M <= late);
  await markDirty(db, sourceId, dirty);

  const latest = links.reduce<NetLink | null>((a, l) => (!a || l.at > a.at ? l : a), null);
  if (latest) await writeLatestLink(ctx, deviceId, sourceId, latest);

  const result = { stored: inserted.length, duplicates: samples.length - inserted.length, dropped };
  const c = counter(ctx.metrics.registry);
  if (result.stored) c.inc({ result: 'stored' }, result.stored);
  if (result.duplicates) c.inc({ result: 'duplicate' }, result.duplicates);
  if (result.dropped) c.inc({ result: 'out_of_range' }, result.dropped);
  return result;
}

async function writeLatestLink(
  ctx: Pick<ServerContext, 'db' | 'now' | 'bus'>,
  deviceId: string,
  sourceId: number,
  link: NetLink,
): Promise<void> {
  let memory = writtenLinks.get(ctx.db);
  if (!memory) writtenLinks.set(ctx.db, (memory = new Map()));
  const { at: _at, errors: _errors, ...stable } = link;
  void _at;
  void _errors;
  const key = JSON.stringify(stable);
  const previous = memory.get(deviceId);
  if (previous && previous.key === key && link.at - previous.at < LINK_REFRESH_MS && link.at >= previous.at) return;
  const ssid = link.wifi?.ssid ?? null;
  const { sites } = await netmonSettings(ctx);
  await upsertDeviceLink(ctx.db.kysely, {
    device_id: deviceId,
    source_id: sourceId,
    at: link.at,
    link: JSON.stringify(link),
    subnet: link.subnet,
    ssid,
    site: siteKeyOf({ subnet: link.subnet, ssid }, sites),
  });
  if (memory.size >= LINK_MEMORY) memory.clear();
  memory.set(deviceId, { key, at: link.at });
}
