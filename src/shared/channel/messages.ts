import { z } from 'zod';
import { messageSchema } from '../api/tickets';
import { text } from '../text/text-schema';

/*
 * The live channel's message table: every frame either side may send, by type, with its schema. The
 * server (src/server/channel), the agent (src/main/services/channel-client.ts) and the tests take their
 * types and their checks from here; a frame that fails its schema closes the connection (CLOSE.protocolError)
 * and an unknown type closes it with CLOSE.unknownType.
 *
 * A frame is one JSON object, `{ "type": name, ...fields }`, at most CHANNEL_MAX_FRAME_BYTES.
 *
 * Delivery: staff and system messages carry their message id, which is the agent's cursor (the same cursor
 * as the long poll's). The agent says where it is in `hello`, the server sends everything after it, then
 * pushes as it happens, always in id order; the agent acknowledges with `ack`. After a reconnect it resumes
 * from its cursor: nothing is lost, and an id at or below the cursor is never applied twice.
 */

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const cursor = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Frames the server sends to an agent. */
export const downMessages = {
  /** The answer to hello: the connection is live. */
  welcome: z.object({
    deviceId: z.string(),
    /** The server's clock, for the agent's skew estimate. */
    serverTime: z.string(),
    pingIntervalMs: z.number().int().positive(),
  }),
  /** Staff and system messages on this device's tickets after the agent's cursor, oldest first. */
  messages: z.object({ messages: z.array(messageSchema), cursor }),
  /** A ticket's status, priority or assignee changed: refresh it. */
  'ticket.changed': z.object({ ticketId: id }),
  /** Articles or announcements changed: run the content delta sync now. */
  'content.changed': z.object({ kind: z.enum(['articles', 'announcements']) }),
  /** A technician has the ticket open (`present`) and whether they are typing. */
  presence: z.object({
    ticketId: id,
    staff: z.object({ name: z.string() }).nullable(),
    typing: z.boolean(),
  }),
  /** Application-level heartbeat; the agent answers pong with the same t. */
  ping: z.object({ t: z.number() }),
} as const;

/** Frames an agent sends to the server. */
export const upMessages = {
  /** The first frame after the upgrade: where the agent is. Anything else first closes the connection. */
  hello: z.object({ cursor, agentVersion: text().max(64) }),
  /** Messages up to this id arrived (the console shows them as delivered). */
  ack: z.object({ cursor }),
  /** The employee opened the ticket and saw messages up to messageId (the console shows them as read). */
  read: z.object({ ticketId: id, messageId: id }),
  /** The employee is typing a reply on the ticket (sent at most every few seconds while typing). */
  typing: z.object({ ticketId: id }),
  pong: z.object({ t: z.number() }),
} as const;

export type DownType = keyof typeof downMessages;
export type UpType = keyof typeof upMessages;
export type DownMessage<T extends DownType = DownType> = {
  [K in T]: { type: K } & z.infer<(typeof downMessages)[K]>;
}[T];
export type UpMessage<T extends UpType = UpType> = { [K in T]: { type: K } & z.infer<(typeof upMessages)[K]> }[T];

export type ParsedFrame<M> =
  { ok: true; message: M } | { ok: false; reason: 'json' | 'unknown-type' | 'schema'; detail: string };

/** Parses one frame against a table: JSON, a known type, then that type's schema. */
function parseFrame<M>(table: Record<string, z.ZodType>, raw: string): ParsedFrame<M> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'json', detail: 'frame is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: 'json', detail: 'frame is not a JSON object' };
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(table, type))
    return { ok: false, reason: 'unknown-type', detail: `unknown frame type ${JSON.stringify(type)?.slice(0, 40)}` };
  const { type: _type, ...fields } = value as Record<string, unknown>;
  const parsed = table[type]!.safeParse(fields);
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

/** Parses a frame from an agent (the server's side). */
export const parseUpFrame = (raw: string): ParsedFrame<UpMessage> => parseFrame(upMessages, raw);
/** Parses a frame from the server (the agent's side). */
export const parseDownFrame = (raw: string): ParsedFrame<DownMessage> => parseFrame(downMessages, raw);

/** Serialises a frame (the type goes first, for readable logs). */
export function frame<M extends DownMessage | UpMessage>(message: M): string {
  return JSON.stringify(message);
}
