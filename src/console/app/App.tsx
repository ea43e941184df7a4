import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import type { SessionState, StaffUserDto } from '../../shared/api/auth';
import { api, onSessionExpired, setCsrfToken } from '../api/http';
import { interceptLinks } from './router';
import { SessionContext } from './session';
import { Shell } from './Shell';
import { SignIn } from './SignIn';

/** GET /api/v1/auth/session's answer: signed in or not (never an HTTP error for "not"). */
export type SessionAnswer = SessionState;

type State =
  | { kind: 'loading' }
  | { kind: 'signed-out'; message: string | null }
  | { kind: 'signed-in'; user: StaffUserDto }
  | { kind: 'unreachable'; message: string };

/** Asks the server who is signed in; started by the boot code before React renders. */
export function requestSession(): Promise<SessionAnswer> {
  const pending = api.get<SessionAnswer>('/api/v1/auth/session');
  pending.catch(() => undefined); // handled where it is awaited
  return pending;
}

/**
 * The console's root: asks the server for the current session, shows sign-in until there is one,
 * and drops back to sign-in (keeping the URL, so the technician returns to the same page) when
 * any request answers 401.
 */
export function App({ firstSession }: { firstSession?: Promise<SessionAnswer> }): ReactElement {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const first = useRef(firstSession);

  const load = useCallback(async () => {
    try {
      // The boot code may have asked already (in parallel with the first queue page); use that answer once.
      const pending = first.current ?? api.get<SessionAnswer>('/api/v1/auth/session');
      first.current = undefined;
      const session = await pending;
      if (session.signedIn) {
        setCsrfToken(session.csrfToken);
        setState({ kind: 'signed-in', user: session.user });
      } else setState({ kind: 'signed-out', message: null });
    } catch (error) {
      setState({ kind: 'unreachable', message: (error as Error).message });
    }
  }, []);

  useEffect(() => {
    const removeLinks = interceptLinks();
    const removeExpiry = onSessionExpired(() => {
      setCsrfToken(null);
      setState((current) =>
        current.kind === 'signed-in'
          ? { kind: 'signed-out', message: 'Your session expired. Sign in again to continue where you were.' }
          : current,
      );
    });
    void load();
    return () => {
      removeLinks();
      removeExpiry();
    };
  }, [load]);

  const signOut = useCallback(async () => {
    try {
      await api.post('/api/v1/auth/logout');
    } catch {
      // Signed out locally either way; the server session ends at its idle timeout.
    }
    setCsrfToken(null);
    setState({ kind: 'signed-out', message: 'You are signed out.' });
  }, []);

  switch (state.kind) {
    case 'loading':
      return (
        <div className="boot" role="status">
          Loading the console…
        </div>
      );
    case 'unreachable':
      return (
        <main className="boot">
          <div className="alert alert-error" role="alert">
            {state.message}
          </div>
          <button type="button" className="btn" onClick={() => void load()}>
            Try again
          </button>
        </main>
      );
    case 'signed-out':
      return (
        <SignIn
          message={state.message}
          onSignedIn={(answer) => {
            setCsrfToken(answer.csrfToken);
            setState({ kind: 'signed-in', user: answer.user });
          }}
        />
      );
    case 'signed-in':
      return (
        <SessionContext.Provider value={{ user: state.user, signOut }}>
          <Shell />
        </SessionContext.Provider>
      );
  }
}
