import { useId, useState, type ReactElement } from 'react';
import { useLocation } from 'wouter';
import { COMMAND_REASON_MAX } from '../../shared/actions/command-status';
import type { RemoteKind } from '../../shared/remote/remote-limits';
import { useDeviceRemoteSessions, useRequestRemoteSession } from '../api/remote.queries';
// The session page is a lazy chunk; its styles stay in the main stylesheet with these.
import './remote.css';

/*
 * "View screen" / "Take control" on a ticket's device or a device's page (issue 13): the technician says
 * why (the employee reads it in the consent prompt), the server signs the request for the device, and the
 * session page opens to wait for consent and show the screen. Below, the device's recent sessions.
 */

const STATUS_TEXT: Record<string, string> = {
  requested: 'Requested',
  'awaiting-consent': 'Waiting for the employee',
  accepted: 'Allowed, connecting',
  active: 'In progress',
  ended: 'Ended',
  denied: 'Denied by the employee',
  refused: 'Refused by the device',
  expired: 'Expired unanswered',
};

const KIND_TEXT: Record<RemoteKind, string> = { view: 'View', control: 'Control', share: 'Screen share' };

export function RemoteAccess({ deviceId, ticketId }: { deviceId: string; ticketId: number | null }): ReactElement {
  const [, navigate] = useLocation();
  const [reason, setReason] = useState('');
  const request = useRequestRemoteSession(deviceId);
  const sessions = useDeviceRemoteSessions(deviceId);
  const reasonId = useId();

  const ask = (kind: RemoteKind) => {
    if (!reason.trim()) return;
    request.mutate(
      { kind, ticketId, reason: reason.trim() },
      { onSuccess: (session) => navigate(`/${session.kind === 'share' ? 'share' : 'remote'}/${session.id}`) },
    );
  };

  return (
    <section className="card remote-access" aria-labelledby={`${reasonId}-title`}>
      <h2 id={`${reasonId}-title`}>Remote assistance</h2>
      <p className="muted">
        The employee is asked first (or IT&apos;s policy decides); a view-only session cannot type or click.
      </p>
      <label htmlFor={reasonId}>Why (the employee reads this)</label>
      <input
        id={reasonId}
        value={reason}
        maxLength={COMMAND_REASON_MAX}
        onChange={(e) => setReason(e.target.value)}
        placeholder="e.g. Look at the printer settings with you"
      />
      <div className="remote-buttons">
        <button
          type="button"
          className="btn"
          disabled={!reason.trim() || request.isPending}
          onClick={() => ask('view')}
        >
          View screen
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!reason.trim() || request.isPending}
          onClick={() => ask('control')}
        >
          Take control
        </button>
        <button
          type="button"
          className="btn"
          disabled={!reason.trim() || request.isPending}
          onClick={() => ask('share')}
        >
          Share screen (WebRTC)
        </button>
      </div>
      {request.error && (
        <p role="alert" className="error">
          {request.error.message}
        </p>
      )}
      {sessions.data && sessions.data.length > 0 && (
        <ul className="remote-sessions" aria-label="Recent remote sessions">
          {sessions.data.slice(0, 5).map((s) => (
            <li key={s.id}>
              <a href={`/${s.kind === 'share' ? 'share' : 'remote'}/${s.id}`}>
                {KIND_TEXT[s.kind]} · {STATUS_TEXT[s.status] ?? s.status}
              </a>{' '}
              <span className="muted">by {s.requestedBy.name ?? 'someone'}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
