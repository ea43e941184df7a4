/*
 * The live channel's constants, zod-free so small bundles (the console, the agent's lean paths) can read
 * them. Every number the server and the agent must agree on is here and nowhere else.
 */

/** The WebSocket path, under the API prefix (the HTTP table's device routes live beside it). */
export const CHANNEL_PATH = '/api/v1/device/channel';

/** The subprotocol both sides speak; a client that offers none or another is refused at upgrade. */
export const CHANNEL_PROTOCOL = 'deskside.v1';

/** Largest frame either side accepts, in bytes; a bigger one closes the connection (1009). */
export const CHANNEL_MAX_FRAME_BYTES = 64 * 1024;

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
  /** The server is over its admission limit; reconnect after the delay given in the reason (ms). */
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
