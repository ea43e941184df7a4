import { z } from 'zod';
import { severitySchema, findingCodeSchema } from '../health/finding';

/** POST /api/v1/enroll: a device joins with the enrollment secret IT deployed with it. */
export const enrollRequestSchema = z.object({
  enrollSecret: z.string().min(16).max(200),
  machineId: z.string().trim().min(8).max(200),
  hostname: z.string().trim().min(1).max(255),
  os: z.object({
    platform: z.enum(['linux', 'darwin', 'win32', 'other']),
    name: z.string().max(200).nullable().default(null),
    version: z.string().max(100).nullable().default(null),
  }),
  agentVersion: z.string().min(1).max(64),
  groups: z.array(z.string().trim().min(1).max(64)).max(32).default([]),
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
  agentVersion: z.string().min(1).max(64),
  health: z.object({
    status: healthStatusSchema,
    findings: z.array(z.object({ code: findingCodeSchema, severity: severitySchema })).max(64),
  }),
});

export const heartbeatResponseSchema = z.object({ serverTime: z.string() });
