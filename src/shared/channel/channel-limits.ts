/*
 * The live channel's constants, zod-free so small bundles (the console, the agent's lean paths) can read
 * them. Every number the server and the agent must agree on is here and nowhere else.
 */

import { ROUTES } from '../api/endpoint-routes';

/** The WebSocket path: the HTTP endpoint table's `deviceChannel` (its GET upgrades). */
export const CHANNEL_PATH = ROUTES.deviceChannel.path;

/** The subprotocol both sides speak; a client that offers none or another is refused at upgrade. */
export const CHANNEL_PROTOCOL = 'deskside.v1';

/** Largest frame the server accepts from an agent, in bytes; a bigger one closes the connection (1009). */
export const CHANNEL_MAX_FRAME_BYTES = 64 * 1024;

/**
 * Largest frame the agent accepts from the server. Bigger than the agent's own: a `messages` frame carries
 * up to a page of replies (each up to 20,000 characters); the server splits a page so no frame exceeds it.
 */
export const CHANNEL_MAX_DOWN_FRAME_BYTES = 1024 * 1024;

/**
 * Remote commands' frames (src/shared/actions): a progress chunk, and a result's raw output, structured
 * fields (as JSON) and error, in characters. Together they stay under CHANNEL_MAX_FRAME_BYTES for ASCII
 * text; the agent trims multi-byte output further so the whole frame fits (the action's outputCapBytes
 * caps it before that).
 */
export const COMMAND_OUTPUT_CHUNK_MAX = 8 * 1024;
export const COMMAND_RESULT_OUTPUT_MAX = 48 * 1024;
export const COMMAND_RESULT_FIELDS_MAX = 8 * 1024;
export const COMMAND_ERROR_MAX = 2_000;

/** The server pings this often; the agent answers with a pong carrying the same `t`. */
export const CHANNEL_PING_INTERVAL_MS = 25_000;

/**
 * Silence after which either side gives the connection up: the server closes a socket that has sent
 * nothing (not even a pong) for this long; the agent reconnects when it has heard nothing for this long.
 */
export const CHANNEL_IDLE_TIMEOUT_MS = 2 * CHANNEL_PING_INTERVAL_MS + 10_000;

/** Frames a client may send per second, sustained, and in a burst; more closes the connection (1008). */
export const CHANNEL_RATE_PER_SECOND = 20;
export const CHANNEL_RATE_BURST = 60;

/**
 * Admission control, per server process: upgrades accepted per second (sustained) and in a burst. Over it,
 * the socket is upgraded without looking at the token and closed at once with CLOSE.tryAgainLater, the
 * delay in ms (jittered between the two values below) as the reason; the agent waits that long and tries
 * again. No database work and no 5xx: a reconnect storm after a restart is spread out, not turned into load.
 */
export const CHANNEL_ADMIT_PER_SECOND = 500;
export const CHANNEL_ADMIT_BURST = 1000;
/** The delay a refused agent is told to wait: uniformly between these, in ms. */
export const CHANNEL_RETRY_MIN_MS = 2_000;
export const CHANNEL_RETRY_MAX_MS = 20_000;

/** The agent's first frame (hello) must arrive within this after the upgrade, or the server closes. */
export const CHANNEL_HELLO_TIMEOUT_MS = 10_000;

/**
 * Close codes. 1000–1015 are the WebSocket standard's (RFC 6455 §7.4.1); 4000–4999 are the
 * application's own. The agent reads the code to decide what to do next: reconnect with backoff, re-enrol,
 * or fall back to the long poll.
 */
export const CLOSE = {
  /** Normal close (either side stopping). */
  normal: 1000,
  /** The server is shutting down; reconnect after a jittered delay. */
  goingAway: 1001,
  /** A frame that is not JSON, not an object, or fails its message schema. */
  protocolError: 1002,
  /** A policy violation: flooding (too many frames per second), or a frame before hello. */
  policyViolation: 1008,
  /** A frame larger than CHANNEL_MAX_FRAME_BYTES. */
  tooBig: 1009,
  /** Unexpected server error; reconnect with backoff. */
  internalError: 1011,
  /** The server is over its admission limit; reconnect after the delay given in the reason (ms, decimal). */
  tryAgainLater: 1013,
  /** The device token was refused (the device was removed or its token revoked): re-enrol. */
  unauthorized: 4001,
  /** A frame whose `type` the receiver does not know. */
  unknownType: 4002,
  /** No hello in time, or nothing heard for CHANNEL_IDLE_TIMEOUT_MS. */
  timeout: 4003,
  /** Another connection of the same device replaced this one (the newest wins). */
  replaced: 4004,
} as const;
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];
