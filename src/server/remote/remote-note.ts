import { formatBytes, formatRunTime } from '../../shared/format';
import type { RemoteSessionListRow } from './remote-sessions.repo';

/*
 * The internal note a remote session leaves on its ticket when it ends (or is denied or refused): the kind
 * of access, who asked, who consented, when it started and ended, how long it lasted, why it ended.
 */

const time = (ms: number | string | null) => (ms === null ? '—' : new Date(Number(ms)).toISOString());

/** The note's Markdown. */
export function remoteSessionNote(
  row: RemoteSessionListRow,
  consent: { by: string; name?: unknown; confirmedControl?: unknown } | null,
): string {
  const kind =
    row.kind === 'control' ? 'Remote control' : row.kind === 'share' ? 'Screen share (WebRTC)' : 'Remote view';
  const outcome = row.status === 'denied' ? 'denied' : row.status === 'refused' ? 'refused by the device' : 'ended';
  const lines = [
    `**${kind} session ${outcome}** (requested by ${row.requester_name ?? `staff #${row.requested_by}`})`,
    '',
  ];
  lines.push(`- Reason given: ${row.reason.replace(/\s+/g, ' ').slice(0, 300)}`);
  if (consent)
    lines.push(
      `- Consent: ${consent.by === 'policy' ? "IT's policy (unattended)" : `the employee${typeof consent.name === 'string' ? ` (${consent.name})` : ''}`}${consent.confirmedControl === true ? ', control confirmed a second time (IT policy)' : ''}`,
    );
  else lines.push('- Consent: none given');
  lines.push(`- Requested: ${time(row.requested_at)}`);
  if (row.started_at !== null) {
    lines.push(`- Started: ${time(row.started_at)}`);
    lines.push(`- Ended: ${time(row.ended_at)}`);
    if (row.ended_at !== null)
      lines.push(`- Duration: ${formatRunTime(Number(row.ended_at) - Number(row.started_at))}`);
    // A screen share's media goes between the two ends (or through TURN), not through this server.
    if (row.kind !== 'share')
      lines.push(
        `- Traffic: ${formatBytes(Number(row.bytes_to_console))} to the console, ${formatBytes(Number(row.bytes_to_device))} to the device`,
      );
  }
  if (row.end_reason)
    lines.push(`- ${row.status === 'ended' ? 'Ended because' : 'Why'}: ${row.end_reason.slice(0, 500)}`);
  return lines.join('\n');
}
