import RFB from '@novnc/novnc';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { pathOf } from '../../shared/api/endpoint-routes';
import { REMOTE_TOKEN_PROTOCOL_PREFIX, REMOTE_TUNNEL_PROTOCOL } from '../../shared/remote/remote-limits';
import {
  consoleTokenOf,
  forgetConsoleToken,
  isFinal,
  useRejoinRemoteSession,
  useRemoteSession,
  useStopRemoteSession,
  type RemoteSessionDto,
} from '../api/remote.queries';
import { ClipboardPanel } from './ClipboardPanel';

/*
 * A remote session's page (issue 13): waits for the employee's consent, then noVNC (@novnc/novnc's RFB)
 * connects to the session's console tunnel on this server (same origin; the session's one-time token as a
 * WebSocket subprotocol, the device's one-time VNC password from the authenticated API) and shows the
 * screen. Stop ends the session for both sides; "Ctrl+Alt+Del" sends the three keys; a control session can
 * be switched to view only here (a view session is view-only on the device itself: x11vnc -viewonly). A control
 * session has a clipboard panel (ClipboardPanel.tsx) both ways. The tunnel's token is one-time: after a reload
 * (or a lost connection: Reconnect) the page asks the server to join again (the requester only) for a fresh one,
 * and the device's side waits for it a while. This page loads as its own chunk, with noVNC.
 */

type Link = 'waiting' | 'connecting' | 'connected' | 'closed' | 'failed';

const WAITING_TEXT: Partial<Record<RemoteSessionDto['status'], string>> = {
  requested: 'Sent to the device…',
  'awaiting-consent': 'Waiting for the employee to allow it…',
  accepted: 'Allowed; connecting to the screen…',
};

function tunnelUrl(id: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${pathOf('remoteConsoleTunnel', { id })}`;
}

export function RemoteSessionPage({ params }: { params: Record<string, string> }): ReactElement {
  const id = params.id ?? '';
  const session = useRemoteSession(id);
  const stop = useStopRemoteSession();
  const rejoin = useRejoinRemoteSession();
  const rejoinTried = useRef(false);
  const screen = useRef<HTMLDivElement>(null);
  const rfb = useRef<RFB | null>(null);
  const started = useRef(false);
  const [link, setLink] = useState<Link>('waiting');
  const [detail, setDetail] = useState<string | null>(null);
  const [viewOnly, setViewOnly] = useState(false);
  const [deviceClipboard, setDeviceClipboard] = useState<string | null>(null);
  const s = session.data;
  const [token, setToken] = useState(() => consoleTokenOf(id));
  const joinable = s !== undefined && (s.status === 'accepted' || s.status === 'active');

  /** A fresh one-time token for this page (a reload, a lost connection), then connect again. */
  const joinAgain = () =>
    rejoin.mutate(id, {
      onSuccess: (answer) => {
        started.current = false;
        setDetail(null);
        setToken(answer.consoleToken ?? null);
      },
    });
  // Opened without a token (a reload: the one this tab had is used): join again, once, if the session runs.
  useEffect(() => {
    if (!joinable || token || started.current || rejoinTried.current) return;
    rejoinTried.current = true;
    joinAgain();
  }, [joinable, token]);

  useEffect(() => {
    if (!s || !joinable || started.current || !token || !screen.current) return;
    started.current = true;
    setLink('connecting');
    const client = new RFB(screen.current, tunnelUrl(id), {
      wsProtocols: [REMOTE_TUNNEL_PROTOCOL, REMOTE_TOKEN_PROTOCOL_PREFIX + token],
      ...(s.vncPassword ? { credentials: { password: s.vncPassword } } : {}),
    });
    // The token is one-time: once used, nothing else in this tab may try it.
    forgetConsoleToken(id);
    setToken(null);
    client.scaleViewport = true;
    client.background = '#1e1e1e';
    client.viewOnly = s.kind === 'view';
    client.addEventListener('connect', () => {
      setLink('connected');
      client.focus();
    });
    client.addEventListener('disconnect', (e) => {
      setLink((e as CustomEvent<{ clean: boolean }>).detail.clean ? 'closed' : 'failed');
      rfb.current = null;
    });
    // Text copied on the device (x11vnc sends CLIPBOARD changes of a control session, nothing of a view one).
    client.addEventListener('clipboard', (e) => {
      setDeviceClipboard((e as CustomEvent<{ text: string }>).detail.text);
    });
    client.addEventListener('credentialsrequired', () => {
      setDetail('The VNC server asks for a password the device did not give.');
      client.disconnect();
    });
    client.addEventListener('securityfailure', (e) => {
      const d = (e as CustomEvent<{ status: number; reason?: string }>).detail;
      setDetail(`The VNC server refused the connection${d.reason ? `: ${d.reason}` : ''}.`);
    });
    rfb.current = client;
  }, [s, joinable, token, id]);

  // The session ended elsewhere (the employee, the device, a timeout): close the screen.
  useEffect(() => {
    if (s && isFinal(s)) rfb.current?.disconnect();
  }, [s]);
  useEffect(() => () => rfb.current?.disconnect(), []);

  if (session.isPending) return <div className="page muted">Loading…</div>;
  if (!s)
    return (
      <section className="page">
        <p role="alert">This remote session could not be loaded: {session.error?.message}</p>
      </section>
    );

  const ended = isFinal(s);
  const status = ended
    ? `${s.status === 'ended' ? 'Ended' : s.status === 'denied' ? 'Denied' : s.status === 'refused' ? 'Refused' : 'Expired'}${s.endReason ? `: ${s.endReason}` : ''}`
    : link === 'connected'
      ? `Connected — ${s.kind === 'control' ? (viewOnly ? 'view only (you switched control off)' : 'you control the screen') : 'view only'}`
      : link === 'failed'
        ? 'The connection to the screen was lost'
        : (WAITING_TEXT[s.status] ?? 'Connecting…');

  return (
    <section className="page remote-page" aria-labelledby="remote-title">
      <header className="page-header">
        <a className="btn btn-small" href={s.ticketId ? `/tickets/${s.ticketId}?tab=device` : `/devices/${s.deviceId}`}>
          ← Back
        </a>
        <h1 id="remote-title">{s.kind === 'control' ? 'Remote control' : 'Remote view'}</h1>
        <span className="remote-status" role="status" data-link={link} data-session={s.status}>
          {status}
        </span>
      </header>
      {!ended && !token && link === 'waiting' && rejoin.isError && (
        <p role="alert">This session cannot be joined from here: {rejoin.error.message}</p>
      )}
      {detail && <p role="alert">{detail}</p>}
      <div className="remote-toolbar">
        <button
          type="button"
          className="btn btn-danger"
          disabled={ended || stop.isPending}
          onClick={() => {
            stop.mutate(id);
            rfb.current?.disconnect();
          }}
        >
          Stop
        </button>
        {!ended && (link === 'failed' || link === 'closed') && (
          <button type="button" className="btn" disabled={rejoin.isPending} onClick={joinAgain}>
            Reconnect
          </button>
        )}
        <button
          type="button"
          className="btn"
          disabled={link !== 'connected' || s.kind === 'view' || viewOnly}
          onClick={() => rfb.current?.sendCtrlAltDel()}
        >
          Send Ctrl+Alt+Del
        </button>
        <label className="remote-toggle">
          <input
            type="checkbox"
            checked={s.kind === 'view' || viewOnly}
            disabled={s.kind === 'view' || link !== 'connected'}
            onChange={(e) => {
              setViewOnly(e.target.checked);
              if (rfb.current) rfb.current.viewOnly = e.target.checked;
            }}
          />
          View only
        </label>
        {s.consent && (
          <span className="muted">
            Allowed by{' '}
            {s.consent.by === 'policy' ? "IT's policy" : `the employee${s.consent.name ? ` (${s.consent.name})` : ''}`}
            {s.consent.confirmedControl && ', control confirmed a second time'}
          </span>
        )}
      </div>
      <div className="remote-screen" ref={screen} data-testid="remote-screen" aria-label="The device's screen" />
      {s.kind === 'control' && (
        <ClipboardPanel
          canSend={link === 'connected' && !viewOnly && !ended}
          fromDevice={deviceClipboard}
          onSend={(text) => rfb.current?.clipboardPasteFrom(text)}
        />
      )}
    </section>
  );
}
