import { useEffect, useState, type ReactElement } from 'react';
import type { AnswerOf } from '../api/http';
import { call } from '../api/http';
import { asApiError } from '../api/query-client';
import './mail.css';

/*
 * The two pages an employee reaches from a mail, without signing in: the signed token in the link says
 * who they are (and which ticket). /mail/rate rates a resolved ticket; /mail/emails chooses which emails
 * they get. They sit outside the console's session (main.tsx renders them before any sign-in).
 */

const tokenOf = () => new URLSearchParams(window.location.search).get('token') ?? '';

function Frame({ title, children }: { title: string; children: ReactElement | ReactElement[] }): ReactElement {
  return (
    <main className="mail-public card stack">
      <div className="brand-plain">◆ Deskside help desk</div>
      <h1>{title}</h1>
      {children}
    </main>
  );
}

function RatePage(): ReactElement {
  const [invite, setInvite] = useState<AnswerOf<'getRatingInvite'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  const [done, setDone] = useState(false);
  useEffect(() => {
    call('getRatingInvite', { query: { token: tokenOf() } }).then(setInvite, (e: unknown) =>
      setError(asApiError(e).message),
    );
  }, []);
  if (error)
    return (
      <Frame title="Rate the help you got">
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      </Frame>
    );
  if (!invite)
    return (
      <Frame title="Rate the help you got">
        <p className="muted">Loading…</p>
      </Frame>
    );
  if (done)
    return (
      <Frame title="Thank you">
        <p>Your rating of ticket #{invite.ticketId} was recorded.</p>
      </Frame>
    );
  return (
    <Frame title="Rate the help you got">
      <p>
        Ticket #{invite.ticketId}: <strong>{invite.subject}</strong>
      </p>
      <form
        className="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await call('submitMailRating', {
              body: { token: tokenOf(), satisfaction: stars, comment: comment.trim() || null },
            });
            setDone(true);
          } catch (err) {
            setError(asApiError(err).message);
          }
        }}
      >
        <div className="mail-stars" role="radiogroup" aria-label="Rating">
          {[1, 2, 3, 4, 5].map((n) => (
            <button
              key={n}
              type="button"
              role="radio"
              aria-checked={stars === n}
              aria-label={`${n} of 5`}
              className={stars >= n ? 'btn btn-primary' : 'btn'}
              onClick={() => setStars(n)}
            >
              ★
            </button>
          ))}
        </div>
        <label className="field">
          <span>Anything to add? (optional)</span>
          <textarea
            className="input"
            rows={3}
            maxLength={2000}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
        </label>
        <div>
          <button type="submit" className="btn btn-primary" disabled={stars === 0}>
            Send rating
          </button>
        </div>
      </form>
    </Frame>
  );
}

function EmailsPage(): ReactElement {
  const [sub, setSub] = useState<AnswerOf<'getMailSubscription'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    call('getMailSubscription', { query: { token: tokenOf() } }).then(setSub, (e: unknown) =>
      setError(asApiError(e).message),
    );
  }, []);
  const toggle = async (kind: (typeof sub & object)['preferences'][number]['kind'], enabled: boolean) => {
    // The box follows the click at once (a controlled box would otherwise wait for the server) and goes back
    // if the server refuses.
    const mark = (value: boolean) =>
      setSub(
        (s) => s && { ...s, preferences: s.preferences.map((p) => (p.kind === kind ? { ...p, enabled: value } : p)) },
      );
    mark(enabled);
    try {
      setSub(await call('putMailSubscription', { body: { token: tokenOf(), preferences: [{ kind, enabled }] } }));
      setSaved(true);
    } catch (err) {
      mark(!enabled);
      setError(asApiError(err).message);
    }
  };
  return (
    <Frame title="Emails from the help desk">
      {error ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : (
        <></>
      )}
      {sub ? (
        <div className="stack">
          <p>
            Which emails <strong>{sub.email}</strong> gets about help-desk requests:
          </p>
          {sub.preferences.map((p) => (
            <label key={p.kind} className="admin-check">
              <input type="checkbox" checked={p.enabled} onChange={(e) => void toggle(p.kind, e.target.checked)} />
              {p.label}
            </label>
          ))}
          {saved ? (
            <p className="muted" role="status">
              Saved.
            </p>
          ) : (
            <></>
          )}
        </div>
      ) : (
        <></>
      )}
    </Frame>
  );
}

/** The public page for the current path, or null when the path is not one of them. */
export function PublicMailPage({ path }: { path: string }): ReactElement | null {
  if (path === '/mail/rate') return <RatePage />;
  if (path === '/mail/emails') return <EmailsPage />;
  return null;
}
