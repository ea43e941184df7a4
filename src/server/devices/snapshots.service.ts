import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Finding } from '../../shared/health/finding';
import { evaluateHealth } from '../../shared/health/rules';
import { snapshotSchema, type SectionName, type Snapshot } from '../../shared/snapshot';
import { isCanonicalSnapshot } from '../../shared/snapshot/compiled';
import { diffSnapshots, type SnapshotChange } from '../../shared/snapshot/diff';
import { remoteToolLinks, type RemoteToolLink } from '../../shared/remote/remote-tool-links';
import { sanitizeMachineDocument } from '../../shared/text/unsafe-text';
import type { ServerContext } from '../context';
import type { Database, DevicesTable } from '../db/schema';
import { rowsOf, runProgram, type StatementProgram } from '../db/statement-program';
import { conflict, notFound, tooLarge, unprocessable } from '../errors';
import { insertSnapshotQuery, updateDeviceQuery, updateDeviceWithOsQuery } from '../snapshots/snapshots.repo';
import { deviceExists } from './devices.repo';
import { decodeSnapshotBytes, encodeSnapshotData } from './snapshot-codec';
import {
  countSnapshotsOfDevice,
  selectPreviousSnapshotForDiff,
  selectSnapshotData,
  selectSnapshotForDiff,
  snapshotIdByHashQuery,
  selectSnapshotOfDevice,
  selectSnapshotsOfDevice,
  selectSnapshotWithData,
  type SnapshotInfoRow,
} from './snapshots.repo';

/*
 * Snapshots are stored once per device and content: canonical JSON (zod output, so schema key order),
 * hashed with sha256, compressed (snapshot-codec.ts). Reading one back inflates it on the libuv thread pool.
 */

const MAX_ISSUES = 10;

/** A validated snapshot ready to save: everything computed that needs no database. */
export interface PreparedSnapshot {
  snapshot: Snapshot;
  hash: string;
  data: Buffer;
  rawSize: number;
  collectedAt: number;
  findings: Finding[];
}

/** What storing a snapshot yields: its id (an existing one when deduplicated) and its findings. */
export interface StoredSnapshot {
  snapshotId: number;
  findings: Finding[];
}

/** Device health from findings: the worst severity wins; info-only findings are still healthy. */
export function healthStatusOf(findings: readonly Finding[]): DevicesTable['health_status'] {
  if (findings.some((f) => f.severity === 'critical')) return 'critical';
  if (findings.some((f) => f.severity === 'warning')) return 'warning';
  return 'healthy';
}

/** Where a snapshot came from, as far as preparing it is concerned. */
export interface SnapshotSource {
  /**
   * False when the snapshot was parsed from JSON text without `\u` escapes (json-escapes.ts), which
   * cannot hold the characters the repair walk looks for.
   */
  mayHoldUnsafeText: boolean;
  /**
   * The snapshot's own bytes in that text, when they can be located with certainty (json-member-text.ts).
   * A snapshot already in canonical form is stored as these bytes instead of serialising it again: for
   * an agent, which sends JSON.stringify of that form, they are the same bytes.
   */
  sentText?: () => Buffer | null;
}

/**
 * Validates, canonicalizes, hashes, compresses and evaluates a snapshot without touching the database.
 * Callers that hold a transaction should call this first, so compression does not happen inside it.
 */
export async function prepareSnapshot(
  ctx: Pick<ServerContext, 'config'>,
  raw: unknown,
  source: SnapshotSource = { mayHoldUnsafeText: true },
): Promise<PreparedSnapshot> {
  // A machine's document is never refused for odd characters (process or file names): they become U+FFFD.
  const snapshot = validSnapshot(source.mayHoldUnsafeText ? sanitizeMachineDocument(raw) : raw);
  // Parsed from `sentText` unchanged (no repair, already canonical): those bytes are the document.
  const sent = snapshot === raw && !source.mayHoldUnsafeText ? source.sentText?.() : null;
  const canonical = sent ?? Buffer.from(JSON.stringify(snapshot), 'utf8');
  if (canonical.length > ctx.config.snapshotLimitBytes) {
    throw tooLarge(
      'snapshot_too_large',
      `The snapshot is ${canonical.length} bytes; the server accepts at most ${ctx.config.snapshotLimitBytes}`,
    );
  }
  const hash = createHash('sha256').update(canonical).digest('hex');
  const data = encodeSnapshotData(canonical);
  return {
    snapshot,
    hash,
    data,
    rawSize: canonical.length,
    collectedAt: Date.parse(snapshot.collectedAt),
    findings: evaluateHealth(snapshot),
  };
}

/**
 * The snapshot as snapshotSchema outputs it (422 invalid_snapshot naming the first bad path).
 * An agent's snapshot is already in that form, which the compiled check confirms in a fraction of
 * zod's time; the input itself is then the output. Anything else goes through zod.
 */
function validSnapshot(raw: unknown): Snapshot {
  if (isCanonicalSnapshot(raw)) return raw as Snapshot;
  const parsed = snapshotSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, MAX_ISSUES)
    .map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const first = issues[0];
  throw unprocessable(
    'invalid_snapshot',
    `Invalid snapshot: ${first ? `${first.path || '(root)'}: ${first.message}` : 'not a snapshot'}`,
    issues,
  );
}

/**
 * Saves a prepared snapshot for a device, deduplicated by (device, hash), and makes it the device's
 * latest snapshot unless a newer one is already recorded (outboxes deliver out of order).
 */
export async function savePreparedSnapshot(
  ctx: ServerContext,
  deviceId: string,
  prepared: PreparedSnapshot,
  trx?: Transaction<Database>,
): Promise<StoredSnapshot> {
  const snapshotId = await runProgram(trx ?? ctx.db.kysely, snapshotStatements(ctx, deviceId, prepared));
  return { snapshotId, findings: prepared.findings };
}

/** savePreparedSnapshot's statements, returning the snapshot's id: also a part of a ticket submission's program. */
export function* snapshotStatements(
  ctx: ServerContext,
  deviceId: string,
  prepared: PreparedSnapshot,
): StatementProgram<number> {
  const db = ctx.db.kysely;
  // Insert-or-nothing, then read: race-safe on both dialects, unlike select-then-insert.
  const inserted = yield insertSnapshotQuery.compile(ctx.db, db, {
    deviceId,
    hash: prepared.hash,
    data: prepared.data,
    rawSize: prepared.rawSize,
    collectedAt: prepared.collectedAt,
    receivedAt: ctx.now(),
    findings: JSON.stringify(prepared.findings),
  });
  let snapshotId = rowsOf<{ id: number }>(inserted)[0]?.id;
  if (snapshotId === undefined) {
    const existing = rowsOf<{ id: number }>(yield snapshotIdByHashQuery(db, deviceId, prepared.hash).compile())[0];
    if (!existing) throw new Error('The snapshot was neither inserted nor found by its hash');
    snapshotId = existing.id;
  }

  // Also done for a duplicate: without a transaction, a retry then repairs a device update that failed.
  const { os, ...device } = deviceStateOf(prepared);
  const update = { deviceId, snapshotId, collectedAt: prepared.collectedAt, ...device };
  // The fleet index catches up from the stored snapshot, off this path (fleet/fleet-index.service.ts).
  yield os
    ? updateDeviceWithOsQuery.compile(ctx.db, db, { ...update, ...os })
    : updateDeviceQuery.compile(ctx.db, db, update);
  return snapshotId;
}

/** What a snapshot makes of its device when it becomes the latest: health, agent version and (with an os section) host and OS. */
export function deviceStateOf(prepared: PreparedSnapshot): {
  healthStatus: DevicesTable['health_status'];
  healthSummary: string;
  agentVersion: string;
  os: { hostname: string; osName: string; osVersion: string | null } | null;
} {
  const { snapshot, findings } = prepared;
  const os = snapshot.sections.os;
  return {
    healthStatus: healthStatusOf(findings),
    healthSummary: JSON.stringify({
      status: healthStatusOf(findings),
      findings: findings.map((f) => ({ code: f.code, severity: f.severity })),
    }),
    agentVersion: snapshot.agent.version,
    os: os ? { hostname: os.hostname, osName: os.name, osVersion: os.version } : null,
  };
}

/**
 * Validates and stores a snapshot for a device: 422 invalid_snapshot, 413 snapshot_too_large.
 * The same content twice yields the same id. Uses `trx` for every query when given.
 */
export async function storeSnapshot(
  ctx: ServerContext,
  deviceId: string,
  raw: unknown,
  trx?: Transaction<Database>,
): Promise<StoredSnapshot> {
  return savePreparedSnapshot(ctx, deviceId, await prepareSnapshot(ctx, raw), trx);
}

/**
 * A periodic inventory sent as a delta: the snapshot's changed sections plus the named unchanged ones taken
 * from `base`, stored whole (the same document, hash and dedup as a full upload). 409 unknown_base when the
 * base is not this device's; an unchanged section the base does not have is simply absent.
 */
export async function storeSnapshotDelta(
  ctx: ServerContext,
  deviceId: string,
  delta: { base: number; unchanged: SectionName[]; snapshot: unknown },
): Promise<StoredSnapshot> {
  const base = await selectSnapshotOfDevice(ctx.db.kysely, delta.base);
  if (!base || base.device_id !== deviceId)
    throw conflict('unknown_base', `Snapshot ${delta.base} is not a snapshot of this device; send the whole snapshot`);
  const raw = delta.snapshot;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw unprocessable('invalid_snapshot', 'snapshot: expected an object');
  const sent = (raw as { sections?: unknown }).sections;
  const sections =
    typeof sent === 'object' && sent !== null && !Array.isArray(sent) ? (sent as Record<string, unknown>) : {};
  const previous = (await decodeSnapshotData(base.data)).sections as Record<string, unknown>;
  const kept = Object.fromEntries(
    delta.unchanged
      .filter((name) => previous[name] !== undefined && !(name in sections))
      .map((name) => [name, previous[name]]),
  );
  // Validation puts the sections back in schema order: the document and its hash are a full upload's.
  return storeSnapshot(ctx, deviceId, { ...raw, sections: { ...kept, ...sections } });
}

/** Inflates stored snapshot data (on the thread pool). */
export async function decodeSnapshotData(data: Buffer): Promise<Snapshot> {
  // Validated against snapshotSchema when stored; parsing it again would only cost time.
  return JSON.parse((await decodeSnapshotBytes(data)).toString('utf8')) as Snapshot;
}

/** Loads a stored snapshot document, or null when there is no such snapshot. */
export async function loadSnapshot(ctx: Pick<ServerContext, 'db'>, id: number): Promise<Snapshot | null> {
  const data = await selectSnapshotData(ctx.db.kysely, id);
  return data ? decodeSnapshotData(data) : null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const snapshotNotFound = () => notFound('Snapshot', 'snapshot_not_found');

/** A stored snapshot's facts as the API shows them. */
export function toSnapshotInfo(row: SnapshotInfoRow) {
  return {
    id: row.id,
    deviceId: row.device_id,
    collectedAt: iso(row.collected_at),
    receivedAt: iso(row.received_at),
    rawSize: row.raw_size,
    findings: JSON.parse(row.findings) as Finding[],
  };
}

type SnapshotInfo = ReturnType<typeof toSnapshotInfo>;

/** A device's snapshot history, newest first: 404 device_not_found. */
export async function listDeviceSnapshots(
  ctx: Pick<ServerContext, 'db'>,
  deviceId: string,
  page: { limit: number; offset: number },
): Promise<{ snapshots: SnapshotInfo[]; total: number }> {
  const db = ctx.db.kysely;
  if (!(await deviceExists(db, deviceId))) throw notFound('Device', 'device_not_found');
  const [rows, total] = await Promise.all([
    selectSnapshotsOfDevice(db, deviceId, page),
    countSnapshotsOfDevice(db, deviceId),
  ]);
  return { snapshots: rows.map(toSnapshotInfo), total };
}

/**
 * A full snapshot document with its facts and, where it reports RustDesk or a MeshCentral agent, the
 * "Connect with …" links IT's settings allow: 404 snapshot_not_found.
 */
export async function getSnapshot(
  ctx: Pick<ServerContext, 'db' | 'config'>,
  id: number,
): Promise<{ info: SnapshotInfo; snapshot: Snapshot; remoteTools: RemoteToolLink[] }> {
  const row = await selectSnapshotWithData(ctx.db.kysely, id);
  if (!row) throw snapshotNotFound();
  const snapshot = await decodeSnapshotData(row.data);
  const remoteTools = remoteToolLinks(snapshot.sections.remoteTools?.tools ?? [], {
    enabled: ctx.config.remoteToolLinks === 'on',
    meshCentralUrl: ctx.config.meshCentralUrl ?? null,
  });
  return { info: toSnapshotInfo(row), snapshot, remoteTools };
}

/**
 * What changed from `against` (another snapshot of the same device, or the one collected before) to
 * snapshot `id`: 404 snapshot_not_found / no_previous_snapshot, 422 different_devices.
 */
export async function diffSnapshot(
  ctx: Pick<ServerContext, 'db'>,
  id: number,
  against: number | 'previous',
): Promise<{ from: number; to: number; changes: SnapshotChange[] }> {
  const db = ctx.db.kysely;
  const target = await selectSnapshotForDiff(db, id);
  if (!target) throw snapshotNotFound();
  let base;
  if (against === 'previous') {
    // Previous by collection time (ties by id): outboxes may deliver an older snapshot later.
    base = await selectPreviousSnapshotForDiff(db, target);
    if (!base) throw notFound('Previous snapshot of this device', 'no_previous_snapshot');
  } else {
    base = await selectSnapshotForDiff(db, against);
    if (!base) throw snapshotNotFound();
    if (base.device_id !== target.device_id)
      throw unprocessable('different_devices', 'Both snapshots must belong to the same device');
  }
  const [before, after] = await Promise.all([decodeSnapshotData(base.data), decodeSnapshotData(target.data)]);
  return { from: base.id, to: target.id, changes: diffSnapshots(before, after) };
}
