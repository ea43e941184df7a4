import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Kysely, Transaction } from 'kysely';
import type { Finding } from '../../shared/health/finding';
import type { Snapshot } from '../../shared/snapshot';
import type { Db } from '../db/database';
import type { Database } from '../db/schema';
import {
  replaceDeviceFindings,
  replaceDeviceSoftware,
  selectDevicesToIndex,
  selectInventoryState,
  selectSnapshotForIndex,
  upsertInventoryState,
} from './fleet-index.repo';
import { inventoryOf } from './inventory';

/*
 * Keeps the fleet index (each device's packages and findings, from its latest snapshot) in step with
 * devices.last_snapshot_id. It runs in the transaction that records a new latest snapshot: the
 * snapshot upload's device update (src/server/snapshots/snapshots.repo.ts) and the ticket submission
 * (src/server/tickets/ticket-create.service.ts; on PostgreSQL's one-statement path the statement itself
 * writes the index, src/server/snapshots/submission-statement.repo.ts). It is idempotent: a device whose
 * index already comes from its latest snapshot costs one read, and a package list equal to the indexed
 * one is not rewritten.
 */

const gunzipAsync = promisify(gunzip);

type Executor = Kysely<Database> | Transaction<Database>;

/** A snapshot the caller already holds, so indexing it needs no decompression. */
export interface KnownSnapshot {
  snapshotId: number;
  snapshot: Snapshot;
  findings: readonly Pick<Finding, 'code' | 'severity'>[];
}

/**
 * Brings a device's fleet index up to its latest snapshot, within `db` (a transaction: the rows and
 * the device update commit together). Returns whether anything was written.
 */
export async function syncDeviceInventory(
  db: Db,
  trx: Executor,
  deviceId: string,
  known?: KnownSnapshot,
): Promise<boolean> {
  const state = await selectInventoryState(trx, db.dialect, deviceId, true);
  const latest = state?.last_snapshot_id ?? null;
  if (!state || latest === null || state.snapshot_id === latest) return false;
  const source = known?.snapshotId === latest ? known : await storedSnapshot(trx, latest);
  if (!source) return false;
  const inventory = inventoryOf(source.snapshot, source.findings);
  if (state.software_hash !== inventory.softwareHash) await replaceDeviceSoftware(trx, deviceId, inventory.software);
  if (state.findings_hash !== inventory.findingsHash) await replaceDeviceFindings(trx, deviceId, inventory.findings);
  await upsertInventoryState(trx, {
    deviceId,
    snapshotId: latest,
    softwareHash: inventory.softwareHash,
    findingsHash: inventory.findingsHash,
  });
  return true;
}

async function storedSnapshot(db: Executor, snapshotId: number): Promise<KnownSnapshot | null> {
  const row = await selectSnapshotForIndex(db, snapshotId);
  if (!row) return null;
  // Validated against the snapshot schema when stored.
  const snapshot = JSON.parse((await gunzipAsync(row.data)).toString('utf8')) as Snapshot;
  return { snapshotId, snapshot, findings: JSON.parse(row.findings) as Finding[] };
}

const BATCH = 100;

/**
 * Indexes every device whose index does not come from its latest snapshot: after the migration that
 * added the index, the devices that already had snapshots. Run at start; a few devices per transaction.
 */
export async function backfillFleetIndex(db: Db): Promise<number> {
  let indexed = 0;
  let after = '';
  for (;;) {
    const ids = await selectDevicesToIndex(db.kysely, after, BATCH);
    for (const id of ids) {
      if (await db.kysely.transaction().execute((trx) => syncDeviceInventory(db, trx, id))) indexed++;
    }
    const last = ids.at(-1);
    if (last === undefined || ids.length < BATCH) return indexed;
    after = last;
  }
}
