import { useCallback, useEffect, useRef, useState } from 'react';
import type { TicketDto } from '../../shared/api/tickets';
import { api, type ApiError, type Query } from '../api/http';
import { takePrefetchedQueue } from './prefetch';

/** How often the queue asks for changes; staff have no long poll (GET /tickets/updates is for devices). */
export const POLL_MS = 5000;
/** Rows per page. */
export const PAGE = 50;
/** The most rows one refresh re-reads; rows below stay as they were loaded. */
const MAX_REFRESH = 200;
/** How long a ticket that appeared by itself stays highlighted. */
const FRESH_MS = 8000;

interface QueueState {
  tickets: TicketDto[];
  nextCursor: string | null;
  total: number;
  loading: boolean;
  loadingMore: boolean;
  error: ApiError | null;
}

type Page = { tickets: TicketDto[]; nextCursor: string | null; total: number };

/**
 * The queue for a filter: the first page, "load more" by cursor, and a refresh every few seconds
 * that re-reads the loaded head of the queue in place. Tickets that appear by refresh are reported
 * in `fresh` for a short highlight.
 */
export function useQueue(query: Query, queryKey: string) {
  const [state, setState] = useState<QueueState>({
    tickets: [],
    nextCursor: null,
    total: 0,
    loading: true,
    loadingMore: false,
    error: null,
  });
  const [fresh, setFresh] = useState<ReadonlySet<number>>(new Set());
  const stateRef = useRef(state);
  stateRef.current = state;
  const queryRef = useRef(query);
  queryRef.current = query;
  const generation = useRef(0);

  const fetchPage = (limit: number, cursor?: string, signal?: AbortSignal) =>
    api.get<Page>('/api/v1/tickets', { ...queryRef.current, limit, cursor }, { signal });

  useEffect(() => {
    const mine = ++generation.current;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    setFresh(new Set());
    const prefetched = takePrefetchedQueue(queryKey);
    // A prefetch that failed (signed out at the time) is simply asked again.
    (prefetched
      ? prefetched.catch(() => fetchPage(PAGE, undefined, controller.signal))
      : fetchPage(PAGE, undefined, controller.signal)
    ).then(
      (page) => mine === generation.current && setState({ ...page, loading: false, loadingMore: false, error: null }),
      (error: Error) => {
        if (error.name !== 'AbortError' && mine === generation.current)
          setState((s) => ({ ...s, loading: false, error: error as ApiError }));
      },
    );
    return () => controller.abort();
  }, [queryKey]);

  const refresh = useCallback(async () => {
    const mine = generation.current;
    const current = stateRef.current;
    if (current.loading) return;
    const limit = Math.min(MAX_REFRESH, Math.max(PAGE, current.tickets.length));
    let page: Page;
    try {
      page = await fetchPage(limit);
    } catch {
      return; // A failed poll changes nothing on screen; the next one tries again.
    }
    if (mine !== generation.current) return;
    const known = new Set(stateRef.current.tickets.map((t) => t.id));
    const appeared = page.tickets.filter((t) => !known.has(t.id)).map((t) => t.id);
    setState((s) => {
      const head = new Set(page.tickets.map((t) => t.id));
      const rest = s.tickets.length > limit ? s.tickets.slice(limit).filter((t) => !head.has(t.id)) : [];
      return {
        ...s,
        tickets: [...page.tickets, ...rest],
        nextCursor: rest.length > 0 ? s.nextCursor : page.nextCursor,
        total: page.total,
        error: null,
      };
    });
    if (appeared.length > 0) {
      setFresh((f) => new Set([...f, ...appeared]));
      window.setTimeout(() => setFresh((f) => new Set([...f].filter((id) => !appeared.includes(id)))), FRESH_MS);
    }
  }, []);

  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [refresh]);

  const loadMore = useCallback(async () => {
    const current = stateRef.current;
    if (!current.nextCursor || current.loadingMore) return;
    const mine = generation.current;
    setState((s) => ({ ...s, loadingMore: true }));
    try {
      const page = await fetchPage(PAGE, current.nextCursor);
      if (mine !== generation.current) return;
      setState((s) => {
        const have = new Set(s.tickets.map((t) => t.id));
        return {
          ...s,
          tickets: [...s.tickets, ...page.tickets.filter((t) => !have.has(t.id))],
          nextCursor: page.nextCursor,
          total: page.total,
          loadingMore: false,
        };
      });
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ ...s, loadingMore: false, error: error as ApiError }));
    }
  }, []);

  return { ...state, fresh, loadMore, refresh };
}
