import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { SHARE_CHAT_MAX } from '../../shared/remote/share-limits';
import type { ShareOverlayMessage } from '../../shared/remote/share-overlay';
import {
  consoleTokenOf,
  forgetConsoleToken,
  isFinal,
  useRemoteSession,
  useStopRemoteSession,
  type RemoteSessionDto,
} from '../api/remote.queries';
import { ShareAnnotations } from './ShareAnnotations';
import { joinShare, type ShareLink, type ShareViewer } from './share-peer';
import './remote.css';

/*
 * A screen-share session's page (issue 13): waits for the employee's consent, then joins over WebRTC
 * (share-peer.ts) and plays the employee's screen or window. Beside it, the session chat; over it, the
 * technician's pointer and drawings (ShareAnnotations.tsx), which the employee's computer draws over the
 * shared screen. Stop ends the share for both. The status says whether the media comes directly or through the TURN relay.
 */

const WAITING_TEXT: Partial<Record<RemoteSessionDto['status'], string>> = {
  requested: 'Sent to the device…',
  'awaiting-consent': 'Waiting for the employee to allow it and choose what to share…',
  accepted: 'Allowed; connecting…',
};

interface ChatLine {
  from: 'me' | 'them';
  text: string;
}

export function SharePage({ params }: { params: Record<string, string> }): ReactElement {
  const id = params.id ?? '';
  const session = useRemoteSession(id);
  const stop = useStopRemoteSession();
  const video = useRef<HTMLVideoElement>(null);
  const viewer = useRef<ShareViewer | null>(null);
  const started = useRef(false);
  const [videoElement, setVideoElement] = useState<HTMLVideoElement | null>(null);
  const [link, setLink] = useState<ShareLink | 'waiting'>('waiting');
  const [detail, setDetail] = useState<string | null>(null);
  const [route, setRoute] = useState<'relay' | 'direct' | null>(null);
  const [chat, setChat] = useState<ChatLine[]>([]);
  const [draft, setDraft] = useState('');
  const s = session.data;
  const token = consoleTokenOf(id);
  const joinable = s !== undefined && s.status === 'accepted';

  useEffect(() => {
    if (!s || !joinable || started.current || !token || !video.current) return;
    started.current = true;
    // The token is one-time: once used, nothing else in this tab may try it.
    forgetConsoleToken(id);
    viewer.current = joinShare({
      sessionId: id,
      token,
      video: video.current,
      onLink: (next, why) => {
        setLink(next);
        if (why) setDetail(why);
      },
      onMessage: (message) => {
        if (message.type === 'chat') setChat((lines) => [...lines, { from: 'them', text: message.text }]);
      },
    });
  }, [s, joinable, token, id]);

  // Once connected, read how the media arrives (and again if the route changes).
  useEffect(() => {
    if (link !== 'connected') return;
    const read = () => void viewer.current?.route().then(setRoute);
    read();
    const timer = setInterval(read, 2_000);
    return () => clearInterval(timer);
  }, [link]);

  useEffect(() => {
    if (s && isFinal(s)) viewer.current?.close();
  }, [s]);
  useEffect(() => () => viewer.current?.close(), []);
  const sendOverlay = useCallback((message: ShareOverlayMessage) => viewer.current?.overlay(message) ?? false, []);

  if (session.isPending) return <div className="page muted">Loading…</div>;
  if (!s)
    return (
      <section className="page">
        <p role="alert">This screen share could not be loaded: {session.error?.message}</p>
      </section>
    );

  const ended = isFinal(s) || link === 'ended';
  const status = isFinal(s)
    ? `${s.status === 'ended' ? 'Ended' : s.status === 'denied' ? 'Denied' : s.status === 'refused' ? 'Refused' : 'Expired'}${s.endReason ? `: ${s.endReason}` : ''}`
    : link === 'connected'
      ? `Connected — you see the employee's screen${route === 'relay' ? ' (through the TURN relay)' : route === 'direct' ? ' (direct)' : ''}`
      : link === 'failed'
        ? 'The connection failed'
        : link === 'ended'
          ? 'Ended'
          : link === 'connecting' || link === 'signaling'
            ? 'Connecting to the screen…'
            : (WAITING_TEXT[s.status] ?? 'Connecting…');

  const send = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (text && viewer.current?.chat(text)) {
      setChat((lines) => [...lines, { from: 'me', text }]);
      setDraft('');
    }
  };

  return (
    <section className="page remote-page" aria-labelledby="share-title">
      <header className="page-header">
        <a className="btn btn-small" href={s.ticketId ? `/tickets/${s.ticketId}?tab=device` : `/devices/${s.deviceId}`}>
          ← Back
        </a>
        <h1 id="share-title">Screen share</h1>
        <span className="remote-status" role="status" data-link={link} data-route={route ?? ''} data-session={s.status}>
          {status}
        </span>
      </header>
      {!ended && !token && !started.current && (
        <p className="muted">This share was requested in another tab or browser; only that tab can join it.</p>
      )}
      {detail && link === 'failed' && <p role="alert">{detail}</p>}
      <div className="remote-toolbar">
        <button
          type="button"
          className="btn btn-danger"
          disabled={ended || stop.isPending}
          onClick={() => {
            stop.mutate(id);
            viewer.current?.close();
          }}
        >
          Stop
        </button>
        {s.consent && (
          <span className="muted">Allowed by the employee{s.consent.name ? ` (${s.consent.name})` : ''}</span>
        )}
      </div>
      <div className="share-layout">
        <ShareAnnotations video={videoElement} active={link === 'connected' && !ended} send={sendOverlay}>
          <video
            ref={(element) => {
              video.current = element;
              setVideoElement(element);
            }}
            className="remote-screen share-video"
            data-testid="share-video"
            aria-label="The employee's shared screen"
            autoPlay
            muted
            playsInline
          />
        </ShareAnnotations>
        <aside className="card share-chat-panel" aria-label="Session chat">
          <h2>Chat</h2>
          <ol className="share-chat-lines">
            {chat.map((line, i) => (
              <li key={i}>
                <strong>{line.from === 'me' ? 'You' : 'Employee'}:</strong> {line.text}
              </li>
            ))}
          </ol>
          <form onSubmit={send}>
            <label htmlFor="share-chat-draft">Message to the employee</label>
            <input
              id="share-chat-draft"
              value={draft}
              maxLength={SHARE_CHAT_MAX}
              onChange={(e) => setDraft(e.target.value)}
              disabled={link !== 'connected'}
            />
            <button type="submit" className="btn" disabled={link !== 'connected' || !draft.trim()}>
              Send
            </button>
          </form>
        </aside>
      </div>
    </section>
  );
}
