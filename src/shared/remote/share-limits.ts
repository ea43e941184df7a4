/*
 * Screen share over WebRTC (issue 13), zod-free so the console's and the window's bundles can read it:
 * the signaling socket's subprotocol, size limits, the session chat both peers exchange on their data channel
 * (with its parser), and the limits of the overlay channel (the technician's pointer and annotations, whose
 * zod schema is share-overlay.ts).
 *
 * The employee's window is the offerer: it captures the screen or window the employee chose, offers it, and
 * opens the data channel. Signaling goes on the live channel (agent ↔ server, `share.signal` frames) and on
 * the console's signaling socket (console ↔ server, SHARE_SIGNAL_PROTOCOL); the server keeps each signal in
 * the database until its recipient's holder takes it (any server process may hold either end).
 */

/** The console's signaling WebSocket speaks this (text frames of JSON); the session's token is offered too. */
export const SHARE_SIGNAL_PROTOCOL = 'deskside-signal.v1';
/** Longest SDP either side may send (Chromium's screen-share offer is 4–8 KB). */
export const SHARE_SDP_MAX = 32 * 1024;
/** Longest ICE candidate line. */
export const SHARE_CANDIDATE_MAX = 1024;
/** Signals one side may send in one session (an offer, an answer and candidates; a few dozen in practice). */
export const SHARE_SIGNALS_MAX = 400;
/** The data channel's label. */
export const SHARE_DATA_CHANNEL = 'deskside-share';
/** Longest chat line. */
export const SHARE_CHAT_MAX = 2_000;
/** How often the console sends the technician's pointer, or a pen stroke's new points, at most (ms). */
export const SHARE_POINTER_INTERVAL_MS = 40;

/** The second data channel's label: the technician's pointer and annotations, console → employee (ordered). */
export const SHARE_OVERLAY_CHANNEL = 'deskside-overlay';
/** Longest overlay message (JSON text); longer ones are dropped unread. */
export const SHARE_OVERLAY_MESSAGE_MAX = 4_096;
/** Points one pen message may carry (the console sends a stroke's new points every SHARE_POINTER_INTERVAL_MS). */
export const SHARE_OVERLAY_POINTS_MAX = 64;
/** Points one stroke may have in all; beyond, the stroke stops growing. */
export const SHARE_STROKE_POINTS_MAX = 2_000;
/** Strokes kept on screen at once; the oldest goes first. */
export const SHARE_STROKES_MAX = 100;
/** Overlay messages the employee's computer accepts per second (sustained; the console sends about 50). */
export const SHARE_OVERLAY_RATE = 80;
/** ... and in a burst. */
export const SHARE_OVERLAY_BURST = 160;
/** The annotation colours: names on the wire, RGB where drawn. */
export const SHARE_ANNOTATION_COLORS = { red: '#e53935', yellow: '#fdd835', blue: '#1e88e5' } as const;
export type ShareAnnotationColor = keyof typeof SHARE_ANNOTATION_COLORS;
/** A fading annotation stays this long after it is finished, then fades out over SHARE_FADE_OUT_MS. */
export const SHARE_FADE_AFTER_MS = 3_000;
export const SHARE_FADE_OUT_MS = 1_000;

/** The ICE configuration the server hands to both peers (TURN credentials valid for this session only). */
export interface ShareIceConfig {
  iceServers: Array<{ urls: string[]; username?: string; credential?: string }>;
  iceTransportPolicy: 'all' | 'relay';
}

/** What the server sends on the console's signaling socket. */
export type ShareConsoleFrame =
  /** Admitted: the ICE configuration; the device is told to start. */
  | { type: 'ready'; ice: ShareIceConfig }
  | { type: 'offer'; sdp: string }
  | { type: 'candidate'; candidate: ShareCandidate | null }
  /** The session ended (the socket closes next). */
  | { type: 'ended'; reason: string };

export interface ShareCandidate {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
  usernameFragment?: string | null;
}

/** What the two peers say on the chat data channel (the pointer and annotations have their own: share-overlay.ts). */
export type SharePeerMessage =
  /** A chat line, from the employee or the technician. */
  { type: 'chat'; text: string };

/** Reads one data-channel message; null for anything malformed (ignored). */
export function parseSharePeerMessage(data: unknown): SharePeerMessage | null {
  if (typeof data !== 'string' || data.length > SHARE_CHAT_MAX * 4) return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  return m.type === 'chat' && typeof m.text === 'string' && m.text.trim().length > 0 && m.text.length <= SHARE_CHAT_MAX
    ? { type: 'chat', text: m.text }
    : null;
}

/** Reads one frame of the console's signaling socket; null for anything that is not one. */
export function parseShareConsoleFrame(data: unknown): ShareConsoleFrame | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const f = value as Record<string, unknown>;
  switch (f.type) {
    case 'ready':
      return typeof f.ice === 'object' && f.ice !== null && Array.isArray((f.ice as ShareIceConfig).iceServers)
        ? (f as ShareConsoleFrame)
        : null;
    case 'offer':
      return typeof f.sdp === 'string' ? { type: 'offer', sdp: f.sdp } : null;
    case 'candidate':
      return f.candidate === null ||
        (typeof f.candidate === 'object' && typeof (f.candidate as ShareCandidate).candidate === 'string')
        ? { type: 'candidate', candidate: f.candidate as ShareCandidate | null }
        : null;
    case 'ended':
      return { type: 'ended', reason: typeof f.reason === 'string' ? f.reason : 'ended' };
    default:
      return null;
  }
}
