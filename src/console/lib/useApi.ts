import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/http';

/** What a page shows while data loads, after it loaded, or when it failed. */
export type Loadable<T> = { status: 'loading' } | { status: 'ok'; data: T } | { status: 'error'; error: ApiError };

/**
 * Loads data with `load` whenever `key` changes; `reload()` fetches again in the background
 * (keeping what is shown). Answers of superseded loads are dropped.
 */
export function useApi<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
): { state: Loadable<T>; reload(): Promise<void>; set(data: T): void } {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);

  const run = useCallback(async (signal: AbortSignal, background: boolean) => {
    const mine = ++generation.current;
    if (!background) setState({ status: 'loading' });
    try {
      const data = await loadRef.current(signal);
      if (mine === generation.current) setState({ status: 'ok', data });
    } catch (error) {
      if ((error as Error).name === 'AbortError' || mine !== generation.current) return;
      const apiError = error instanceof ApiError ? error : new ApiError(0, 'client_error', (error as Error).message);
      // A background refresh that fails keeps the data on screen.
      setState((current) => (background && current.status === 'ok' ? current : { status: 'error', error: apiError }));
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void run(controller.signal, false);
    return () => controller.abort();
  }, [key, run]);

  const reload = useCallback(() => run(new AbortController().signal, true), [run]);
  const set = useCallback((data: T) => setState({ status: 'ok', data }), []);
  return { state, reload, set };
}
