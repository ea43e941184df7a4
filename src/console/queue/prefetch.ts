import type { TicketDto } from '../../shared/api/tickets';
import { api } from '../api/http';
import { filtersFrom, filtersToQuery, filtersToSearch } from './filters';

type Page = { tickets: TicketDto[]; nextCursor: string | null; total: number };

let pending: { key: string; page: Promise<Page> } | null = null;

/**
 * Asks for the queue's first page while React is still rendering the shell, when the console opens
 * on the queue: the page is usually the first thing a technician waits for.
 */
export function prefetchQueue(location: Location, limit: number): void {
  if (location.pathname !== '/') return;
  const filters = filtersFrom(new URLSearchParams(location.search));
  const page = api.get<Page>('/api/v1/tickets', { ...filtersToQuery(filters), limit });
  // A failure is handled by the queue page, which then simply asks again.
  page.catch(() => undefined);
  pending = { key: filtersToSearch(filters), page };
}

/** The prefetched first page for these filters, once; null when there is none. */
export function takePrefetchedQueue(key: string): Promise<Page> | null {
  const found = pending && pending.key === key ? pending.page : null;
  pending = null;
  return found;
}
