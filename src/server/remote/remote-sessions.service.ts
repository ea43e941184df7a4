import { randomUUID } from 'node:crypto';
import type { RemoteSessionDto, requestRemoteSessionSchema } from '../../shared/api/remote';
import type { UpMessage } from '../../shared/channel/messages';
import {
  REMOTE_FINAL_STATUSES,
  REMOTE_REQUEST_TTL_MS,
  REMOTE_REQUESTS_PER_MINUTE,
  REMOTE_STATUSES,
  type RemoteKind,
  type RemoteStatus,
} from '../../shared/remote/remote-limits';
import { signRemoteRequest, type RemoteEnvelope, type SignedRemoteRequest } from '../../shared/remote/remote-signing';
import type { z } from 'zod';
import { ed25519Signer } from '../actions/command-crypto';
import { commandKeyPair } from '../actions/command-keys.service';
import { audit } from '../audit/audit.service';
import { hashToken, randomToken, safeEqual } from '../auth/crypto';
import type { StaffUser } from '../auth/guards';
import type { ServerContext } from '../context';
import { parseJsonObject } from '../db/json-columns';
import { ApiError, conflict, forbidden, notFound, unprocessable } from '../errors';
import { insertMessage } from '../tickets/messages.repo';
import { recordTicketEvents } from '../tickets/ticket-events.repo';
import { deviceOfTicket } from '../tickets/tickets.repo';
import { effectiveStatus, toRemoteSessionDto } from './remote-dto';
import { remoteSessionNote } from './remote-note';
import {
  countRemoteRequestsSince,
  insertRemoteSession,
  selectDeviceForRemote,
  selectDeviceRemoteSessions,
  selectPendingRemoteRequests,
  selectRemoteSession,
  transitionRemoteSession,
  type RemoteSessionRow,
} from './remote-sessions.repo';

/*
 * Remote sessions (issue 13): a technician's request (role per IT's policy, rate, signed, stored, audited,
 * announced so the hub holding the device's channel sends it), the device's answers over the live channel
 * (awaiting consent, accepted with the VNC password, denied, refused, ended), the tunnels' admission (each
 * one-time token used once, only while the session can be joined) and the end (whoever ends it first: the
 * row moves once; audited, noted on the ticket, announced so the device stops its VNC server and the relay
 * closes both tunnels).
 */

type RequestBody = z.output<typeof requestRemoteSessionSchema>;

const OPEN: readonly RemoteStatus[] = REMOTE_STATUSES.filter((s) => !REMOTE_FINAL_STATUSES.includes(s));
const AUTHOR = 'Deskside';
const RATE_WINDOW_MS = 60_000;

/** Whether IT's policy lets this role view or control. */
export function roleMay(ctx: Pick<ServerContext, 'config'>, role: string, kind: RemoteKind): boolean {
  const roles: readonly string[] = kind === 'control' ? ctx.config.remoteControlRoles : ctx.config.remoteViewRoles;
  return roles.includes(role);
}

function announce(
  ctx: Pick<ServerContext, 'bus'>,
  row: Pick<RemoteSessionRow, 'id' | 'device_id' | 'ticket_id'>,
  what?: { what: 'request' | 'stop'; reason?: string },
): void {
  ctx.bus.publish({
    kind: 'remote',
    sessionId: row.id,
    deviceId: row.device_id,
    ticketId: row.ticket_id,
    ...(what ? { what: what.what } : {}),
    ...(what?.reason ? { reason: what.reason.slice(0, 500) } : {}),
  });
}

/** Signs and stores a session request for the device; answers it with the console tunnel's one-time token. */
export async function requestRemoteSession(
  ctx: ServerContext,
  staff: StaffUser,
  deviceId: string,
  body: RequestBody,
  ip: string | null,
): Promise<RemoteSessionDto> {
  if (!roleMay(ctx, staff.role, body.kind))
    throw forbidden(`IT's policy does not let a ${staff.role} ${body.kind} a device's screen`, 'remote_role');
  const device = await selectDeviceForRemote(ctx.db.kysely, deviceId);
  if (!device) throw notFound('Device', 'device_not_found');
  if (device.token_revoked_at !== null)
    throw conflict('device_revoked', 'The device was revoked; it can do nothing until it enrolls again');
  if (body.ticketId !== null && (await deviceOfTicket(ctx.db.kysely, body.ticketId)) !== deviceId)
    throw unprocessable('ticket_not_of_device', 'The ticket is not one of this device');
  const now = ctx.now();
  if ((await countRemoteRequestsSince(ctx.db.kysely, staff.id, now - RATE_WINDOW_MS)) >= REMOTE_REQUESTS_PER_MINUTE)
    throw new ApiError(
      429,
      'too_many_remote_sessions',
      `At most ${REMOTE_REQUESTS_PER_MINUTE} sessions a minute`,
      undefined,
      {
        'retry-after': '60',
      },
    );

  const deviceToken = randomToken(32);
  const consoleToken = randomToken(32);
  const envelope: RemoteEnvelope = {
    id: randomUUID(),
    deviceId,
    kind: body.kind,
    tunnelToken: deviceToken,
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + REMOTE_REQUEST_TTL_MS).toISOString(),
    requestedBy: { id: staff.id, name: staff.name },
    ticketId: body.ticketId,
  };
  const signed = signRemoteRequest(envelope, (await commandKeyPair(ctx)).privateKeyPem, ed25519Signer);
  await insertRemoteSession(ctx.db.kysely, {
    id: envelope.id,
    device_id: deviceId,
    ticket_id: body.ticketId,
    kind: body.kind,
    reason: body.reason,
    requested_by: staff.id,
    envelope: JSON.stringify(signed.envelope),
    signature: signed.signature,
    device_token_hash: hashToken(deviceToken),
    console_token_hash: hashToken(consoleToken),
    vnc_password: null,
    status: 'requested',
    consent: null,
    requested_at: now,
    expires_at: now + REMOTE_REQUEST_TTL_MS,
    device_joined_at: null,
    console_joined_at: null,
    started_at: null,
    ended_at: null,
    end_reason: null,
    updated_at: now,
  });
  await audit(ctx, {
    actorType: 'staff',
    actorId: staff.id,
    action: 'remote.requested',
    targetType: 'remote_session',
    targetId: envelope.id,
    details: { deviceId, ticketId: body.ticketId, kind: body.kind, reason: body.reason, expiresAt: envelope.expiresAt },
    ip,
  });
  const row = (await selectRemoteSession(ctx.db.kysely, envelope.id))!;
  announce(ctx, row, { what: 'request' });
  return toRemoteSessionDto(row, staff, now, consoleToken);
}

export async function getRemoteSession(ctx: ServerContext, staff: StaffUser, id: string): Promise<RemoteSessionDto> {
  const row = await selectRemoteSession(ctx.db.kysely, id);
  if (!row) throw notFound('Remote session', 'remote_session_not_found');
  return toRemoteSessionDto(row, staff, ctx.now());
}

export async function listDeviceRemoteSessions(
  ctx: ServerContext,
  staff: StaffUser,
  deviceId: string,
): Promise<{ sessions: RemoteSessionDto[] }> {
  if (!(await selectDeviceForRemote(ctx.db.kysely, deviceId))) throw notFound('Device', 'device_not_found');
  const now = ctx.now();
  return {
    sessions: (await selectDeviceRemoteSessions(ctx.db.kysely, deviceId, 50)).map((r) =>
      toRemoteSessionDto(r, staff, now),
    ),
  };
}

/** Who ended a session (`employee`: the Stop in the tray window, as the device reported it). */
export type RemoteEndActor =
  { type: 'staff'; id: number; ip?: string | null } | { type: 'device' } | { type: 'employee' } | { type: 'system' };

/** The end reason the device's "the employee stopped it" is recorded with (one wording for both paths). */
export const REMOTE_STOPPED_BY_EMPLOYEE = 'stopped by the employee';

/**
 * Ends a session that is still open (whoever comes first; later calls change nothing): ended, the password
 * forgotten, audited, noted on the ticket, announced (the device stops its VNC server, the relay closes).
 */
export async function endRemoteSession(
  ctx: ServerContext,
  id: string,
  reason: string,
  actor: RemoteEndActor,
  bytes?: { toConsole: number; toDevice: number },
): Promise<boolean> {
  const now = ctx.now();
  const moved = await transitionRemoteSession(ctx.db.kysely, id, OPEN, {
    status: 'ended',
    ended_at: now,
    end_reason: reason.slice(0, 500),
    vnc_password: null,
    updated_at: now,
    ...(bytes ? { bytes_to_console: bytes.toConsole, bytes_to_device: bytes.toDevice } : {}),
  });
  if (!moved) return false;
  await closed(ctx, moved, 'remote.ended', actor, { reason });
  return true;
}

/** Audit, note and announcement of a session that reached a final status. */
async function closed(
  ctx: ServerContext,
  moved: RemoteSessionRow,
  action: string,
  actor: RemoteEndActor,
  details: Record<string, unknown>,
): Promise<void> {
  const row = (await selectRemoteSession(ctx.db.kysely, moved.id))!;
  const consent = row.consent ? parseJsonObject(row.consent) : null;
  await audit(ctx, {
    actorType: actor.type === 'staff' ? 'staff' : 'system',
    actorId: actor.type === 'staff' ? actor.id : null,
    action,
    targetType: 'remote_session',
    targetId: row.id,
    details: {
      deviceId: row.device_id,
      ticketId: row.ticket_id,
      kind: row.kind,
      requestedBy: row.requested_by,
      consent,
      by: actor.type,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      durationMs:
        row.started_at !== null && row.ended_at !== null ? Number(row.ended_at) - Number(row.started_at) : null,
      bytesToConsole: Number(row.bytes_to_console),
      bytesToDevice: Number(row.bytes_to_device),
      ...details,
    },
    ip: actor.type === 'staff' ? (actor.ip ?? null) : null,
  });
  if (row.ticket_id !== null) {
    const now = ctx.now();
    const ticketId = row.ticket_id;
    await ctx.db.kysely.transaction().execute(async (trx) => {
      const messageId = await insertMessage(trx, {
        ticketId,
        authorType: 'system',
        authorId: row.id,
        authorName: AUTHOR,
        body: remoteSessionNote(row, consent as { by: string; name?: unknown; confirmedControl?: unknown } | null),
        internal: 1,
        at: now,
      });
      await recordTicketEvents(trx, [
        {
          ticketId,
          type: 'message_posted',
          actorType: 'system',
          actorId: null,
          at: now,
          data: { messageId, internal: true, remoteSessionId: row.id },
        },
      ]);
    });
    ctx.bus.notify(ticketId);
  }
  announce(ctx, row, { what: 'stop', reason: row.end_reason ?? action });
}

/** A technician stops a session (before the device answered, or while it runs). */
export async function stopRemoteSession(
  ctx: ServerContext,
  staff: StaffUser,
  id: string,
  ip: string | null,
): Promise<RemoteSessionDto> {
  const row = await selectRemoteSession(ctx.db.kysely, id);
  if (!row) throw notFound('Remote session', 'remote_session_not_found');
  await endRemoteSession(ctx, id, `stopped by ${staff.name}`, { type: 'staff', id: staff.id, ip });
  return toRemoteSessionDto((await selectRemoteSession(ctx.db.kysely, id))!, staff, ctx.now());
}

/**
 * The requester rejoins a session that runs or waits for its console (a reload, a network blip): a fresh
 * one-time console token replaces the one used (or never used), so the next console tunnel is admitted once
 * and the old token no longer is; audited. Only the requester, still allowed by IT's policy, and not a screen
 * share (its signaling is the console's own socket).
 */
export async function rejoinRemoteSession(
  ctx: ServerContext,
  staff: StaffUser,
  id: string,
  ip: string | null,
): Promise<RemoteSessionDto> {
  const row = await selectRemoteSession(ctx.db.kysely, id);
  if (!row) throw notFound('Remote session', 'remote_session_not_found');
  if (row.requested_by !== staff.id)
    throw forbidden('Only the technician who requested this session may join it', 'remote_not_requester');
  if (!roleMay(ctx, staff.role, row.kind))
    throw forbidden(`IT's policy does not let a ${staff.role} ${row.kind} a device's screen`, 'remote_role');
  if (row.kind === 'share')
    throw conflict('remote_share_rejoin', 'A screen share cannot be joined again: ask the employee to share again');
  const now = ctx.now();
  const consoleToken = randomToken(32);
  const moved = await transitionRemoteSession(ctx.db.kysely, id, ['accepted', 'active'], {
    console_token_hash: hashToken(consoleToken),
    console_joined_at: null,
    updated_at: now,
  });
  if (!moved)
    throw conflict(
      'remote_not_joinable',
      `The session is ${effectiveStatus(row, now)}: only a session that runs or waits for your console can be joined`,
    );
  await audit(ctx, {
    actorType: 'staff',
    actorId: staff.id,
    action: 'remote.rejoined',
    targetType: 'remote_session',
    targetId: id,
    details: { deviceId: row.device_id, ticketId: row.ticket_id, kind: row.kind, status: moved.status },
    ip,
  });
  return toRemoteSessionDto((await selectRemoteSession(ctx.db.kysely, id))!, staff, now, consoleToken);
}

/** The device's unanswered requests, to send again when it says hello. */
export async function pendingRemoteRequests(
  ctx: ServerContext,
  deviceId: string,
): Promise<Array<{ request: SignedRemoteRequest; reason: string }>> {
  const rows = await selectPendingRemoteRequests(ctx.db.kysely, deviceId, ctx.now());
  return rows.map((row) => ({
    request: { envelope: JSON.parse(row.envelope) as RemoteEnvelope, signature: row.signature },
    reason: row.reason,
  }));
}

/** One request of the device by id, if it is still waiting for its answer (the hub sends it when announced). */
export async function pendingRemoteRequest(
  ctx: ServerContext,
  deviceId: string,
  sessionId: string,
): Promise<{ request: SignedRemoteRequest; reason: string } | null> {
  return (await pendingRemoteRequests(ctx, deviceId)).find((p) => p.request.envelope.id === sessionId) ?? null;
}

/**
 * A device's `remote.update`: applied only to its own session and only forward; an answer that comes too
 * late (the session ended or expired) is answered with a stop, so the device stops what it started.
 */
export async function applyRemoteUpdate(
  ctx: ServerContext,
  deviceId: string,
  update: UpMessage<'remote.update'>,
): Promise<void> {
  const row = await selectRemoteSession(ctx.db.kysely, update.sessionId);
  if (!row || row.device_id !== deviceId) {
    await audit(ctx, {
      actorType: 'system',
      actorId: null,
      action: 'remote.update_refused',
      targetType: 'remote_session',
      targetId: update.sessionId,
      details: { deviceId, status: update.status, why: row ? 'another device' : 'no such session' },
    });
    return;
  }
  const now = ctx.now();
  const consent = update.consent
    ? JSON.stringify({
        by: update.consent.by,
        name: update.consent.name ?? null,
        ...(update.consent.confirmedControl ? { confirmedControl: true } : {}),
      })
    : null;
  const entry = { actorType: 'system' as const, actorId: null, targetType: 'remote_session', targetId: row.id };
  switch (update.status) {
    case 'awaiting-consent': {
      const moved = await transitionRemoteSession(
        ctx.db.kysely,
        row.id,
        ['requested'],
        { status: 'awaiting-consent', updated_at: now },
        { notExpiredAt: now },
      );
      if (moved) {
        await audit(ctx, { ...entry, action: 'remote.awaiting_consent', details: { deviceId } });
        announce(ctx, moved);
      }
      return;
    }
    case 'accepted': {
      // The join window starts now: the tunnels must open within the request's lifetime.
      const moved = await transitionRemoteSession(
        ctx.db.kysely,
        row.id,
        ['requested', 'awaiting-consent'],
        {
          status: 'accepted',
          consent,
          vnc_password: update.vncPassword ?? null,
          expires_at: now + REMOTE_REQUEST_TTL_MS,
          updated_at: now,
        },
        { notExpiredAt: now },
      );
      if (!moved) {
        // Stopped or expired meanwhile: the device must stop the VNC server it started.
        announce(ctx, row, { what: 'stop', reason: `the session is ${effectiveStatus(row, now)}` });
        return;
      }
      await audit(ctx, {
        ...entry,
        action: update.consent?.by === 'policy' ? 'remote.unattended' : 'remote.consent_given',
        details: { deviceId, kind: row.kind, consent: update.consent },
      });
      announce(ctx, moved);
      return;
    }
    case 'denied':
    case 'refused': {
      const moved = await transitionRemoteSession(ctx.db.kysely, row.id, ['requested', 'awaiting-consent'], {
        status: update.status,
        consent,
        end_reason: (update.reason ?? (update.status === 'denied' ? 'the employee said no' : 'refused')).slice(0, 500),
        ended_at: now,
        updated_at: now,
      });
      if (moved)
        await closed(
          ctx,
          moved,
          update.status === 'denied' ? 'remote.consent_denied' : 'remote.refused',
          { type: 'device' },
          {
            reason: update.reason ?? null,
          },
        );
      return;
    }
    case 'ended':
      if (update.endedBy === 'employee')
        await endRemoteSession(ctx, row.id, REMOTE_STOPPED_BY_EMPLOYEE, { type: 'employee' });
      else await endRemoteSession(ctx, row.id, update.reason ?? 'ended on the device', { type: 'device' });
      return;
  }
}

/** Why a tunnel was not admitted. */
export type TunnelRefusal = 'not-found' | 'bad-token' | 'not-open' | 'role';

/**
 * How long a device's tunnel may wait for its own `accepted` answer. The agent sends that answer on its live
 * channel and opens the tunnel at once, on another connection: the tunnel can reach the server before the
 * answer is applied (the channel applies a device's frames in order, after its `awaiting-consent`).
 */
export const DEVICE_ANSWER_WAIT_MS = 10_000;
const DEVICE_ANSWER_POLL_MS = 250;

/** Resolves on the next `remote` event of the session in this process, or after `ms`. */
function nextRemoteEvent(ctx: Pick<ServerContext, 'bus'>, sessionId: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    const unsubscribe = ctx.bus.subscribe((event) => {
      if (event.kind === 'remote' && event.sessionId === sessionId) done();
    });
  });
}

/**
 * Admits the device's tunnel once: its own session, the token of the signed request, accepted and within
 * the join window, not joined before. A tunnel that arrives while the session still reads requested or
 * awaiting-consent waits (at most `waitMs`) for the device's answer to be applied, from any process.
 */
export async function admitDeviceTunnel(
  ctx: ServerContext,
  deviceId: string,
  sessionId: string,
  token: string | null,
  waitMs = DEVICE_ANSWER_WAIT_MS,
): Promise<RemoteSessionRow | TunnelRefusal> {
  const row = await selectRemoteSession(ctx.db.kysely, sessionId);
  // A screen share has no RFB tunnel (its media goes over WebRTC: share-signaling.ts).
  if (!row || row.device_id !== deviceId || row.kind === 'share') return 'not-found';
  if (token === null || !safeEqual(hashToken(token), row.device_token_hash)) return 'bad-token';
  const deadline = Date.now() + waitMs;
  for (;;) {
    const now = ctx.now();
    const moved = await transitionRemoteSession(
      ctx.db.kysely,
      sessionId,
      ['accepted'],
      { device_joined_at: now, updated_at: now },
      { notExpiredAt: now, deviceJoined: false },
    );
    if (moved) return moved;
    const current = await selectRemoteSession(ctx.db.kysely, sessionId);
    if (!current || Date.now() >= deadline) return 'not-open';
    const status = effectiveStatus(current, ctx.now());
    // The answer may have been applied between the two statements: then try again at once.
    if (status === 'accepted' && current.device_joined_at === null && Number(current.expires_at) > ctx.now()) continue;
    if (status !== 'requested' && status !== 'awaiting-consent') return 'not-open';
    await nextRemoteEvent(ctx, sessionId, Math.min(DEVICE_ANSWER_POLL_MS, deadline - Date.now()));
  }
}

/**
 * Admits the console's tunnel once: the technician who requested it, still allowed by IT's policy, with
 * the session's console token, accepted or active, not joined before.
 */
export async function admitConsoleTunnel(
  ctx: ServerContext,
  staff: StaffUser,
  sessionId: string,
  token: string | null,
): Promise<RemoteSessionRow | TunnelRefusal> {
  const row = await selectRemoteSession(ctx.db.kysely, sessionId);
  if (!row || row.requested_by !== staff.id || row.kind === 'share') return 'not-found';
  if (!roleMay(ctx, staff.role, row.kind)) return 'role';
  if (token === null || !safeEqual(hashToken(token), row.console_token_hash)) return 'bad-token';
  const now = ctx.now();
  const moved = await transitionRemoteSession(
    ctx.db.kysely,
    sessionId,
    ['accepted', 'active'],
    { console_joined_at: now, updated_at: now },
    { consoleJoined: false },
  );
  return moved ?? 'not-open';
}

/** Both tunnels are joined: the session is active. */
export async function markRemoteStarted(ctx: ServerContext, sessionId: string): Promise<boolean> {
  const now = ctx.now();
  const moved = await transitionRemoteSession(ctx.db.kysely, sessionId, ['accepted'], {
    status: 'active',
    started_at: now,
    updated_at: now,
  });
  if (!moved) return false;
  await audit(ctx, {
    actorType: 'system',
    actorId: null,
    action: 'remote.started',
    targetType: 'remote_session',
    targetId: sessionId,
    details: {
      deviceId: moved.device_id,
      ticketId: moved.ticket_id,
      kind: moved.kind,
      requestedBy: moved.requested_by,
    },
  });
  announce(ctx, moved);
  return true;
}
