import type { RemoteSessionDto } from '../../shared/api/remote';
import type { RemoteStatus } from '../../shared/remote/remote-limits';
import { parseJsonObject } from '../db/json-columns';
import type { RemoteSessionListRow } from './remote-sessions.repo';

const iso = (ms: number | string | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** The status as of `now`: a request nobody answered in time reads as expired. */
export function effectiveStatus(row: Pick<RemoteSessionListRow, 'status' | 'expires_at'>, now: number): RemoteStatus {
  if ((row.status === 'requested' || row.status === 'awaiting-consent') && Number(row.expires_at) <= now)
    return 'expired';
  return row.status;
}

/** A session as the API shows it; the VNC password only to its requester while it can be joined. */
export function toRemoteSessionDto(
  row: RemoteSessionListRow,
  viewer: { id: number },
  now: number,
  consoleToken?: string,
): RemoteSessionDto {
  const status = effectiveStatus(row, now);
  const consent = row.consent ? parseJsonObject(row.consent) : null;
  const joinable = (status === 'accepted' || status === 'active') && viewer.id === row.requested_by;
  return {
    id: row.id,
    deviceId: row.device_id,
    ticketId: row.ticket_id,
    kind: row.kind,
    reason: row.reason,
    status,
    requestedBy: { id: row.requested_by, name: row.requester_name },
    requestedAt: iso(row.requested_at)!,
    expiresAt: iso(row.expires_at)!,
    consent:
      consent && (consent.by === 'employee' || consent.by === 'policy')
        ? {
            by: consent.by,
            name: typeof consent.name === 'string' ? consent.name : null,
            ...(consent.confirmedControl === true ? { confirmedControl: true } : {}),
          }
        : null,
    startedAt: iso(row.started_at),
    endedAt: iso(row.ended_at),
    endReason: row.end_reason,
    bytesToConsole: Number(row.bytes_to_console),
    bytesToDevice: Number(row.bytes_to_device),
    vncPassword: joinable ? row.vnc_password : null,
    ...(consoleToken ? { consoleToken } : {}),
  };
}
