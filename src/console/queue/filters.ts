import type { TicketStatus } from '../../shared/api/tickets';
import type { TicketQuery } from '../api/tickets.queries';
import { readJson, writeJson } from '../lib/storage';

/*
 * Queue filters live in the URL (?status=&priority=&assignee=&sla=&online=&group=&device=&q=) so a view
 * survives reloads, a sign-in after expiry, and can be linked (the device page links its queue).
 * Saved views are named query strings kept per technician in localStorage.
 */

/** The filter names the queue understands, all optional. */
export const FILTER_KEYS = ['status', 'priority', 'group', 'assignee', 'sla', 'online', 'device', 'q'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

const ALL_STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'resolved', 'closed'];

/** Filters from the location's query string (unknown keys dropped). */
export function filtersFrom(search: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = search.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

/** A canonical query string for filters: the same filters always give the same string. */
export function filtersToSearch(filters: Filters): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key] ?? '');
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The API query for GET /api/v1/tickets; "all" statuses expands to every status. The URL's values go
 * as they are (hence the casts): the server refuses one it does not know and the queue shows why.
 */
export function filtersToQuery(filters: Filters): TicketQuery {
  const status = filters.status === 'all' ? ALL_STATUSES : filters.status ? [filters.status] : undefined;
  return {
    status: status as TicketQuery['status'],
    priority: filters.priority as TicketQuery['priority'],
    group: filters.group,
    assignee: filters.assignee,
    sla: filters.sla as TicketQuery['sla'],
    online: filters.online as TicketQuery['online'],
    device: filters.device,
    q: filters.q,
  };
}

/** A named set of filters. */
export interface SavedView {
  name: string;
  search: string;
  builtIn?: boolean;
}

/** The views every technician starts with. */
export const DEFAULT_VIEWS: readonly SavedView[] = [
  { name: 'All open', search: '', builtIn: true },
  { name: 'My open', search: '?assignee=me', builtIn: true },
  { name: 'Unassigned', search: '?assignee=none', builtIn: true },
  { name: 'Breached', search: '?sla=breached', builtIn: true },
];

/** The technician's own views. */
export function readViews(staffId: number): SavedView[] {
  const views = readJson<unknown>(`views.${staffId}`, []);
  return Array.isArray(views)
    ? views.filter((v): v is SavedView => typeof v?.name === 'string' && typeof v?.search === 'string').slice(0, 30)
    : [];
}

/** Saves the technician's own views. */
export function writeViews(staffId: number, views: SavedView[]): void {
  writeJson(`views.${staffId}`, views);
}
