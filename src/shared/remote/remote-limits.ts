/*
 * Remote control (issue 13), zod-free so the console's bundle can read it: a session's kinds and statuses,
 * the tunnels' subprotocols and every limit the server, the agent and the console must agree on.
 *
 *   requested ─► awaiting-consent ─► accepted ─► active ─► ended
 *       │               │               │
 *       └───────────────┴─► denied | refused | ended (stopped before it began)
 *
 * A request nobody answered within REMOTE_REQUEST_TTL_MS is expired (read as such; nothing is relayed).
 */

/**
 * `view` and `control` go through a VNC server; `share` is a screen share over WebRTC (share-limits.ts): the
 * employee picks a screen or window in the tray window, and the media goes peer to peer (or through TURN).
 */
export const REMOTE_KINDS = ['view', 'control', 'share'] as const;
export type RemoteKind = (typeof REMOTE_KINDS)[number];
/** The kinds a VNC server serves. */
export type VncKind = Exclude<RemoteKind, 'share'>;

export const REMOTE_STATUSES = [
  'requested',
  'awaiting-consent',
  'accepted',
  'active',
  'ended',
  'denied',
  'refused',
  'expired',
] as const;
export type RemoteStatus = (typeof REMOTE_STATUSES)[number];

/** Statuses after which nothing more happens. */
export const REMOTE_FINAL_STATUSES: readonly RemoteStatus[] = ['ended', 'denied', 'refused', 'expired'];

/** The subprotocol both tunnels speak: binary frames, each a piece of the RFB byte stream. */
export const REMOTE_TUNNEL_PROTOCOL = 'deskside-rfb.v1';
/**
 * The session's secret travels as a second offered subprotocol, `deskside-token.<token>` (a browser cannot
 * set headers on a WebSocket, and a query string would be logged). The server answers with
 * REMOTE_TUNNEL_PROTOCOL only.
 */
export const REMOTE_TOKEN_PROTOCOL_PREFIX = 'deskside-token.';

/** How long the device has to answer a request (consent included) before it expires. */
export const REMOTE_REQUEST_TTL_MS = 2 * 60_000;
/** The longest a session may last, whatever happens in it. */
export const REMOTE_MAX_DURATION_MS = 4 * 60 * 60_000;
/** No byte either way for this long ends a session. */
export const REMOTE_IDLE_TIMEOUT_MS = 10 * 60_000;
/** Largest tunnel frame either side sends (the agent splits what it reads; the server refuses bigger ones). */
export const REMOTE_MAX_FRAME_BYTES = 60 * 1024;
/**
 * Bytes the server lets wait for a slow reader before it stops reading from the other side (backpressure),
 * and the level at which it reads again.
 */
export const REMOTE_BUFFER_HIGH_BYTES = 1024 * 1024;
export const REMOTE_BUFFER_LOW_BYTES = 256 * 1024;
/** Sessions a technician may request per minute. */
export const REMOTE_REQUESTS_PER_MINUTE = 10;
/** A VNC password as the agent hands it over (VNC authentication uses the first 8 characters). */
export const REMOTE_VNC_PASSWORD_MAX = 64;

/** Close codes of the tunnels (4000–4999 are the application's). */
export const REMOTE_CLOSE = {
  normal: 1000,
  /** The session ended: stopped by either side, or the other tunnel closed. */
  ended: 4100,
  /** The device's tunnel: the employee stopped the session (the relay records who ended it). */
  stoppedByEmployee: 4101,
  /** No such session for this caller, a wrong token, or the session is not (or no longer) open. */
  refused: 4103,
  idle: 4108,
  tooLong: 4109,
  /** A text frame, or a frame over REMOTE_MAX_FRAME_BYTES. */
  protocol: 4102,
  /** The console's tunnel: the same technician rejoined the session from another page (a reload, another tab). */
  replaced: 4104,
} as const;

/**
 * Control frames on the device's tunnel (text, `{"type": …}`), so the requesting technician can rejoin a
 * running session (a console reload, a network blip) without the next noVNC inheriting an RFB stream in its
 * middle. The relay says `console-left`; the agent closes its connection to the VNC server (x11vnc runs with
 * -forever) and answers `vnc-closed`: the relay drops the device's bytes until then. When a console is back,
 * the relay says `console-joined` and the agent connects to its VNC server again (a fresh RFB handshake).
 */
export const REMOTE_TUNNEL_CONTROL = {
  consoleLeft: 'console-left',
  vncClosed: 'vnc-closed',
  consoleJoined: 'console-joined',
} as const;
export type RemoteTunnelControl = (typeof REMOTE_TUNNEL_CONTROL)[keyof typeof REMOTE_TUNNEL_CONTROL];

/** A control frame as sent on the device's tunnel. */
export const remoteTunnelControlFrame = (type: RemoteTunnelControl): string => JSON.stringify({ type });

/** The control frame a text frame carries, or null. */
export function parseRemoteTunnelControl(text: string): RemoteTunnelControl | null {
  if (text.length > 100) return null;
  try {
    const type = (JSON.parse(text) as { type?: unknown } | null)?.type;
    return Object.values(REMOTE_TUNNEL_CONTROL).find((t) => t === type) ?? null;
  } catch {
    return null;
  }
}
