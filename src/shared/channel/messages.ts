import { z } from 'zod';
import { messageSchema } from '../api/tickets';
import { COMMAND_REASON_MAX } from '../actions/command-status';
import { text } from '../text/text-schema';
import {
  COMMAND_ERROR_MAX,
  COMMAND_OUTPUT_CHUNK_MAX,
  COMMAND_RESULT_FIELDS_MAX,
  COMMAND_RESULT_OUTPUT_MAX,
} from './channel-limits';
import { REMOTE_VNC_PASSWORD_MAX } from '../remote/remote-limits';
import { shareToConsoleSignalSchema, shareToDeviceSignalSchema } from '../remote/share-signals';
import { netBatchSchema, netmonConfigSchema } from '../netmon/netmon';

/*
 * The live channel's message table: every frame either side may send, by type, with its schema. The
 * server (src/server/channel), the agent (src/main/services/channel-client.ts) and the tests take their
 * types and their checks from here; a frame that fails its schema closes the connection (CLOSE.protocolError).
 * An unknown type sent up closes it with CLOSE.unknownType (the server is never older than its agents); an
 * unknown type sent down is ignored by the agent (a newer server may speak to an older agent), and the
 * server sends optional features' frames only to agents whose `hello` lists them.
 *
 * A frame is one JSON object, `{ "type": name, ...fields }`, at most CHANNEL_MAX_FRAME_BYTES.
 *
 * Delivery: staff and system messages carry their message id, which is the agent's cursor (the same cursor
 * as the long poll's). The agent says where it is in `hello`, the server sends everything after it, then
 * pushes as it happens, always in id order; the agent acknowledges with `ack`. After a reconnect it resumes
 * from its cursor: nothing is lost, and an id at or below the cursor is never applied twice.
 */

/*
 * Each table entry is a builder, run on the first frame of its type (parseFrame) and kept: an idle agent
 * receives a handful of types (welcome, ping, netmon's), so it builds their schemas and not the other
 * thirty. The shared pieces below are builders too, for the same reason.
 */
const id = () => z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const cursor = () => z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const commandId = () => z.uuid();

/*
 * Remote commands: the server sends each queued command of the device as `command` (the signed command
 * as stored: the agent verifies the envelope exactly as it arrives, src/shared/actions/command-signing.ts,
 * so its schema here only checks the shape); the agent answers with `command.update` as the command moves
 * (waiting for consent, running with whose consent, denied, refused with the reason, or expired unanswered),
 * `command.output` chunks while it runs, and one `command.result`. The server applies them only to the
 * device's own commands and only along src/shared/actions/command-status.ts.
 */
const signedCommandFrame = () =>
  z.object({
    envelope: z.record(z.string(), z.unknown()),
    signature: z.string().max(200),
  });
const consentSchema = () =>
  z.strictObject({
    /** The employee allowed (running) or denied it, or IT's policy ran it unattended. */
    by: z.enum(['employee', 'policy']),
    /** The employee's name as the agent knows it. */
    name: text().trim().min(1).max(200).optional(),
    /** A remote control session: the employee also answered the second question IT's policy asks for control. */
    confirmedControl: z.literal(true).optional(),
  });
export type CommandConsent = z.infer<ReturnType<typeof consentSchema>>;
const resultFields = () =>
  z
    .record(z.string().max(100), z.unknown())
    .refine((fields) => JSON.stringify(fields).length <= COMMAND_RESULT_FIELDS_MAX, {
      message: `must be at most ${COMMAND_RESULT_FIELDS_MAX} characters as JSON`,
    });

/** Frames the server sends to an agent. */
export const downMessages = {
  /** The answer to hello: the connection is live. */
  welcome: () =>
    z.object({
      deviceId: z.string(),
      /** The server's clock, for the agent's skew estimate. */
      serverTime: z.string(),
      pingIntervalMs: z.number().int().positive(),
    }),
  /** Staff and system messages on this device's tickets after the agent's cursor, oldest first. */
  messages: () => z.object({ messages: z.array(messageSchema), cursor: cursor() }),
  /** A ticket's status, priority or assignee changed: refresh it. */
  'ticket.changed': () => z.object({ ticketId: id() }),
  /** Articles or announcements changed: run the content delta sync now. */
  'content.changed': () => z.object({ kind: z.enum(['articles', 'announcements']) }),
  /** A technician has the ticket open (`present`) and whether they are typing. */
  presence: () =>
    z.object({
      ticketId: id(),
      staff: z.object({ name: z.string() }).nullable(),
      typing: z.boolean(),
    }),
  /**
   * A command for this device to verify, ask consent for (per policy) and run. Sent again on the device's
   * next hello until the device answers it (its first command.update or its result is the
   * acknowledgement): the agent runs a command once whatever it is sent, and answers a repeat with the
   * frame that ended it.
   */
  command: () =>
    z.object({
      command: signedCommandFrame(),
      /**
       * Not sent any more: the reason is in the signed envelope. An agent refuses a command whose reason
       * here differs from the signed one.
       */
      reason: text().max(COMMAND_REASON_MAX).optional(),
    }),
  /** Application-level heartbeat; the agent answers pong with the same t. */
  ping: () => z.object({ t: z.number() }),
  /**
   * A remote-control session request (src/shared/remote/remote-signing.ts): the agent verifies it, asks
   * consent (per policy), starts or uses its VNC server and opens its tunnel.
   */
  'remote.request': () =>
    z.object({
      request: signedCommandFrame(),
      /** The technician's reason, outside the signature: the consent prompt shows it. */
      reason: text().max(COMMAND_REASON_MAX).optional(),
    }),
  /** The session ended on the server's side (a technician stopped it, a timeout): stop the VNC server. */
  'remote.stop': () => z.object({ sessionId: commandId(), reason: text().max(COMMAND_ERROR_MAX) }),
  /**
   * A screen-share session's signaling (src/shared/remote/share-signals.ts): the server's `start` once the
   * technician's console is there (with the ICE servers), then the console's answer and ICE candidates.
   */
  'share.signal': () => z.object({ sessionId: commandId(), signal: shareToDeviceSignalSchema }),
  /** Network monitoring's probe plan (src/shared/netmon): sent after welcome and again whenever IT changes it. */
  'netmon.config': () => z.object({ config: netmonConfigSchema }),
  /** A `netmon.batch` was stored (or was a repeat of one already stored): the agent drops it from its queue. */
  'netmon.ack': () => z.object({ batchId: z.uuid() }),
  /** A technician asked for a bandwidth test now: the agent runs one (trigger `request`) and sends it in a batch. */
  'netmon.measure': () => z.object({ requestedAt: z.number().int().nonnegative() }),
} as const;

/** Frames an agent sends to the server. */
export const upMessages = {
  /** The first frame after the upgrade: where the agent is. Anything else first closes the connection. */
  hello: () =>
    z.object({
      cursor: cursor(),
      agentVersion: text().max(64),
      /**
       * What this agent understands beyond the base protocol (AGENT_FEATURES): the server sends a feature's
       * frames only to agents that name it, so an agent from before a feature keeps its channel. Free text,
       * so that a newer agent's names do not fail an older server's check.
       */
      features: z.array(text().max(32)).max(32).optional(),
    }),
  /** Messages up to this id arrived (the console shows them as delivered). */
  ack: () => z.object({ cursor: cursor() }),
  /** The employee opened the ticket and saw messages up to messageId (the console shows them as read). */
  read: () => z.object({ ticketId: id(), messageId: id() }),
  /** The employee is typing a reply on the ticket (sent at most every few seconds while typing). */
  typing: () => z.object({ ticketId: id() }),
  pong: () => z.object({ t: z.number() }),
  /**
   * A command moved: waiting for the employee, running (with whose consent), denied, refused (why), or
   * expired (the consent prompt had no answer before the command's expiry: nobody's consent, a reason).
   */
  'command.update': () =>
    z
      .object({
        commandId: commandId(),
        status: z.enum(['awaiting-consent', 'running', 'denied', 'refused', 'expired']),
        reason: text().max(COMMAND_ERROR_MAX).optional(),
        consent: consentSchema().optional(),
      })
      .refine((u) => (u.status !== 'running' && u.status !== 'denied') || u.consent !== undefined, {
        message: 'running and denied say whose consent (the employee, or policy)',
        path: ['consent'],
      })
      .refine((u) => u.status !== 'refused' || (u.reason ?? '').length > 0, {
        message: 'refused says why',
        path: ['reason'],
      })
      .refine((u) => u.status !== 'expired' || ((u.reason ?? '').length > 0 && u.consent === undefined), {
        message: 'expired says why and names no one',
        path: ['consent'],
      }),
  /** Output of a running command so far (progress for the console), in order. */
  'command.output': () => z.object({ commandId: commandId(), chunk: text().max(COMMAND_OUTPUT_CHUNK_MAX) }),
  /** The command ended: its structured fields, raw output (capped), exit code, duration and error. */
  'command.result': () =>
    z.object({
      commandId: commandId(),
      ok: z.boolean(),
      exitCode: z.number().int().min(-2_147_483_648).max(4_294_967_295).nullable(),
      durationMs: z
        .number()
        .int()
        .nonnegative()
        .max(24 * 3_600_000),
      fields: resultFields(),
      output: text().max(COMMAND_RESULT_OUTPUT_MAX),
      error: text().max(COMMAND_ERROR_MAX).nullable(),
    }),
  /**
   * A remote session moved on the device: waiting for the employee, accepted (with whose consent, and the
   * one-time password of the local VNC server the console will need), denied, refused (why), or ended.
   */
  'remote.update': () =>
    z
      .object({
        sessionId: commandId(),
        status: z.enum(['awaiting-consent', 'accepted', 'denied', 'refused', 'ended']),
        reason: text().max(COMMAND_ERROR_MAX).optional(),
        consent: consentSchema().optional(),
        vncPassword: z.string().min(1).max(REMOTE_VNC_PASSWORD_MAX).optional(),
        /** Who ended it on the device: the employee (the window's Stop); absent for anything else. */
        endedBy: z.enum(['employee']).optional(),
      })
      .refine((u) => (u.status !== 'accepted' && u.status !== 'denied') || u.consent !== undefined, {
        message: 'accepted and denied say whose consent (the employee, or policy)',
        path: ['consent'],
      })
      .refine((u) => u.status !== 'refused' || (u.reason ?? '').length > 0, {
        message: 'refused says why',
        path: ['reason'],
      })
      .refine((u) => u.status === 'accepted' || u.vncPassword === undefined, {
        message: 'only accepted carries the VNC password',
        path: ['vncPassword'],
      }),
  /** A screen-share session's signaling from the sharing window: its offer and ICE candidates, for the console. */
  'share.signal': () => z.object({ sessionId: commandId(), signal: shareToConsoleSignalSchema }),
  /**
   * Network monitoring results (src/shared/netmon/netmon.ts): samples per target, link reports, bandwidth
   * tests, measured on the server's clock; sent after each cycle and, after an outage, the queued ones in
   * order. The server answers `netmon.ack` once stored; an unacknowledged batch is sent again (same id).
   */
  'netmon.batch': () => netBatchSchema,
} as const;

export type DownType = keyof typeof downMessages;
export type UpType = keyof typeof upMessages;
export type DownMessage<T extends DownType = DownType> = {
  [K in T]: { type: K } & z.infer<ReturnType<(typeof downMessages)[K]>>;
}[T];
export type UpMessage<T extends UpType = UpType> = {
  [K in T]: { type: K } & z.infer<ReturnType<(typeof upMessages)[K]>>;
}[T];

export type ParsedFrame<M> =
  { ok: true; message: M } | { ok: false; reason: 'json' | 'unknown-type' | 'schema'; detail: string };

/** A table's schema for a type, built on its first use and kept; null for a type the table does not have. */
function schemasOf(table: Record<string, () => z.ZodType>): (type: string) => z.ZodType | null {
  const built = new Map<string, z.ZodType>();
  return (type) => {
    if (!Object.hasOwn(table, type)) return null;
    let schema = built.get(type);
    if (!schema) built.set(type, (schema = table[type]!()));
    return schema;
  };
}

/** Parses one frame against a table: JSON, a known type, then that type's schema. */
function parseFrame<M>(schemaOf: (type: string) => z.ZodType | null, raw: string): ParsedFrame<M> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'json', detail: 'frame is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: 'json', detail: 'frame is not a JSON object' };
  const type = (value as { type?: unknown }).type;
  const schema = typeof type === 'string' ? schemaOf(type) : null;
  if (typeof type !== 'string' || !schema)
    return { ok: false, reason: 'unknown-type', detail: `unknown frame type ${JSON.stringify(type)?.slice(0, 40)}` };
  const { type: _type, ...fields } = value as Record<string, unknown>;
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: 'schema',
      detail: `${type}: ${issue?.path.join('.') || 'frame'} ${issue?.message ?? 'is invalid'}`,
    };
  }
  return { ok: true, message: { type, ...(parsed.data as object) } as M };
}

const upSchema = schemasOf(upMessages);
const downSchema = schemasOf(downMessages);
/** Parses a frame from an agent (the server's side). */
export const parseUpFrame = (raw: string): ParsedFrame<UpMessage> => parseFrame(upSchema, raw);
/** Parses a frame from the server (the agent's side). */
export const parseDownFrame = (raw: string): ParsedFrame<DownMessage> => parseFrame(downSchema, raw);

/** Serialises a frame (the type goes first, for readable logs). */
export function frame<M extends DownMessage | UpMessage>(message: M): string {
  return JSON.stringify(message);
}
