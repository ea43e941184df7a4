import { isOnline, onlineSince } from '../../shared/presence';
import type { z } from 'zod';
import type { heartbeatRequestSchema } from '../../shared/api/devices';
import type { DeviceDetail, DeviceSummary, deviceListQuerySchema } from '../../shared/api/inventory';
import type { ServerContext } from '../context';
import { notFound } from '../errors';
import {
  countDevices,
  revokeDeviceToken,
  selectDeviceDetail,
  selectDevicePage,
  updateDeviceHeartbeat,
  type DeviceListRow,
} from './devices.repo';
import { deviceAuthCacheOf } from '../auth/device-auth-cache';
import { selectSnapshotInfo } from './snapshots.repo';
import { toSnapshotInfo } from './snapshots.service';

const iso = (ms: number) => new Date(ms).toISOString();

function toDeviceSummary(row: DeviceListRow, now: number): DeviceSummary {
  return {
    id: row.id,
    hostname: row.hostname,
    os: { platform: row.os_platform, name: row.os_name, version: row.os_version },
    agentVersion: row.agent_version,
    lastSeenAt: iso(row.last_seen_at),
    online: isOnline(row.last_seen_at, row.left_at, now),
    healthStatus: row.health_status,
    openTickets: Number(row.open_tickets ?? 0),
    lastSnapshotId: row.last_snapshot_id,
    revoked: row.token_revoked_at !== null,
  };
}

/** One page of the inventory with the total matching the filters. */
export async function listDevices(
  ctx: Pick<ServerContext, 'db' | 'now'>,
  query: z.output<typeof deviceListQuerySchema>,
): Promise<{ devices: DeviceSummary[]; total: number }> {
  const { q, health, os, online, limit, offset } = query;
  const now = ctx.now();
  const seen = online === undefined ? undefined : { since: onlineSince(now), online: online === 'true' };
  const filters = { q, health, os, ...(seen ? { seen } : {}) };
  const [rows, total] = await Promise.all([
    selectDevicePage(ctx.db.kysely, ctx.db.dialect, filters, { limit, offset }),
    countDevices(ctx.db.kysely, filters),
  ]);
  return { devices: rows.map((row) => toDeviceSummary(row, now)), total };
}

/** A device with its latest snapshot and findings: 404 device_not_found. */
export async function getDevice(ctx: Pick<ServerContext, 'db' | 'now'>, id: string): Promise<DeviceDetail> {
  const device = await selectDeviceDetail(ctx.db.kysely, id);
  if (!device) throw notFound('Device', 'device_not_found');
  const snapshot =
    device.last_snapshot_id === null ? undefined : await selectSnapshotInfo(ctx.db.kysely, device.last_snapshot_id);
  const lastSnapshot = snapshot ? toSnapshotInfo(snapshot) : null;
  return {
    ...toDeviceSummary(device, ctx.now()),
    machineId: device.machine_id,
    groups: JSON.parse(device.groups) as string[],
    enrolledAt: iso(device.enrolled_at),
    lastSnapshot,
    findings: lastSnapshot?.findings ?? [],
  };
}

/**
 * The device is alive. A device's health is that of its latest snapshot, the findings its page lists;
 * the agent's own summary only stands in until a first snapshot arrives (its "unknown" before any check included).
 */
export async function recordHeartbeat(
  ctx: Pick<ServerContext, 'db' | 'now'>,
  deviceId: string,
  body: z.output<typeof heartbeatRequestSchema>,
): Promise<{ serverTime: string }> {
  const now = ctx.now();
  await updateDeviceHeartbeat(ctx.db.kysely, deviceId, {
    at: now,
    agentVersion: body.agentVersion,
    healthStatus: body.health.status,
    healthSummary: JSON.stringify(body.health),
  });
  return { serverTime: new Date(now).toISOString() };
}

/** Revokes a device's token: 404 when there is no such device. */
export async function revokeDevice(ctx: Pick<ServerContext, 'db' | 'now' | 'bus'>, deviceId: string): Promise<void> {
  if (!(await revokeDeviceToken(ctx.db.kysely, deviceId, ctx.now()))) throw notFound('Device');
  // Refused from this process's next request on; the others forget it when the event below arrives.
  deviceAuthCacheOf(ctx.bus).forgetDevice(deviceId);
  // Its live connection, in whichever process holds it, ends now (CLOSE.unauthorized).
  ctx.bus.publish({ kind: 'device-revoked', deviceId });
}
