import { useEffect, useRef, useState } from 'react';
import type { TicketDto } from '../../shared/api/tickets';

/** How long a ticket that appeared by itself stays highlighted. */
const FRESH_MS = 8000;

/**
 * The tickets that appeared by a refresh (not by the first load of this filter, nor by "load more",
 * which adds a page), wherever the queue's order puts them, for a short highlight.
 */
export function useFreshTickets(
  tickets: readonly TicketDto[] | undefined,
  pages: number,
  filterKey: string,
): ReadonlySet<number> {
  const known = useRef<{ key: string; ids: Set<number>; pages: number } | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<number>>(new Set());
  const timers = useRef(new Set<number>());
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => window.clearTimeout(timer));
  }, []);

  useEffect(() => {
    if (!tickets) return;
    const before = known.current;
    known.current = { key: filterKey, ids: new Set(tickets.map((t) => t.id)), pages };
    if (!before || before.key !== filterKey) {
      setFresh(new Set());
      return;
    }
    if (pages > before.pages) return; // "load more": older tickets, not new ones
    const appeared = tickets.filter((t) => !before.ids.has(t.id)).map((t) => t.id);
    if (appeared.length === 0) return;
    setFresh((f) => new Set([...f, ...appeared]));
    // Each highlight ends on its own clock, whatever refreshes come meanwhile.
    const timer = window.setTimeout(() => {
      timers.current.delete(timer);
      setFresh((f) => new Set([...f].filter((id) => !appeared.includes(id))));
    }, FRESH_MS);
    timers.current.add(timer);
  }, [tickets, pages, filterKey]);

  return fresh;
}
