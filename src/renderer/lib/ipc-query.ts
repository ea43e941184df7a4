import {
  keepPreviousData,
  notifyManager,
  QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useCallback } from 'react';
import type { IpcArg, IpcChannel, IpcResponse, IpcResult } from '../../shared/ipc/contract';
import { invoke } from './bridge';
import { applyMutation, ipcKey } from './ipc-cache';

/*
 * The window's one data layer: TanStack Query over the IPC bridge. A query is keyed by its channel
 * and argument (`ipcKey`), so every screen that reads the same channel shares one cache entry; the
 * main process's pushed events (ipc-cache.ts) and the mutations below update or invalidate it, so a
 * change shows on every screen at once.
 */

/** A channel's error value, thrown inside the query so TanStack keeps it as the query's error. */
export class IpcFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function fetchIpc<C extends IpcChannel>(channel: C, arg: IpcArg<C>): Promise<IpcResult<C>> {
  const response = await invoke(channel, arg);
  if (!response.ok) throw new IpcFailure(response.error.code, response.error.message);
  return response.value;
}

/** The window's query client. Retries are off: main answers at once, and its errors are meant for the employee. */
export function createQueryClient(): QueryClient {
  // Answers reach the screens in the same task (a microtask), not in a later timer task: while the
  // window starts, a timer waits behind parsing and layout, and the first screen showed ~100 ms later.
  notifyManager.setScheduler(queueMicrotask);
  return new QueryClient({
    defaultOptions: {
      // Stale at once, so a screen shows the cached value and refreshes it when it opens (as the window
      // always did); pushed events and mutations keep it current while it is open.
      queries: { retry: false, staleTime: 0, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { retry: false },
    },
  });
}

/** The state of one request: loading the first time, then its value or its error (keeping the last value). */
export type Query<T> =
  | { status: 'loading'; value: null; error: null }
  | { status: 'ok'; value: T; error: null }
  | { status: 'error'; value: T | null; error: string };

/**
 * Reads a channel through the cache. While it refreshes the previous value stays on screen (no flash
 * back to a spinner); `reload()` fetches again. `enabled: false` waits without calling main;
 * `keepPrevious` shows the last argument's value while a new argument loads (search as you type).
 */
export function useIpcQuery<C extends IpcChannel>(
  channel: C,
  arg: IpcArg<C>,
  { keepPrevious = false, ...options }: { enabled?: boolean; staleTime?: number; keepPrevious?: boolean } = {},
): Query<IpcResult<C>> & { reload: () => void } {
  const query = useQuery({
    queryKey: ipcKey(channel, arg),
    queryFn: () => fetchIpc(channel, arg),
    ...options,
    ...(keepPrevious ? { placeholderData: keepPreviousData } : {}),
  });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  if (query.status === 'pending') return { status: 'loading', value: null, error: null, reload };
  if (query.status === 'error')
    return { status: 'error', value: query.data ?? null, error: query.error.message, reload };
  return { status: 'ok', value: query.data, error: null, reload };
}

/**
 * A channel that changes something: answers with the Result value (never throws), and on success
 * updates or invalidates every cached query it changed (see `applyMutation`).
 */
export function useIpcMutation<C extends IpcChannel>(channel: C): (arg: IpcArg<C>) => Promise<IpcResponse<C>> {
  const client = useQueryClient();
  const { mutateAsync } = useMutation({
    mutationFn: (arg: IpcArg<C>) => invoke(channel, arg),
    onSuccess: (response, arg) => {
      if (response.ok) applyMutation(client, channel, arg, response.value);
    },
  });
  return mutateAsync;
}
