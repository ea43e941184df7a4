import { z } from 'zod';
import { text } from '../text/text-schema';
import { findingCodeSchema, findingSchema, severitySchema } from '../health/finding';
import { SECTION_NAMES } from '../snapshot/section-names';
import { endpointGroup } from './endpoint';

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

/** The operating systems a device reports (its `os.platform`). */
export const osPlatformSchema = z.enum(['linux', 'darwin', 'win32', 'other']);

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
});
