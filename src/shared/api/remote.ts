import { z } from 'zod';
import { COMMAND_REASON_MAX } from '../actions/command-status';
import { REMOTE_KINDS, REMOTE_STATUSES, REMOTE_TUNNEL_PROTOCOL } from '../remote/remote-limits';
import { text } from '../text/text-schema';
import { endpointGroup } from './endpoint';

/*
 * Remote control through a real VNC server (issue 13). A technician asks for a session on a device (from its
 * ticket or its page); the server signs the request, the agent asks consent, starts (or uses) a VNC server
 * bound to localhost and opens its tunnel; the console's noVNC opens the other tunnel and the server relays
 * the bytes between them. Both tunnels are WebSockets (subprotocol deskside-rfb.v1, the session's token as a
 * second offered subprotocol `deskside-token.<token>`).
 */

export const remoteKindSchema = z.enum(REMOTE_KINDS);
export const remoteStatusSchema = z.enum(REMOTE_STATUSES);

/** POST /api/v1/devices/:id/remote-sessions. */
export const requestRemoteSessionSchema = z.object({
  kind: remoteKindSchema,
  /** The ticket the session is for (its device must be this device); the session is noted on it. */
  ticketId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable().default(null),
  /** Why the technician asks: the employee reads it in the consent prompt. */
  reason: text().trim().min(1, 'must not be empty').max(COMMAND_REASON_MAX),
});
export type RequestRemoteSessionBody = z.input<typeof requestRemoteSessionSchema>;

export const remoteSessionSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  ticketId: z.number().nullable(),
  kind: remoteKindSchema,
  reason: z.string(),
  status: remoteStatusSchema,
  requestedBy: z.object({ id: z.number(), name: z.string().nullable() }),
  requestedAt: z.string(),
  expiresAt: z.string(),
  /** Who allowed it (the employee, or IT's policy unattended); null before anyone was asked. */
  consent: z
    .object({
      by: z.enum(['employee', 'policy']),
      name: z.string().nullable(),
      /** The employee also confirmed control in a second question (IT's policy controlNeedsSecondConsent). */
      confirmedControl: z.boolean().optional(),
    })
    .nullable(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** Why it ended, was denied or refused. */
  endReason: z.string().nullable(),
  bytesToConsole: z.number(),
  bytesToDevice: z.number(),
  /**
   * The device's one-time VNC password: only for the technician who requested the session, and only while
   * it can be joined (accepted or active); null otherwise.
   */
  vncPassword: z.string().nullable(),
  /** The console tunnel's one-time token: in the answer to the request and to a rejoin only (the server keeps its hash). */
  consoleToken: z.string().optional(),
});
export type RemoteSessionDto = z.infer<typeof remoteSessionSchema>;

const sessionParams = z.object({ id: z.uuid() });
const deviceParams = z.object({ id: z.uuid() });
export const remoteSessionListSchema = z.object({ sessions: z.array(remoteSessionSchema) });

const tunnelDescription =
  `GET with \`Upgrade: websocket\`, offering the subprotocols \`${REMOTE_TUNNEL_PROTOCOL}\` and ` +
  '`deskside-token.<token>`. Binary frames only, each a piece of the RFB stream, at most 60 KiB; close codes ' +
  'in src/shared/remote/remote-limits.ts (4103: no such session, wrong token, not open; 4100: ended).';

export const remoteEndpoints = endpointGroup('remote', {
  requestRemoteSession: {
    summary: 'Ask to view or control a device through its VNC server: signed and sent to the agent for consent',
    description:
      "409 for a revoked device (`device_revoked`) or one that is not connected (`device_offline`); 422 for a ticket of another device (`ticket_not_of_device`); 403 when IT's policy does not let this role view or control (`remote_role`); 429 past the per-technician rate.",
    params: deviceParams,
    body: requestRemoteSessionSchema,
    responses: { 201: remoteSessionSchema },
    errors: [404, 409, 422, 429],
  },
  listDeviceRemoteSessions: {
    summary: "A device's remote sessions, newest first",
    params: deviceParams,
    responses: { 200: remoteSessionListSchema },
    errors: [404],
  },
  getRemoteSession: {
    summary: 'A remote session: status, consent, times; the join secrets for the technician who asked',
    params: sessionParams,
    responses: { 200: remoteSessionSchema },
    errors: [404],
  },
  stopRemoteSession: {
    summary: 'Stop a remote session (before or after it began); both tunnels close and the agent stops its VNC server',
    params: sessionParams,
    responses: { 200: remoteSessionSchema },
    errors: [404],
  },
  rejoinRemoteSession: {
    summary:
      'Join a running session again (a reload, a network blip): a fresh one-time console token, for the technician who requested it',
    description:
      'Only while the session runs or waits for the console (accepted or active), never a screen share; the previous ' +
      "console token is no longer admitted, and a console still attached is replaced by the next one (closed with 4104). 403 for another technician (`remote_not_requester`) or a role IT's policy no longer allows (`remote_role`); 409 for a session that ended or has not been accepted (`remote_not_joinable`) and for a screen share (`remote_share_rejoin`). Audited `remote.rejoined`.",
    params: sessionParams,
    responses: { 200: remoteSessionSchema },
    errors: [403, 404, 409],
  },
  remoteConsoleTunnel: {
    summary: "The console's end of a session's RFB tunnel (WebSocket), for the technician who requested it",
    description: tunnelDescription,
    params: sessionParams,
    responses: { 101: z.unknown().describe('Switching Protocols: the tunnel is open') },
    errors: [400, 404, 426],
  },
  shareConsoleSignaling: {
    summary:
      "The console's signaling socket of a screen-share session (WebSocket), for the technician who requested it",
    description:
      'GET with `Upgrade: websocket`, offering the subprotocols `deskside-signal.v1` and `deskside-token.<token>`. ' +
      'Text frames of JSON: the server sends `ready` (the ICE servers, with TURN credentials for this session), the ' +
      "device's `offer` and `candidate`s, and `ended`; the console sends its `answer` and `candidate`s " +
      '(src/shared/remote/share-signals.ts). Close codes as the tunnels (4103: refused; 4100: ended; 4102: a bad frame).',
    params: sessionParams,
    responses: { 101: z.unknown().describe('Switching Protocols: the signaling socket is open') },
    errors: [400, 404, 426],
  },
  remoteDeviceTunnel: {
    summary: "The device's end of a session's RFB tunnel (WebSocket), piped to its local VNC server",
    description: tunnelDescription,
    params: sessionParams,
    responses: { 101: z.unknown().describe('Switching Protocols: the tunnel is open') },
    errors: [400, 404, 426],
  },
});
