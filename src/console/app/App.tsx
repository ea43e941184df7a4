import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import type { StaffUserDto } from '../../shared/api/auth';
import { onSessionExpired, setCsrfToken } from '../api/http';
import { createQueryClient } from '../api/query-client';
import { fetchSession, logout, type SessionAnswer } from '../api/session.queries';
import { interceptLinks } from './links';
import { SessionContext } from './session';
import { Shell } from './Shell';
import { SignIn } from './SignIn';

export type { SessionAnswer };

type State =
  | { kind: 'loading' }
  | { kind: 'signed-out'; message: string | null }
  | { kind: 'signed-in'; user: StaffUserDto }
  | { kind: 'unreachable'; message: string };

/** Asks the server who is signed in; started by the boot code before React renders. */
export function requestSession(): Promise<SessionAnswer> {
  const pending = fetchSession();
  pending.catch(() => undefined); // handled where it is awaited
  return pending;
}

/**
 * The console's root: asks the server for the current session, shows sign-in until there is one,
 * and drops back to sign-in (keeping the URL, so the technician returns to the same page) when
 * any request answers 401. It holds the data layer's one QueryClient (made by the boot code, which
 * may have started the queue's first page in it); what it cached is dropped when the session ends.
 */
export function App({
  firstSession,
  queryClient,
}: {
  firstSession?: Promise<SessionAnswer>;
  queryClient?: QueryClient;
}): ReactElement {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const first = useRef(firstSession);
  const [client] = useState(() => queryClient ?? createQueryClient());

  const load = useCallback(async () => {
    try {
      // The boot code may have asked already (in parallel with the first queue page); use that answer once.
      const pending = first.current ?? fetchSession();
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
      await logout();
    } catch {
      // Signed out locally either way; the server session ends at its idle timeout.
    }
    setCsrfToken(null);
    setState({ kind: 'signed-out', message: 'You are signed out.' });
  }, []);

  // Once signed out (the pages are gone), nothing read for the last session stays in memory.
  useEffect(() => {
    if (state.kind === 'signed-out') client.clear();
  }, [state.kind, client]);

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
        <QueryClientProvider client={client}>
          <SessionContext.Provider value={{ user: state.user, signOut }}>
            <Shell />
          </SessionContext.Provider>
        </QueryClientProvider>
      );
  }
}
