import { z } from 'zod';
import { ENROLL_SECRET_NAME_MAX } from '../admin-fields';
import { text } from '../text/text-schema';
import { findingCodeSchema, findingSchema } from '../health/finding';
import { snapshotSchema } from '../snapshot';
import { snapshotChangeSchema } from '../snapshot/diff';
import { endpointGroup } from './endpoint';
import { healthStatusSchema, osPlatformSchema } from './devices';

/*
 * The device inventory as staff see it (OpenAPI tag "devices", beside the device-facing endpoints in
 * devices.ts): devices, their snapshot history and diffs, enrollment secrets. Kept apart from devices.ts
 * so the agent, which calls only the device-facing endpoints, does not build these schemas (nor the
 * snapshot document's, which a staff view answers with).
 */

/** Largest page of devices or snapshots one request returns. */
export const DEVICE_PAGE_MAX = 200;

const pageQuery = {
  limit: z.coerce.number().int().min(1).max(DEVICE_PAGE_MAX).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

export const snapshotInfoSchema = z.object({
  id: z.number(),
  deviceId: z.string(),
  collectedAt: z.string(),
  receivedAt: z.string(),
  rawSize: z.number(),
  findings: z.array(
    z.object({
      code: findingCodeSchema,
      severity: z.enum(['info', 'warning', 'critical']),
      title: z.string(),
      evidence: z.string(),
    }),
  ),
});

export const snapshotDiffResponseSchema = z.object({
  from: z.number(),
  to: z.number(),
  changes: z.array(snapshotChangeSchema),
});

/** A device as listed in the inventory. */
export const deviceSummarySchema = z.object({
  id: z.string(),
  hostname: z.string(),
  os: z.object({ platform: z.string(), name: z.string().nullable(), version: z.string().nullable() }),
  agentVersion: z.string(),
  lastSeenAt: z.string(),
  /** Seen within ONLINE_WINDOW_MS (src/shared/presence.ts) of the server's clock. */
  online: z.boolean(),
  healthStatus: healthStatusSchema,
  openTickets: z.number(),
  lastSnapshotId: z.number().nullable(),
  revoked: z.boolean(),
});
export type DeviceSummary = z.infer<typeof deviceSummarySchema>;

/** GET /api/v1/devices query: hostname search, health and OS filters. */
export const deviceListQuerySchema = z.object({
  q: text().trim().min(1).max(200).optional(),
  health: healthStatusSchema.optional(),
  os: osPlatformSchema.optional(),
  /** Online now (seen within ONLINE_WINDOW_MS) or not. */
  online: z.enum(['true', 'false']).optional(),
  ...pageQuery,
});

export const deviceListResponseSchema = z.object({ devices: z.array(deviceSummarySchema), total: z.number() });

/** GET /api/v1/devices/:id: the device with its latest snapshot and findings. */
export const deviceDetailSchema = deviceSummarySchema.extend({
  machineId: z.string(),
  groups: z.array(z.string()),
  enrolledAt: z.string(),
  lastSnapshot: snapshotInfoSchema.nullable(),
  findings: z.array(findingSchema),
});
export type DeviceDetail = z.infer<typeof deviceDetailSchema>;

/** GET /api/v1/devices/:id/snapshots query. */
export const snapshotHistoryQuerySchema = z.object(pageQuery);

/** GET /api/v1/devices/:id/snapshots: newest first. */
export const snapshotHistoryResponseSchema = z.object({ snapshots: z.array(snapshotInfoSchema), total: z.number() });

/** GET /api/v1/snapshots/:id: the full document with its stored facts. */
/** A "Connect with …" link for a remote-access tool the snapshot reports (src/shared/remote/remote-tool-links.ts). */
export const remoteToolLinkSchema = z.object({
  tool: z.enum(['rustdesk', 'meshcentral']),
  label: z.string(),
  id: z.string().nullable(),
  url: z.string().nullable(),
  note: z.string().nullable(),
});

export const snapshotDetailResponseSchema = z.object({
  info: snapshotInfoSchema,
  snapshot: snapshotSchema,
  /** Links IT allows for the tools in the snapshot's `remoteTools` section; absent from older servers. */
  remoteTools: z.array(remoteToolLinkSchema).optional(),
});

/** GET /api/v1/snapshots/:id/diff?against=: another snapshot id of the same device, or the previous one. */
export const snapshotDiffQuerySchema = z.object({
  against: z
    .union([z.literal('previous'), z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)])
    .default('previous'),
});

/** An enrollment secret as listed: never the secret itself, which is shown once at creation. */
export const enrollSecretInfoSchema = z.object({
  id: z.number(),
  name: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  uses: z.number(),
});
export type EnrollSecretInfo = z.infer<typeof enrollSecretInfoSchema>;

/** POST /api/v1/enroll-secrets (admin). */
export const createEnrollSecretRequestSchema = z.object({ name: text().trim().min(1).max(ENROLL_SECRET_NAME_MAX) });

const idParams = z.object({ id: z.coerce.number().int().positive() });
const deviceParams = z.object({ id: z.uuid() });
const snapshotParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const inventoryEndpoints = endpointGroup('devices', {
  revokeDevice: {
    summary: "Revoke a device's token (admin)",
    params: z.object({ deviceId: z.uuid() }),
    responses: { 204: z.null() },
    errors: [404],
  },
  listEnrollSecrets: {
    summary: 'List enrollment secrets (admin)',
    responses: { 200: z.object({ secrets: z.array(enrollSecretInfoSchema) }) },
  },
  createEnrollSecret: {
    summary: 'Create an enrollment secret (admin); shown once',
    body: createEnrollSecretRequestSchema,
    responses: { 201: z.object({ id: z.number(), secret: z.string() }) },
  },
  deleteEnrollSecret: {
    summary: 'Revoke an enrollment secret (admin)',
    params: idParams,
    responses: { 204: z.null() },
    errors: [404],
  },
  listDevices: {
    summary: 'List devices (inventory)',
    query: deviceListQuerySchema,
    responses: { 200: deviceListResponseSchema },
  },
  getDevice: {
    summary: 'A device with its latest findings',
    params: deviceParams,
    responses: { 200: deviceDetailSchema },
    errors: [404],
  },
  listDeviceSnapshots: {
    summary: "A device's snapshot history, newest first",
    params: deviceParams,
    query: snapshotHistoryQuerySchema,
    responses: { 200: snapshotHistoryResponseSchema },
    errors: [404],
  },
  getSnapshot: {
    summary: 'A full snapshot document',
    params: snapshotParams,
    responses: { 200: snapshotDetailResponseSchema },
    errors: [404],
  },
  diffSnapshot: {
    summary: 'What changed between two snapshots of a device (default: since the previous one)',
    params: snapshotParams,
    query: snapshotDiffQuerySchema,
    responses: { 200: snapshotDiffResponseSchema },
    errors: [404, 422],
  },
});
