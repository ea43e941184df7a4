import { z } from 'zod';
import { SHARE_CANDIDATE_MAX, SHARE_SDP_MAX } from './share-limits';

/*
 * Screen share's signaling messages (issue 13), checked at every boundary: the live channel's
 * `share.signal` frames (device ↔ server), the console's signaling socket (console → server), and the
 * window's IPC (renderer ↔ main). The device only offers and sends its candidates; the console only answers
 * and sends its candidates; `start` comes from the server alone (the technician is there: ICE configuration).
 */

const sdp = z.string().min(1).max(SHARE_SDP_MAX);

/** An ICE candidate as RTCIceCandidate.toJSON() gives it. */
export const shareCandidateSchema = z.strictObject({
  candidate: z.string().max(SHARE_CANDIDATE_MAX),
  sdpMid: z.string().max(64).nullable(),
  sdpMLineIndex: z.number().int().min(0).max(255).nullable(),
  usernameFragment: z.string().max(256).nullable().optional(),
});

const iceUrl = z
  .string()
  .regex(/^(stun|stuns|turn|turns):[^\s,]{1,300}$/, 'must be a stun:, stuns:, turn: or turns: URL');

export const shareIceConfigSchema = z.strictObject({
  iceServers: z
    .array(
      z.strictObject({
        urls: z.array(iceUrl).min(1).max(10),
        username: z.string().max(300).optional(),
        credential: z.string().max(300).optional(),
      }),
    )
    .max(10),
  iceTransportPolicy: z.enum(['all', 'relay']),
});

/** `candidate: null` is the end of candidates. */
const candidate = z.strictObject({ type: z.literal('candidate'), candidate: shareCandidateSchema.nullable() });

/** From the sharing device, for the console. */
export const shareToConsoleSignalSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('offer'), sdp }),
  candidate,
]);
export type ShareToConsoleSignal = z.infer<typeof shareToConsoleSignalSchema>;

/** From the console (answer, candidates), for the device. */
export const shareFromConsoleSignalSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('answer'), sdp }),
  candidate,
]);
export type ShareFromConsoleSignal = z.infer<typeof shareFromConsoleSignalSchema>;

/** What the device receives: the server's `start` (with the ICE configuration), then the console's signals. */
export const shareToDeviceSignalSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('start'), ice: shareIceConfigSchema }),
  z.strictObject({ type: z.literal('answer'), sdp }),
  candidate,
]);
export type ShareToDeviceSignal = z.infer<typeof shareToDeviceSignalSchema>;
