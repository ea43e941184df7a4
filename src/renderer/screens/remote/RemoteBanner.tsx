import { useEffect, useState, type ReactElement } from 'react';
import type { RemoteSessionPrompt } from '../../../shared/ipc/contract';
import { useIpcMutation } from '../../lib/ipc-query';
import { useRemoteSession } from './use-remote-session';

/*
 * The indicator of a running remote session (issue 13): a banner across the top of the window, above the
 * navigation and every screen, saying who sees or controls the screen and for how long, with Stop. Stop ends
 * the session at once (main stops the VNC server and tells the help desk it was the employee); main's
 * `remote:session` event then removes the banner.
 */

/** Elapsed time as a clock: "0:42", "12:05", "1:02:03". */
export function elapsedClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** "Sam Rivera is viewing your screen" / "… is controlling your screen". */
export function remoteActivity(session: Pick<RemoteSessionPrompt, 'requestedBy' | 'kind'>): string {
  return `${session.requestedBy} is ${session.kind === 'control' ? 'controlling' : 'viewing'} your screen`;
}

function Elapsed({ since }: { since: string }): ReactElement {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <time className="remote-banner-time" dateTime={since} aria-label="Elapsed time">
      {elapsedClock(now - Date.parse(since))}
    </time>
  );
}

export function RemoteBanner(): ReactElement | null {
  const session = useRemoteSession();
  const stop = useIpcMutation('remote:stop');
  const [stopping, setStopping] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!session || session.state !== 'active') return null;

  const onStop = async () => {
    setStopping(session.sessionId);
    setError(null);
    const res = await stop({ sessionId: session.sessionId });
    if (!res.ok) {
      setStopping(null);
      setError(res.error.message);
    }
  };

  return (
    <div
      className={`remote-banner remote-banner-${session.kind}`}
      role="region"
      aria-label="Remote session"
      data-testid="remote-banner"
    >
      <span className="remote-banner-dot" aria-hidden="true" />
      <p className="remote-banner-text">
        <strong>{remoteActivity(session)}</strong>
        {session.startedAt && (
          <>
            {' '}
            · <Elapsed since={session.startedAt} />
          </>
        )}
        {session.ticketId !== null && <span className="remote-banner-ticket"> · ticket #{session.ticketId}</span>}
      </p>
      {error && (
        <p role="alert" className="remote-banner-error">
          {error}
        </p>
      )}
      <button
        type="button"
        className="button button-small remote-banner-stop"
        disabled={stopping === session.sessionId}
        onClick={() => void onStop()}
      >
        Stop
      </button>
    </div>
  );
}
