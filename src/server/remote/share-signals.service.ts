import type { UpMessage } from '../../shared/channel/messages';
import type { RemoteStatus } from '../../shared/remote/remote-limits';
import { SHARE_SIGNALS_MAX } from '../../shared/remote/share-limits';
import type { ShareFromConsoleSignal, ShareToDeviceSignal } from '../../shared/remote/share-signals';
import { audit } from '../audit/audit.service';
import type { ServerContext } from '../context';
import { selectOpenShareSessionIds, selectRemoteSession } from './remote-sessions.repo';
import { countShareSignals, insertShareSignal, takeShareSignals, type ShareSide } from './share-signals.repo';

/*
 * Screen share's signaling through the server (issue 13). Each signal is stored for its recipient, then a
 * `share-signal` event names the session, and the process holding the recipient (the device's live
 * channel in the hub, the console's signaling socket in share-signaling.routes.ts) takes what waits and
 * sends it, in order. Only while the session is a share, accepted or active; from the device only its own
 * sessions; at most SHARE_SIGNALS_MAX per side.
 */

const OPEN = new Set(['accepted', 'active']);

/** Stores a signal for one side and tells every process; false when the session does not take signals now. */
export async function sendShareSignal(
  ctx: ServerContext,
  sessionId: string,
  deviceId: string,
  to: ShareSide,
  signal: ShareToDeviceSignal | UpMessage<'share.signal'>['signal'] | ShareFromConsoleSignal,
): Promise<boolean> {
  if ((await countShareSignals(ctx.db.kysely, sessionId, to)) >= SHARE_SIGNALS_MAX) return false;
  await insertShareSignal(ctx.db.kysely, { sessionId, to, payload: JSON.stringify(signal), at: ctx.now() });
  ctx.bus.publish({ kind: 'share-signal', sessionId, deviceId, to });
  return true;
}

/** A device's `share.signal`: for its own open share session only (anything else is audited and dropped). */
export async function applyDeviceShareSignal(
  ctx: ServerContext,
  deviceId: string,
  message: UpMessage<'share.signal'>,
): Promise<void> {
  const row = await selectRemoteSession(ctx.db.kysely, message.sessionId);
  const why =
    !row || row.device_id !== deviceId
      ? 'no such session of this device'
      : row.kind !== 'share'
        ? 'not a screen-share session'
        : !OPEN.has(row.status)
          ? `the session is ${row.status}`
          : null;
  if (why === null && (await sendShareSignal(ctx, message.sessionId, deviceId, 'console', message.signal))) return;
  await audit(ctx, {
    actorType: 'system',
    actorId: null,
    action: 'share.signal_refused',
    targetType: 'remote_session',
    targetId: message.sessionId,
    details: { deviceId, type: message.signal.type, why: why ?? `more than ${SHARE_SIGNALS_MAX} signals` },
  });
}

/** Takes the signals waiting for one side of a session, parsed, oldest first. */
export async function takeSignals(ctx: ServerContext, sessionId: string, to: ShareSide): Promise<unknown[]> {
  return (await takeShareSignals(ctx.db.kysely, sessionId, to, ctx.now())).map((r) => JSON.parse(r.payload) as unknown);
}

/** The device's screen shares that still take signals (accepted or active): what a reconnected device is owed. */
export function openShareSessionsOf(ctx: ServerContext, deviceId: string): Promise<string[]> {
  return selectOpenShareSessionIds(ctx.db.kysely, deviceId, [...OPEN] as RemoteStatus[]);
}
