import { useCallback, useRef, type ReactElement } from 'react';
import { invoke } from '../../lib/bridge';
import { useIpcQuery } from '../../lib/ipc-query';

/*
 * Live chat on a ticket thread: who of the help desk has the ticket open (and whether they are typing),
 * pushed by main as `ticket:presence` events (ipc-cache.ts keeps the query current), and the employee's
 * own typing, signalled to main which sends the channel's throttled `typing` frame.
 */

/** The window calls main at most this often while the employee types (main throttles the frames itself). */
const TYPING_SIGNAL_MS = 2000;

/** "<name> is here" / "<name> is typing…", read out politely when it changes. */
export function PresenceLine({ ticketId }: { ticketId: number }): ReactElement {
  const presence = useIpcQuery('ticket:presence', { ticketId }).value;
  const name = presence?.staff?.name ?? 'Your technician';
  const text = presence?.typing ? `${name} is typing…` : presence?.staff ? `${name} is here` : '';
  // Always rendered, even empty: a live region must exist before its text changes to be read out.
  return (
    <p className="presence muted small" role="status" aria-live="polite" aria-atomic="true" data-testid="presence">
      {text && <span className={`presence-dot${presence?.typing ? ' presence-typing' : ''}`} aria-hidden="true" />}
      {text}
    </p>
  );
}

/** A callback for the reply box's changes that tells main the employee is typing (throttled). */
export function useTypingSignal(ticketId: number): (text: string) => void {
  const last = useRef(0);
  return useCallback(
    (text: string) => {
      if (text.trim().length === 0) return;
      const now = Date.now();
      if (now - last.current < TYPING_SIGNAL_MS) return;
      last.current = now;
      void invoke('ticket:typing', { ticketId });
    },
    [ticketId],
  );
}
