import type { DevicesTable } from '../db/schema';
import { precompile } from './precompiled-query';

/*
 * The statements every snapshot (and so every ticket submission) runs, compiled once per database.
 * Semantics are those of the builder code below; see precompiled-query.ts for why.
 */

/** Insert-or-nothing of a snapshot by (device, hash), returning the new id (no row on a duplicate). */
export const insertSnapshotQuery = precompile<
  {
    deviceId: string;
    hash: string;
    data: Buffer;
    rawSize: number;
    collectedAt: number;
    receivedAt: number;
    findings: string;
  },
  { id: number }
>(['deviceId', 'hash', 'data', 'rawSize', 'collectedAt', 'receivedAt', 'findings'], (db, v) =>
  db
    .insertInto('snapshots')
    .values({
      device_id: v.deviceId,
      hash: v.hash,
      data: v.data,
      raw_size: v.rawSize,
      collected_at: v.collectedAt,
      received_at: v.receivedAt,
      findings: v.findings,
    })
    .onConflict((oc) => oc.columns(['device_id', 'hash']).doNothing())
    .returning('id'),
);

type DeviceUpdate = {
  deviceId: string;
  snapshotId: number;
  collectedAt: number;
  healthStatus: DevicesTable['health_status'];
  healthSummary: string;
  agentVersion: string;
};

type DeviceOs = { hostname: string; osName: string; osVersion: string | null };

/**
 * Makes a snapshot the device's latest (and its health the device's health) unless the device's
 * current latest snapshot was collected after it: outboxes deliver out of order.
 */
const deviceUpdate = <P extends DeviceUpdate>(withOs: boolean) =>
  precompile<P, never>(
    [
      'deviceId',
      'snapshotId',
      'collectedAt',
      'healthStatus',
      'healthSummary',
      'agentVersion',
      ...(withOs ? ['hostname', 'osName', 'osVersion'] : []),
    ] as (keyof P & string)[],
    (db, v) =>
      db
        .updateTable('devices')
        .set({
          last_snapshot_id: v.snapshotId,
          health_status: v.healthStatus,
          health_summary: v.healthSummary,
          agent_version: v.agentVersion,
          ...(withOs
            ? {
                hostname: (v as unknown as DeviceOs).hostname,
                os_name: (v as unknown as DeviceOs).osName,
                os_version: (v as unknown as DeviceOs).osVersion,
              }
            : {}),
        })
        .where('id', '=', v.deviceId)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('snapshots as newer')
                .select('newer.id')
                .whereRef('newer.id', '=', 'devices.last_snapshot_id')
                .where('newer.collected_at', '>', v.collectedAt),
            ),
          ),
        ),
  );

/** The device update for a snapshot without an os section. */
export const updateDeviceQuery = deviceUpdate<DeviceUpdate>(false);
/** The device update for a snapshot with an os section: also hostname and OS name/version. */
export const updateDeviceWithOsQuery = deviceUpdate<DeviceUpdate & DeviceOs>(true);
