import { isOnline, onlineSince } from '../../shared/presence';
import type { z } from 'zod';
import type {
  FleetDevice,
  fleetDevicesQuerySchema,
  FleetSoftwareMatch,
  fleetSoftwareQuerySchema,
  FleetSoftwareResponse,
  FleetSummary,
} from '../../shared/api/fleet';
import type { FindingCode } from '../../shared/health/finding';
import { compareVersions } from '../../shared/version-compare';
import type { ServerContext } from '../context';
import type { DevicesTable } from '../db/schema';
import {
  countDevicesByFinding,
  countDevicesByHealth,
  countDevicesByOs,
  countFleet,
  countFleetDevices,
  selectFleetDevicePage,
  selectSoftwareByName,
  type FleetDeviceRow,
} from './fleet.repo';

/*
 * Fleet queries for the console: the fleet by OS, health and finding, devices by those, and devices by
 * installed package and version. Package names are matched in SQL through their index; versions are
 * compared here (compareVersions), since no SQL ordering knows `1:2.3-4` from `120.0.6099.109`.
 */

type Ctx = Pick<ServerContext, 'db' | 'now'>;
type DevicesQuery = z.output<typeof fleetDevicesQuerySchema>;
type SoftwareQuery = z.output<typeof fleetSoftwareQuerySchema>;

const HEALTH_ORDER: DevicesTable['health_status'][] = ['critical', 'warning', 'healthy', 'unknown'];

function toFleetDevice(row: FleetDeviceRow, now: number): FleetDevice {
  return {
    id: row.id,
    hostname: row.hostname,
    os: { platform: row.os_platform, name: row.os_name, version: row.os_version },
    healthStatus: row.health_status,
    lastSeenAt: new Date(row.last_seen_at).toISOString(),
    online: isOnline(row.last_seen_at, row.left_at, now),
  };
}

/** Counts of the fleet's devices: all, online, per OS, per health status, per finding. */
export async function fleetSummary(ctx: Ctx): Promise<FleetSummary> {
  const db = ctx.db.kysely;
  const [totals, byOs, health, byFinding] = await Promise.all([
    countFleet(db, onlineSince(ctx.now())),
    countDevicesByOs(db),
    countDevicesByHealth(db),
    countDevicesByFinding(db),
  ]);
  const healthCounts = new Map(health.map((h) => [h.status, h.devices]));
  return {
    ...totals,
    byOs,
    byHealth: HEALTH_ORDER.map((status) => ({ status, devices: healthCounts.get(status) ?? 0 })),
    byFinding: byFinding.map((f) => ({ code: f.code as FindingCode, devices: f.devices })),
  };
}

/** A page of the fleet's devices by OS, finding, health and online state. */
export async function fleetDevices(ctx: Ctx, query: DevicesQuery): Promise<{ devices: FleetDevice[]; total: number }> {
  const now = ctx.now();
  const filters = {
    platform: query.platform,
    os: query.os,
    osVersion: query.osVersion,
    finding: query.finding,
    health: query.health,
    online: query.online === undefined ? undefined : query.online === 'true',
    onlineSince: onlineSince(now),
  };
  const page = { limit: query.limit, offset: query.offset };
  const [rows, total] = await Promise.all([
    selectFleetDevicePage(ctx.db.kysely, ctx.db.dialect, filters, page),
    countFleetDevices(ctx.db.kysely, filters),
  ]);
  return { devices: rows.map((r) => toFleetDevice(r, now)), total };
}

/**
 * The installed copies of a package across the fleet, within the versions asked for, a page at a
 * time. Every copy of the name comes from the index in one read (at most a few per device), is
 * filtered here and then paged; copies without a version match no version filter.
 */
export async function fleetSoftware(ctx: Ctx, query: SoftwareQuery): Promise<FleetSoftwareResponse> {
  const now = ctx.now();
  const rows = await selectSoftwareByName(ctx.db.kysely, ctx.db.dialect, query.name.toLowerCase());
  const seen = new Set<string>();
  const copies: FleetSoftwareMatch[] = [];
  for (const row of rows) {
    const key = JSON.stringify([row.id, row.name, row.version, row.source]);
    if (seen.has(key)) continue;
    seen.add(key);
    copies.push({ ...toFleetDevice(row, now), name: row.name, version: row.version, source: row.source });
  }
  const { versionBelow, versionAtLeast } = query;
  const matches = copies.filter(
    ({ version }) =>
      (versionBelow === undefined || (version !== null && compareVersions(version, versionBelow) < 0)) &&
      (versionAtLeast === undefined || (version !== null && compareVersions(version, versionAtLeast) >= 0)),
  );
  return {
    matches: matches.slice(query.offset, query.offset + query.limit),
    total: matches.length,
    devices: new Set(matches.map((m) => m.id)).size,
    versions: versionCounts(copies),
  };
}

/** Devices per version, newest first; no version last. */
function versionCounts(copies: readonly FleetSoftwareMatch[]): { version: string | null; devices: number }[] {
  const devicesOf = new Map<string | null, Set<string>>();
  for (const copy of copies) {
    const set = devicesOf.get(copy.version) ?? new Set<string>();
    set.add(copy.id);
    devicesOf.set(copy.version, set);
  }
  return [...devicesOf]
    .map(([version, devices]) => ({ version, devices: devices.size }))
    .sort((a, b) =>
      a.version === null
        ? 1
        : b.version === null
          ? -1
          : compareVersions(b.version, a.version) || (a.version < b.version ? -1 : 1),
    );
}
