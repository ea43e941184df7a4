import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  type ReactElement,
  type ReactNode,
} from 'react';

/*
 * One polite live region for the whole window: screens announce the outcome of async work
 * ("Ticket sent", "Settings saved") so screen-reader users hear it without moving focus.
 */

const AnnounceContext = createContext<(message: string) => void>(() => {});

/** Provides `useAnnounce` and renders the visually hidden live region. */
export function AnnouncerProvider({ children }: { children: ReactNode }): ReactElement {
  const [message, setMessage] = useState('');
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const announce = useCallback((text: string) => {
    // Clearing first makes a repeated message be read again.
    setMessage('');
    clearTimeout(pending.current);
    pending.current = setTimeout(() => setMessage(text), 30);
  }, []);
  // A message still waiting when the window goes away is dropped, not set on an unmounted tree.
  useEffect(() => () => clearTimeout(pending.current), []);
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
