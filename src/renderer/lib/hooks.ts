import { useCallback, useEffect, useRef, useState } from 'react';
import type { IpcArg, IpcChannel, IpcEvent, IpcEventPayload, IpcResult } from '../../shared/ipc/contract';
import { invoke, subscribe } from './bridge';

/** The state of one request: loading the first time, then its value or its error. */
export type Query<T> =
  | { status: 'loading'; value: null; error: null }
  | { status: 'ok'; value: T; error: null }
  | { status: 'error'; value: T | null; error: string };

/**
 * Runs a channel on mount and whenever `key` changes or `reload()` is called. While reloading the
 * previous value stays on screen (no flash back to a spinner); late answers of stale requests are dropped.
 */
export function useIpcQuery<C extends IpcChannel>(
  channel: C,
  arg: IpcArg<C>,
  key = '',
): Query<IpcResult<C>> & { reload: () => void } {
  const [query, setQuery] = useState<Query<IpcResult<C>>>({ status: 'loading', value: null, error: null });
  const [generation, setGeneration] = useState(0);
  const argRef = useRef(arg);
  argRef.current = arg;
  const valueRef = useRef<IpcResult<C> | null>(null);
  const lastKey = useRef(key);

  useEffect(() => {
    let live = true;
    if (lastKey.current !== key) {
      lastKey.current = key;
      valueRef.current = null;
      setQuery({ status: 'loading', value: null, error: null });
    }
    void invoke(channel, argRef.current).then((response) => {
      if (!live) return;
      if (response.ok) {
        valueRef.current = response.value;
        setQuery({ status: 'ok', value: response.value, error: null });
      } else {
        setQuery({ status: 'error', value: valueRef.current, error: response.error.message });
      }
    });
    return () => {
      live = false;
    };
  }, [channel, key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...query, reload };
}

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
