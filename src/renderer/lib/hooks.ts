import { useEffect, useRef, useState } from 'react';
import type { IpcEvent, IpcEventPayload } from '../../shared/ipc/contract';
import { subscribe } from './bridge';

/*
 * Small window hooks. Reading and changing data goes through ipc-query.ts (TanStack Query); these
 * are for what is not data: one-off events, debouncing, and the benchmark's mark.
 */

/** Listens to a main-process event for the lifetime of the component. */
export function useBridgeEvent<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => subscribe(event, (payload) => ref.current(payload)), [event]);
}

/** The value, once it has stopped changing for `delayMs`. */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/** Marks the moment the first screen shows real data (read by the window benchmark). */
export function useMarkInteractive(ready: boolean): void {
  useEffect(() => {
    if (ready && performance.getEntriesByName('deskside:interactive').length === 0)
      performance.mark('deskside:interactive');
  }, [ready]);
}
