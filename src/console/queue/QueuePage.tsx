import { useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { TicketDto } from '../../shared/api/tickets';
import { useLocation, useSearch } from 'wouter';
import { useQueueQuery } from '../api/tickets.queries';
import { useSession } from '../app/session';
import { LoadError } from '../components/Badges';
import { isUnread, readSeen } from '../lib/storage';
import { useNow } from '../lib/time';
import { filtersFrom, filtersToQuery, filtersToSearch, type FilterKey } from './filters';
import { FilterBar, SavedViews } from './QueueFilters';
import { useFreshTickets } from './fresh';
import { QueueTable } from './QueueTable';
import './queue.css';

/** Whether a key press belongs to a form control rather than to the queue's shortcuts. */
function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/** The ticket queue: filters, saved views, SLA countdowns, unread marks, keyboard navigation, live updates. */
export function QueuePage(): ReactElement {
  const { user } = useSession();
  const search = useSearch();
  const [, navigate] = useLocation();
  const filters = useMemo(() => filtersFrom(new URLSearchParams(search)), [search]);
  const key = filtersToSearch(filters);
  const query = useMemo(() => filtersToQuery(filters), [key]);
  // Every loaded page is read again every few seconds while the console is visible.
  const result = useQueueQuery(query);
  const pages = result.data?.pages;
  const tickets = useMemo(() => {
    if (!pages) return undefined;
    const seenIds = new Set<number>();
    return pages.flatMap((p) => p.tickets).filter((t) => !seenIds.has(t.id) && seenIds.add(t.id));
  }, [pages]);
  const fresh = useFreshTickets(tickets, pages?.length ?? 0, key);
  const queue = {
    tickets: tickets ?? [],
    total: pages?.at(-1)?.total ?? 0,
    loading: result.isPending,
    hasMore: result.hasNextPage,
    loadingMore: result.isFetchingNextPage,
    // A failed refresh changes nothing on screen (the next one tries again); a failed first load or
    // "load more" says so.
    error: result.isLoadingError || result.isFetchNextPageError ? result.error : null,
  };
  const now = useNow(10_000);
  const [selected, setSelected] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);
  // Read once per render pass: opening a ticket and coming back re-mounts the page.
  const seen = useMemo(() => readSeen(user.id), [user.id, queue.tickets]);
  const unread = useCallback((t: TicketDto) => isUnread(seen, t), [seen]);

  useEffect(() => setSelected(0), [key]);

  const setFilter = (name: FilterKey, value: string) =>
    navigate(`/${filtersToSearch({ ...filters, [name]: value || undefined })}`, { replace: true });

  const ticketsRef = useRef(queue.tickets);
  ticketsRef.current = queue.tickets;
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || typingIn(event.target)) return;
      const count = ticketsRef.current.length;
      if (event.key === '/') {
        event.preventDefault();
        searchRef.current?.focus();
      } else if ((event.key === 'j' || event.key === 'ArrowDown') && count > 0) {
        event.preventDefault();
        setSelected((i) => Math.min(count - 1, i + 1));
      } else if ((event.key === 'k' || event.key === 'ArrowUp') && count > 0) {
        event.preventDefault();
        setSelected((i) => Math.max(0, i - 1));
      } else if (event.key === 'Enter' && !(event.target as HTMLElement | null)?.closest?.('a, button')) {
        const ticket = ticketsRef.current[selectedRef.current];
        if (ticket) navigate(`/tickets/${ticket.id}`);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const unreadCount = queue.tickets.filter(unread).length;
  return (
    <section className="page queue-page" aria-labelledby="queue-title">
      <header className="page-header">
        <h1 id="queue-title">Queue</h1>
        <span className="muted" aria-live="polite">
          {queue.loading
            ? 'Loading…'
            : `${queue.tickets.length.toLocaleString('en')} of ${queue.total.toLocaleString('en')} tickets · ${unreadCount} unread`}
        </span>
      </header>
      <SavedViews filters={filters} onApply={(s) => navigate(`/${s}`, { replace: true })} />
      <FilterBar filters={filters} onChange={setFilter} searchRef={searchRef} />
      <p id="queue-keys" className="muted small keys-hint">
        <kbd>j</kbd>/<kbd>k</kbd> or <kbd>↑</kbd>/<kbd>↓</kbd> move · <kbd>Enter</kbd> opens · <kbd>/</kbd> searches ·
        updates every few seconds
      </p>
      {queue.error && <LoadError message={queue.error.message} onRetry={() => void result.refetch()} />}
      <div className="card queue-card">
        {!queue.loading && queue.tickets.length === 0 ? (
          <div className="empty">No tickets match these filters.</div>
        ) : (
          <QueueTable
            tickets={queue.tickets}
            selected={selected}
            isUnread={unread}
            fresh={fresh}
            now={now}
            onSelect={setSelected}
          />
        )}
      </div>
      {queue.hasMore && (
        <div className="pager">
          <button
            type="button"
            className="btn"
            onClick={() => void result.fetchNextPage()}
            disabled={queue.loadingMore}
          >
            {queue.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </section>
  );
}
