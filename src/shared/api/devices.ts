import { z } from 'zod';
import { ENROLL_SECRET_NAME_MAX } from '../admin-fields';
import { text } from '../text/text-schema';
import { findingCodeSchema, findingSchema, severitySchema } from '../health/finding';
import { SECTION_NAMES, snapshotSchema } from '../snapshot';
import { endpointGroup } from './endpoint';
import { snapshotDiffResponseSchema, snapshotInfoSchema } from './tickets';

/** POST /api/v1/enroll: a device joins with the enrollment secret IT deployed with it. */
export const enrollRequestSchema = z.object({
  enrollSecret: text().min(16).max(200),
  machineId: text().trim().min(8).max(200),
  hostname: text().trim().min(1).max(255),
  os: z.object({
    platform: z.enum(['linux', 'darwin', 'win32', 'other']),
    name: text().max(200).nullable().default(null),
    version: text().max(100).nullable().default(null),
  }),
  agentVersion: text().min(1).max(64),
  groups: z.array(text().trim().min(1).max(64)).max(32).default([]),
});
export type EnrollRequest = z.input<typeof enrollRequestSchema>;

export const enrollResponseSchema = z.object({
  deviceId: z.string(),
  /** Shown once; the server keeps only its hash. */
  deviceToken: z.string(),
  /**
   * The server's command-signing public key (Ed25519, PEM SPKI): the agent pins the first one it gets
   * and verifies every command with it (src/shared/actions/command-signing.ts).
   */
  commandKey: z.string().max(1000),
});

export const healthStatusSchema = z.enum(['healthy', 'warning', 'critical', 'unknown']);

/** POST /api/v1/devices/heartbeat: the agent is alive, with its latest health summary. */
export const heartbeatRequestSchema = z.object({
  agentVersion: text().min(1).max(64),
  health: z.object({
    status: healthStatusSchema,
    findings: z.array(z.object({ code: findingCodeSchema, severity: severitySchema })).max(64),
  }),
});

export const heartbeatResponseSchema = z.object({ serverTime: z.string() });

/*
 * Staff views of the device inventory and snapshot history. Paginated lists take limit/offset and
 * answer with the total, so the console can show page numbers.
 */

/** Largest page of devices or snapshots one request returns. */
export const DEVICE_PAGE_MAX = 200;

const pageQuery = {
  limit: z.coerce.number().int().min(1).max(DEVICE_PAGE_MAX).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

/** POST /api/v1/snapshots (device): a periodic inventory snapshot without a ticket. */
export const snapshotUploadResponseSchema = z.object({ snapshotId: z.number(), findings: z.array(findingSchema) });

/**
 * A periodic inventory that sends only what changed: the snapshot's own fields and its changed sections,
 * and the names of the sections to take unchanged from `base` (a snapshot of this device the server
 * acknowledged). The server stores the whole document, as if it had been sent whole.
 */
export const snapshotDeltaRequestSchema = z.object({
  base: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  unchanged: z.array(z.enum(SECTION_NAMES)).max(SECTION_NAMES.length),
  snapshot: z.unknown(),
});

export const osPlatformSchema = z.enum(['linux', 'darwin', 'win32', 'other']);

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

export const deviceEndpoints = endpointGroup('devices', {
  enroll: {
    summary: 'Enroll a device with an enrollment secret',
    body: enrollRequestSchema,
    responses: { 201: enrollResponseSchema },
    errors: [401],
  },
  deviceChannel: {
    summary: "The device's live channel: a WebSocket (subprotocol deskside.v1) the server pushes on",
    description:
      'GET with `Upgrade: websocket`, the device token as Bearer and the subprotocol `deskside.v1`. Frames are ' +
      'JSON objects declared in src/shared/channel/messages.ts; close codes in src/shared/channel/channel-limits.ts. ' +
      'A plain GET (no upgrade: a proxy that strips it) is answered 426, and the agent falls back to the long poll; ' +
      'over admission control the socket is closed at once with 1013 and the delay to wait (ms) as the reason.',
    responses: { 101: z.unknown().describe('Switching Protocols: the channel is open') },
    errors: [400, 426],
  },
  heartbeat: {
    summary: 'Device heartbeat with health summary',
    body: heartbeatRequestSchema,
    responses: { 200: heartbeatResponseSchema },
  },
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
  uploadSnapshot: {
    summary: 'Upload a periodic inventory snapshot (device)',
    description: 'The body is a snapshot document (snapshotSchema); the same content twice yields the same id.',
    body: z.unknown(),
    responses: { 201: snapshotUploadResponseSchema },
    errors: [413, 422],
  },
  uploadSnapshotDelta: {
    summary: 'Upload a periodic inventory snapshot with only its changed sections (device)',
    description:
      'The sections named in `unchanged` are taken from the `base` snapshot; 409 unknown_base when the base is ' +
      'not a snapshot of this device (the agent then sends the whole snapshot).',
    body: snapshotDeltaRequestSchema,
    responses: { 201: snapshotUploadResponseSchema },
    errors: [409, 413, 422],
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
