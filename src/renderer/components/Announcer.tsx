import { createContext, useCallback, useContext, useState, type ReactElement, type ReactNode } from 'react';

/*
 * One polite live region for the whole window: screens announce the outcome of async work
 * ("Ticket sent", "Settings saved") so screen-reader users hear it without moving focus.
 */

const AnnounceContext = createContext<(message: string) => void>(() => {});

/** Provides `useAnnounce` and renders the visually hidden live region. */
export function AnnouncerProvider({ children }: { children: ReactNode }): ReactElement {
  const [message, setMessage] = useState('');
  const announce = useCallback((text: string) => {
    // Clearing first makes a repeated message be read again.
    setMessage('');
    setTimeout(() => setMessage(text), 30);
  }, []);
  return (
    <AnnounceContext.Provider value={announce}>
      {children}
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="live-region">
        {message}
      </div>
    </AnnounceContext.Provider>
  );
}

/** A function that reads a message out through the live region. */
export function useAnnounce(): (message: string) => void {
  return useContext(AnnounceContext);
}
