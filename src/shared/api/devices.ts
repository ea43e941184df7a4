import { z } from 'zod';
import { text } from '../text/text-schema';
import { findingCodeSchema, findingSchema, severitySchema } from '../health/finding';
import { snapshotSchema } from '../snapshot';
import { snapshotInfoSchema } from './tickets';

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

const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

/** POST /api/v1/snapshots (device): a periodic inventory snapshot without a ticket. */
export const snapshotUploadResponseSchema = z.object({ snapshotId: z.number(), findings: z.array(findingSchema) });

export const osPlatformSchema = z.enum(['linux', 'darwin', 'win32', 'other']);

/** A device as listed in the inventory. */
export const deviceSummarySchema = z.object({
  id: z.string(),
  hostname: z.string(),
  os: z.object({ platform: z.string(), name: z.string().nullable(), version: z.string().nullable() }),
  agentVersion: z.string(),
  lastSeenAt: z.string(),
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
export const snapshotDetailResponseSchema = z.object({ info: snapshotInfoSchema, snapshot: snapshotSchema });

/** GET /api/v1/snapshots/:id/diff?against=: another snapshot id of the same device, or the previous one. */
export const snapshotDiffQuerySchema = z.object({
  against: z
    .union([z.literal('previous'), z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)])
    .default('previous'),
});
