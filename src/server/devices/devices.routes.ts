import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import { z } from 'zod';
import {
  deviceDetailSchema,
  deviceListQuerySchema,
  deviceListResponseSchema,
  snapshotDetailResponseSchema,
  snapshotDiffQuerySchema,
  snapshotHistoryQuerySchema,
  snapshotHistoryResponseSchema,
  snapshotUploadResponseSchema,
  type DeviceDetail,
  type DeviceSummary,
} from '../../shared/api/devices';
import { apiErrorSchema } from '../../shared/api/errors';
import { snapshotDiffResponseSchema } from '../../shared/api/tickets';
import type { Finding } from '../../shared/health/finding';
import { diffSnapshots } from '../../shared/snapshot/diff';
import { deviceOf, requireDevice, requireStaff } from '../auth/guards';
import type { ServerContext } from '../context';
import type { Database, DevicesTable, SnapshotsTable } from '../db/schema';
import { notFound, unprocessable } from '../errors';
import type { App } from '../http/types';
import { decodeSnapshotData, storeSnapshot } from './snapshot-store';

const OPEN_STATUSES = ['new', 'open', 'pending'] as const;
const deviceParams = z.object({ id: z.uuid() });
const snapshotParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 404: apiErrorSchema };

const iso = (ms: number) => new Date(ms).toISOString();
const deviceNotFound = () => notFound('Device', 'device_not_found');
const snapshotNotFound = () => notFound('Snapshot', 'snapshot_not_found');

type InfoRow = Pick<
  Selectable<SnapshotsTable>,
  'id' | 'device_id' | 'collected_at' | 'received_at' | 'raw_size' | 'findings'
>;
const INFO_COLUMNS = ['id', 'device_id', 'collected_at', 'received_at', 'raw_size', 'findings'] as const;

/** A stored snapshot's facts as the API shows them. */
function toSnapshotInfo(row: InfoRow) {
  return {
    id: row.id,
    deviceId: row.device_id,
    collectedAt: iso(row.collected_at),
    receivedAt: iso(row.received_at),
    rawSize: row.raw_size,
    findings: JSON.parse(row.findings) as Finding[],
  };
}

type DeviceRow = Pick<
  Selectable<DevicesTable>,
  | 'id'
  | 'hostname'
  | 'os_platform'
  | 'os_name'
  | 'os_version'
  | 'agent_version'
  | 'last_seen_at'
  | 'health_status'
  | 'last_snapshot_id'
  | 'token_revoked_at'
> & {
  open_tickets: number | string | null;
};

function toDeviceSummary(row: DeviceRow): DeviceSummary {
  return {
    id: row.id,
    hostname: row.hostname,
    os: { platform: row.os_platform, name: row.os_name, version: row.os_version },
    agentVersion: row.agent_version,
    lastSeenAt: iso(row.last_seen_at),
    healthStatus: row.health_status,
    openTickets: Number(row.open_tickets ?? 0),
    lastSnapshotId: row.last_snapshot_id,
    revoked: row.token_revoked_at !== null,
  };
}

/** LIKE pattern matching `text` anywhere, with the wildcards in it taken literally (escape '!'). */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, '!$&')}%`;
}

/** Device inventory, periodic snapshots, snapshot history and diffs. */
export async function deviceRoutes(app: App, ctx: ServerContext): Promise<void> {
  const db = ctx.db.kysely;

  /** Devices with their open-ticket count, for the list and the detail page. */
  const selectDevices = () =>
    db
      .selectFrom('devices')
      .select([
        'id',
        'hostname',
        'os_platform',
        'os_name',
        'os_version',
        'agent_version',
        'last_seen_at',
        'health_status',
        'last_snapshot_id',
        'token_revoked_at',
      ])
      .select((eb) =>
        eb
          .selectFrom('tickets')
          .select((t) => t.fn.countAll<number>().as('n'))
          .whereRef('tickets.device_id', '=', 'devices.id')
          .where('tickets.status', 'in', OPEN_STATUSES)
          .as('open_tickets'),
      );

  // Case-insensitive, in code-point order: PostgreSQL's locale collation would otherwise order differently from SQLite.
  const hostnameOrder = ctx.db.dialect === 'postgres' ? sql`lower(hostname) collate "C"` : sql`lower(hostname)`;
  const snapshotInfoRow = (id: number) =>
    db.selectFrom('snapshots').select(INFO_COLUMNS).where('id', '=', id).executeTakeFirst();

  app.post(
    '/api/v1/snapshots',
    {
      onRequest: requireDevice(ctx),
      schema: {
        tags: ['devices'],
        summary: 'Upload a periodic inventory snapshot (device)',
        description: 'The body is a snapshot document (snapshotSchema); the same content twice yields the same id.',
        security: [{ device: [] }],
        body: z.unknown(),
        response: { 201: snapshotUploadResponseSchema, 401: apiErrorSchema, 413: apiErrorSchema, 422: apiErrorSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await storeSnapshot(ctx, deviceOf(request).id, request.body)),
  );

  app.get(
    '/api/v1/devices',
    {
      onRequest: requireStaff(ctx),
      schema: {
        tags: ['devices'],
        summary: 'List devices (inventory)',
        security: [{ staff: [] }],
        querystring: deviceListQuerySchema,
        response: { 200: deviceListResponseSchema, 400: apiErrorSchema, 401: apiErrorSchema },
      },
    },
    async (request) => {
      const { q, health, os, limit, offset } = request.query;
      const filters = (eb: ExpressionBuilder<Database, 'devices'>) =>
        eb.and([
          ...(q ? [sql<boolean>`lower(hostname) like ${containsPattern(q)} escape '!'`] : []),
          ...(health ? [eb('health_status', '=', health)] : []),
          ...(os ? [eb('os_platform', '=', os)] : []),
        ]);
      const [rows, count] = await Promise.all([
        selectDevices().where(filters).orderBy(hostnameOrder).orderBy('id').limit(limit).offset(offset).execute(),
        db
          .selectFrom('devices')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where(filters)
          .executeTakeFirstOrThrow(),
      ]);
      return { devices: rows.map(toDeviceSummary), total: Number(count.n) };
    },
  );

  app.get(
    '/api/v1/devices/:id',
    {
      onRequest: requireStaff(ctx),
      schema: {
        tags: ['devices'],
        summary: 'A device with its latest findings',
        security: [{ staff: [] }],
        params: deviceParams,
        response: { 200: deviceDetailSchema, ...errors },
      },
    },
    async (request): Promise<DeviceDetail> => {
      const device = await selectDevices()
        .select(['machine_id', 'groups', 'enrolled_at'])
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!device) throw deviceNotFound();
      const snapshot = device.last_snapshot_id === null ? undefined : await snapshotInfoRow(device.last_snapshot_id);
      const lastSnapshot = snapshot ? toSnapshotInfo(snapshot) : null;
      return {
        ...toDeviceSummary(device),
        machineId: device.machine_id,
        groups: JSON.parse(device.groups) as string[],
        enrolledAt: iso(device.enrolled_at),
        lastSnapshot,
        findings: lastSnapshot?.findings ?? [],
      };
    },
  );

  app.get(
    '/api/v1/devices/:id/snapshots',
    {
      onRequest: requireStaff(ctx),
      schema: {
        tags: ['devices'],
        summary: "A device's snapshot history, newest first",
        security: [{ staff: [] }],
        params: deviceParams,
        querystring: snapshotHistoryQuerySchema,
        response: { 200: snapshotHistoryResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { limit, offset } = request.query;
      const device = await db.selectFrom('devices').select('id').where('id', '=', id).executeTakeFirst();
      if (!device) throw deviceNotFound();
      const [rows, count] = await Promise.all([
        db
          .selectFrom('snapshots')
          .select(INFO_COLUMNS)
          .where('device_id', '=', id)
          .orderBy('collected_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .offset(offset)
          .execute(),
        db
          .selectFrom('snapshots')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('device_id', '=', id)
          .executeTakeFirstOrThrow(),
      ]);
      return { snapshots: rows.map(toSnapshotInfo), total: Number(count.n) };
    },
  );

  app.get(
    '/api/v1/snapshots/:id',
    {
      onRequest: requireStaff(ctx),
      schema: {
        tags: ['devices'],
        summary: 'A full snapshot document',
        security: [{ staff: [] }],
        params: snapshotParams,
        response: { 200: snapshotDetailResponseSchema, ...errors },
      },
    },
    async (request) => {
      const row = await db
        .selectFrom('snapshots')
        .select([...INFO_COLUMNS, 'data'])
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!row) throw snapshotNotFound();
      return { info: toSnapshotInfo(row), snapshot: await decodeSnapshotData(row.data) };
    },
  );

  app.get(
    '/api/v1/snapshots/:id/diff',
    {
      onRequest: requireStaff(ctx),
      schema: {
        tags: ['devices'],
        summary: 'What changed between two snapshots of a device (default: since the previous one)',
        security: [{ staff: [] }],
        params: snapshotParams,
        querystring: snapshotDiffQuerySchema,
        response: { 200: snapshotDiffResponseSchema, ...errors, 422: apiErrorSchema },
      },
    },
    async (request) => {
      const columns = ['id', 'device_id', 'collected_at', 'data'] as const;
      const target = await db
        .selectFrom('snapshots')
        .select(columns)
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!target) throw snapshotNotFound();
      const { against } = request.query;
      let base;
      if (against === 'previous') {
        // Previous by collection time (ties by id): outboxes may deliver an older snapshot later.
        base = await db
          .selectFrom('snapshots')
          .select(columns)
          .where('device_id', '=', target.device_id)
          .where((eb) =>
            eb.or([
              eb('collected_at', '<', target.collected_at),
              eb.and([eb('collected_at', '=', target.collected_at), eb('id', '<', target.id)]),
            ]),
          )
          .orderBy('collected_at', 'desc')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (!base) throw notFound('Previous snapshot of this device', 'no_previous_snapshot');
      } else {
        base = await db.selectFrom('snapshots').select(columns).where('id', '=', against).executeTakeFirst();
        if (!base) throw snapshotNotFound();
        if (base.device_id !== target.device_id)
          throw unprocessable('different_devices', 'Both snapshots must belong to the same device');
      }
      const [before, after] = await Promise.all([decodeSnapshotData(base.data), decodeSnapshotData(target.data)]);
      return { from: base.id, to: target.id, changes: diffSnapshots(before, after) };
    },
  );
}
