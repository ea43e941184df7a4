import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { formatDateTime } from '../../../shared/format';
import type { SharePrompt, ShareSource } from '../../../shared/ipc/contract';
import type { ShareIceConfig } from '../../../shared/remote/share-limits';
import { SHARE_CHAT_MAX } from '../../../shared/remote/share-limits';
import type { ShareToDeviceSignal } from '../../../shared/remote/share-signals';
import { invoke } from '../../lib/bridge';
import { useBridgeEvent } from '../../lib/hooks';
import { startSharePeer, type SharePeer, type SharePeerState } from '../../lib/share-peer';
import './share.css';

/*
 * Screen share in the employee's window (issue 13). A technician's request shows as a prompt over any
 * screen: who asks and why, what they will see (the screen or window chosen here), Allow / Deny. After
 * Allow the window captures what was chosen (getDisplayMedia; in Electron, main's display-media handler
 * hands it exactly the chosen source) and, once the help desk says `start`, offers it over WebRTC
 * (lib/share-peer.ts). While shared, an indicator stays on top of every screen with Stop and the session
 * chat (on the WebRTC data channel, not stored: the ticket's conversation is where things are recorded); the
 * technician's pointer and annotations are handed to main, which draws them over the shared screen.
 *
 * The session and its signals are pushed by main (`share:session`, `share:signal`) and drive an imperative
 * WebRTC peer, so this reads them with events and refs rather than the query cache.
 */

interface ChatLine {
  from: 'me' | 'them';
  text: string;
}

const LINK_TEXT: Record<SharePeerState | 'waiting', string> = {
  waiting: 'waiting for the technician to connect…',
  connecting: 'connecting…',
  connected: 'they can see it now.',
  failed: 'the connection failed.',
  closed: 'the connection closed.',
};

export function ScreenShare(): ReactElement | null {
  const [session, setSession] = useState<SharePrompt | null>(null);
  const [link, setLink] = useState<SharePeerState | 'waiting'>('waiting');
  const [chat, setChat] = useState<ChatLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const ice = useRef<ShareIceConfig | null>(null);
  const peer = useRef<SharePeer | null>(null);
  const early = useRef<Array<Exclude<ShareToDeviceSignal, { type: 'start' }>>>([]);
  const sessionId = session?.sessionId ?? null;

  useEffect(() => {
    void invoke('share:current', {}).then((r) => r.ok && setSession(r.value.session));
  }, []);
  useBridgeEvent('share:session', ({ session: next }) => setSession(next));

  const stopSharing = useCallback((id: string, reason?: string) => {
    void invoke('share:stop', { sessionId: id, ...(reason ? { reason } : {}) });
  }, []);

  // Starts the peer once both the capture and the help desk's `start` are there.
  const maybeStart = useCallback((id: string) => {
    if (peer.current || !stream.current || !ice.current) return;
    setLink('connecting');
    peer.current = startSharePeer({
      stream: stream.current,
      ice: ice.current,
      send: (signal) => void invoke('share:signal', { sessionId: id, signal }),
      onState: setLink,
      onMessage: (message) => setChat((lines) => [...lines, { from: 'them', text: message.text }]),
      // The technician's pointer and annotations: main validates each and draws it over the shared screen.
      onOverlay: (data) => void invoke('share:overlay', { sessionId: id, data }),
    });
    for (const signal of early.current.splice(0)) void peer.current.receive(signal);
  }, []);

  useBridgeEvent('share:signal', ({ sessionId: id, signal }) => {
    if (id !== sessionId) return;
    if (signal.type === 'start') {
      ice.current = signal.ice;
      maybeStart(id);
    } else if (peer.current) void peer.current.receive(signal);
    else early.current.push(signal);
  });

  // The share ended (or another began): let go of the capture and the connection.
  useEffect(
    () => () => {
      peer.current?.close();
      peer.current = null;
      for (const track of stream.current?.getTracks() ?? []) track.stop();
      stream.current = null;
      ice.current = null;
      early.current = [];
      setLink('waiting');
      setChat([]);
      setError(null);
    },
    [sessionId],
  );

  const allow = async (sourceId: string | null) => {
    if (!session) return;
    const id = session.sessionId;
    setError(null);
    const answered = await invoke('share:answer', { sessionId: id, allow: true, sourceId });
    if (!answered.ok) return setError(answered.error.message);
    try {
      const captured = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      stream.current = captured;
      // The capture ended outside the window (the screen went away, the OS's own stop): the share ends.
      for (const track of captured.getVideoTracks())
        track.addEventListener('ended', () => stopSharing(id, 'the capture ended on the computer'));
      maybeStart(id);
    } catch (e) {
      setError('Your screen could not be captured.');
      stopSharing(id, `the screen could not be captured: ${(e as Error).name}`);
    }
  };

  if (!session) return null;
  if (session.state === 'asking')
    return (
      <ShareConsent
        session={session}
        error={error}
        onAllow={(sourceId) => void allow(sourceId)}
        onDeny={async () => {
          const r = await invoke('share:answer', { sessionId: session.sessionId, allow: false, sourceId: null });
          if (!r.ok) setError(r.error.message);
        }}
      />
    );
  return (
    <SharingIndicator
      session={session}
      link={link}
      chat={chat}
      error={error}
      onStop={() => stopSharing(session.sessionId)}
      onSend={(text) => {
        if (peer.current?.chat(text)) setChat((lines) => [...lines, { from: 'me', text }]);
        else setError('The chat is not connected yet.');
      }}
    />
  );
}

function ShareConsent({
  session,
  error,
  onAllow,
  onDeny,
}: {
  session: SharePrompt;
  error: string | null;
  onAllow(sourceId: string | null): void;
  onDeny(): void;
}): ReactElement {
  const [sources, setSources] = useState<ShareSource[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void invoke('share:sources', {}).then((r) => {
      if (!r.ok) return;
      setSources(r.value.sources);
      setChosen(r.value.sources[0]?.id ?? null);
    });
  }, []);

  return (
    <section
      className="card stack consent share-consent"
      role="alertdialog"
      aria-labelledby="share-heading"
      aria-describedby="share-what"
      data-testid="share-consent"
    >
      <h2 id="share-heading">{session.requestedBy} asks to see your screen</h2>
      {session.reason && (
        <p>
          <strong>Why:</strong> {session.reason}
        </p>
      )}
      <p id="share-what">
        They will see only what you choose, until you press Stop. They cannot type or click on this computer.
      </p>
      {sources.length > 0 ? (
        <fieldset className="share-sources">
          <legend>What to share</legend>
          {sources.map((source) => (
            <label key={source.id} className="share-source">
              <input
                type="radio"
                name="share-source"
                value={source.id}
                checked={chosen === source.id}
                onChange={() => setChosen(source.id)}
              />
              {source.thumbnail && <img src={source.thumbnail} alt="" width={160} height={90} />}
              <span>
                {source.kind === 'screen' ? 'Screen: ' : 'Window: '}
                {source.name}
              </span>
            </label>
          ))}
        </fieldset>
      ) : (
        <p className="muted small">You choose the screen or window in the next step.</p>
      )}
      <p className="muted small">
        {session.ticketId !== null && <>About ticket #{session.ticketId}. </>}
        If you do not answer by {formatDateTime(session.expiresAt)}, nothing is shared.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="row">
        <button
          type="button"
          className="button button-primary"
          disabled={busy || (sources.length > 0 && chosen === null)}
          onClick={() => {
            setBusy(true);
            onAllow(chosen);
          }}
        >
          Allow
        </button>
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            onDeny();
          }}
        >
          Deny
        </button>
      </div>
    </section>
  );
}

function SharingIndicator({
  session,
  link,
  chat,
  error,
  onStop,
  onSend,
}: {
  session: SharePrompt;
  link: SharePeerState | 'waiting';
  chat: ChatLine[];
  error: string | null;
  onStop(): void;
  onSend(text: string): void;
}): ReactElement {
  const [draft, setDraft] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim()) return;
    onSend(draft.trim());
    setDraft('');
  };
  return (
    <section className="share-indicator" aria-label="Screen sharing" data-testid="share-indicator" data-link={link}>
      <div className="share-indicator-bar">
        <span className="share-dot" aria-hidden="true" />
        <p role="status">
          <strong>Your screen is shared with {session.requestedBy}</strong> — {LINK_TEXT[link]}
        </p>
        <button type="button" className="button button-danger" onClick={onStop}>
          Stop sharing
        </button>
      </div>
      <ol className="share-chat" aria-label="Session chat" aria-live="polite">
        {chat.map((line, i) => (
          <li key={i} className={line.from === 'me' ? 'share-chat-me' : 'share-chat-them'}>
            <strong>{line.from === 'me' ? 'You' : session.requestedBy}:</strong> {line.text}
          </li>
        ))}
      </ol>
      <form className="share-chat-form" onSubmit={submit}>
        <label htmlFor="share-chat-input" className="visually-hidden">
          Message to {session.requestedBy}
        </label>
        <input
          id="share-chat-input"
          value={draft}
          maxLength={SHARE_CHAT_MAX}
          onChange={(e) => setDraft(e.target.value)}
          placeholder={`Message to ${session.requestedBy}`}
          disabled={link !== 'connected'}
        />
        <button type="submit" className="button" disabled={link !== 'connected' || !draft.trim()}>
          Send
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
