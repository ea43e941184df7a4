import type { Kysely, Transaction } from 'kysely';
import type { Finding } from '../../shared/health/finding';
import type { Snapshot } from '../../shared/snapshot';
import type { ServerContext } from '../context';
import type { Db } from '../db/database';
import type { Database } from '../db/schema';
import { rowsOf, runInTransaction, type StatementProgram } from '../db/statement-program';
import {
  inventoryStateQuery,
  replaceDeviceFindings,
  replaceDeviceSoftware,
  selectDevicesToIndex,
  selectSnapshotForIndex,
  upsertInventoryState,
  type InventoryStateRow,
} from './fleet-index.repo';
import { jobLock } from '../jobs/job-lock';
import { inventoryOf } from './inventory';
import { decodeSnapshotData } from '../devices/snapshots.service';

/*
 * Keeps the fleet index (each device's packages and findings, from its latest snapshot) in step with
 * devices.last_snapshot_id, off the submission path: a job in one server instance finds the devices whose
 * index does not come from their latest snapshot and indexes them from the stored copy. Whoever records a
 * snapshot (a ticket, an inventory upload, any instance) does nothing for the index, and fleet queries lag
 * by at most FLEET_INDEX_INTERVAL_MS. Idempotent: a package list equal to the indexed one is not rewritten.
 */

type Executor = Kysely<Database> | Transaction<Database>;

interface StoredSnapshot {
  snapshot: Snapshot;
  findings: readonly Pick<Finding, 'code' | 'severity'>[];
}

/**
 * Brings a device's fleet index up to its latest snapshot; returns whether anything was written. The stored
 * snapshot is read and unpacked outside any transaction; the writes go in one short transaction (on SQLite
 * with no await inside) that first checks the device is still as read.
 */
async function syncDeviceInventory(db: Db, deviceId: string): Promise<boolean> {
  const state = await inventoryStateQuery(db.kysely, db.dialect, deviceId, false).executeTakeFirst();
  const latest = state?.last_snapshot_id ?? null;
  if (!state || latest === null || state.snapshot_id === latest) return false;
  const source = await storedSnapshot(db.kysely, latest);
  if (!source) return false;
  const inventory = inventoryOf(source.snapshot, source.findings);
  return runInTransaction(db, () => indexStatements(db, deviceId, state, latest, inventory));
}

function* indexStatements(
  db: Db,
  deviceId: string,
  read: InventoryStateRow,
  latest: number,
  inventory: ReturnType<typeof inventoryOf>,
): StatementProgram<boolean> {
  const q = db.kysely;
  const state = rowsOf<InventoryStateRow>(yield inventoryStateQuery(q, db.dialect, deviceId, true).compile())[0];
  // A newer snapshot came, or another instance indexed it meanwhile: a later pass starts from what is there.
  if (!state || state.last_snapshot_id !== latest || state.snapshot_id !== read.snapshot_id) return false;
  if (state.software_hash !== inventory.softwareHash) yield* replaceDeviceSoftware(q, deviceId, inventory.software);
  if (state.findings_hash !== inventory.findingsHash) yield* replaceDeviceFindings(q, deviceId, inventory.findings);
  yield upsertInventoryState(q, {
    deviceId,
    snapshotId: latest,
    softwareHash: inventory.softwareHash,
    findingsHash: inventory.findingsHash,
  });
  return true;
}

async function storedSnapshot(db: Executor, snapshotId: number): Promise<StoredSnapshot | null> {
  const row = await selectSnapshotForIndex(db, snapshotId);
  if (!row) return null;
  // Validated against the snapshot schema when stored.
  const snapshot = await decodeSnapshotData(row.data);
  return { snapshot, findings: JSON.parse(row.findings) as Finding[] };
}

const BATCH = 100;

/**
 * Indexes every device whose index does not come from its latest snapshot: the devices that got a new
 * latest snapshot since the last pass (from a ticket, an inventory upload, any server instance), and after
 * the migration that added the index, every device that had one. One device per short transaction; each
 * snapshot is read back from storage, so submissions pay nothing for the index.
 */
export async function catchUpFleetIndex(db: Db): Promise<number> {
  let indexed = 0;
  let after = '';
  for (;;) {
    const ids = await selectDevicesToIndex(db.kysely, after, BATCH);
    for (const id of ids) {
      if (await syncDeviceInventory(db, id)) indexed++;
    }
    const last = ids.at(-1);
    if (last === undefined || ids.length < BATCH) return indexed;
    after = last;
  }
}

/** How often the index catches up with new snapshots: fleet queries lag submissions by at most this. */
export const FLEET_INDEX_INTERVAL_MS = 10_000;

/**
 * Keeps the fleet index current in the one server instance holding the job (jobs/job-lock.ts): a pass at
 * once (the backfill after an upgrade), then every `intervalMs`. Returns a stop function.
 */
export function startFleetIndexJob(ctx: ServerContext, intervalMs = FLEET_INDEX_INTERVAL_MS): () => Promise<void> {
  const lock = jobLock(ctx.db, 'fleet-index', (err) => ctx.log.warn({ err }, 'fleet index job lock: connection lost'));
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let stopped = false;
  const pass = async () => {
    try {
      if (!(await lock.held())) return;
      const indexed = await catchUpFleetIndex(ctx.db);
      if (indexed > 0) ctx.log.debug({ devices: indexed }, 'fleet index: indexed new latest snapshots');
    } catch (err) {
      ctx.log.error({ err }, 'fleet index pass failed');
    }
  };
  const run = () => {
    running = pass().finally(() => {
      running = null;
      if (!stopped) timer = setTimeout(run, intervalMs).unref();
    });
  };
  run();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
    await lock.release();
  };
}
