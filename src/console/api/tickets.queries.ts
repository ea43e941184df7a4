import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { pathOf } from '../../shared/api/endpoint-routes';
import type { TicketEventDto } from '../../shared/api/sla';
import type { MessageDto, TicketDto, TicketStatus } from '../../shared/api/tickets';
import type { Priority } from '../../shared/priority';
import { api, type Query } from './http';

/** How often the queue and an open ticket ask for changes (staff have no long poll). */
export const POLL_MS = 5000;
/** Rows per queue page. */
export const QUEUE_PAGE = 50;

/** One page of GET /tickets. */
export type TicketPage = { tickets: TicketDto[]; nextCursor: string | null; total: number };
/** The messages of a ticket read so far and the cursor to ask for newer ones. */
export type Thread = { messages: MessageDto[]; cursor: number };
export type TicketAttachments = MessageDto['attachments'];

export const ticketKeys = {
  all: ['tickets'] as const,
  /** The queue's pages for a filter (cursor paging). */
  queues: () => [...ticketKeys.all, 'queue'] as const,
  queue: (query: Query) => [...ticketKeys.queues(), query] as const,
  /** One-page lists (the device page's tickets). */
  lists: () => [...ticketKeys.all, 'list'] as const,
  list: (query: Query) => [...ticketKeys.lists(), query] as const,
  detail: (id: number) => [...ticketKeys.all, 'detail', id] as const,
  messages: (id: number) => [...ticketKeys.all, 'messages', id] as const,
  events: (id: number) => [...ticketKeys.all, 'events', id] as const,
  attachments: (id: number) => [...ticketKeys.all, 'attachments', id] as const,
};

// ---- The queue ----

/** The queue for a filter: pages of QUEUE_PAGE by cursor; `prefetchQueue` and the page share it. */
export function queueQuery(query: Query) {
  return infiniteQueryOptions({
    queryKey: ticketKeys.queue(query),
    queryFn: ({ pageParam, signal }) =>
      api.get<TicketPage>(pathOf('listTickets'), { ...query, limit: QUEUE_PAGE, cursor: pageParam }, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The queue, read again every POLL_MS while the console is visible (every loaded page, in place). */
export function useQueueQuery(query: Query) {
  return useInfiniteQuery({ ...queueQuery(query), refetchInterval: POLL_MS });
}

/**
 * Asks for the queue's first page while React is still rendering the shell (the page a technician
 * usually waits for first); the queue page then finds it in the cache or in flight.
 */
export function prefetchQueue(client: QueryClient, query: Query): void {
  void client.prefetchInfiniteQuery(queueQuery(query));
}

/** One page of tickets (the device page lists its tickets). */
export function useTicketList(query: Query) {
  return useQuery({
    queryKey: ticketKeys.list(query),
    queryFn: ({ signal }) => api.get<{ tickets: TicketDto[]; total: number }>(pathOf('listTickets'), query, { signal }),
  });
}

// ---- One ticket ----

export function ticketQuery(id: number) {
  return queryOptions({
    queryKey: ticketKeys.detail(id),
    queryFn: ({ signal }) => api.get<TicketDto>(pathOf('getTicket', { id }), undefined, { signal }),
  });
}

/** The ticket, followed every POLL_MS (changes by others arrive without a reload). */
export function useTicket(id: number) {
  return useQuery({ ...ticketQuery(id), refetchInterval: POLL_MS, enabled: Number.isInteger(id) && id > 0 });
}

/** Every message after `after`, following the server's pages of 200. */
async function messagesAfter(ticketId: number, after: number, signal?: AbortSignal): Promise<Thread> {
  const all: MessageDto[] = [];
  let cursor = after;
  for (;;) {
    const page = await api.get<Thread>(pathOf('listMessages', { id: ticketId }), { after: cursor }, { signal });
    all.push(...page.messages);
    if (page.messages.length < 200 || page.cursor === cursor) return { messages: all, cursor: page.cursor };
    cursor = page.cursor;
  }
}

function appendMessages(thread: Thread | undefined, fresh: Thread): Thread {
  if (!thread) return fresh;
  const known = new Set(thread.messages.map((m) => m.id));
  return {
    messages: [...thread.messages, ...fresh.messages.filter((m) => !known.has(m.id))],
    cursor: Math.max(thread.cursor, fresh.cursor),
  };
}

/** The ticket's thread: read whole once, then only what is newer than the last cursor, every POLL_MS. */
export function useTicketMessages(id: number) {
  const client = useQueryClient();
  return useQuery({
    queryKey: ticketKeys.messages(id),
    queryFn: async ({ signal }) => {
      const known = client.getQueryData<Thread>(ticketKeys.messages(id));
      return appendMessages(known, await messagesAfter(id, known?.cursor ?? 0, signal));
    },
    refetchInterval: POLL_MS,
    enabled: Number.isInteger(id) && id > 0,
  });
}

/** What the employee filed with the request itself (the agent's screenshot). */
export function useTicketAttachments(id: number) {
  return useQuery({
    queryKey: ticketKeys.attachments(id),
    queryFn: ({ signal }) =>
      api.get<{ attachments: TicketAttachments }>(pathOf('listTicketAttachments', { id }), undefined, { signal }),
    select: (answer) => answer.attachments,
  });
}

/** The URL of an attachment, for links and images. */
export function attachmentUrl(id: number): string {
  return pathOf('getAttachment', { id });
}

/** The ticket's history, oldest first. */
export function useTicketEvents(id: number) {
  return useQuery({
    queryKey: ticketKeys.events(id),
    queryFn: ({ signal }) =>
      api.get<{ events: TicketEventDto[] }>(pathOf('listTicketEvents', { id }), { limit: 1000 }, { signal }),
    select: (answer) => answer.events,
  });
}

// ---- Changes ----

/** After a ticket changed: its page shows the saved ticket, and queues, lists and history read again. */
function ticketChanged(client: QueryClient, ticket: TicketDto): void {
  client.setQueryData(ticketKeys.detail(ticket.id), ticket);
  // Not awaited: the mutation is done when the server answered; the reads follow in the background.
  void client.invalidateQueries({ queryKey: ticketKeys.queues() });
  void client.invalidateQueries({ queryKey: ticketKeys.lists() });
  void client.invalidateQueries({ queryKey: ticketKeys.events(ticket.id) });
}

export type TicketPatch = Partial<{
  status: TicketStatus;
  assigneeId: number | null;
  group: string | null;
  priority: Priority;
  category: string;
}>;

/** Changes status, assignee, group, priority or category. */
export function useUpdateTicket(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TicketPatch) => api.patch<TicketDto>(pathOf('updateTicket', { id }), body),
    onSuccess: (ticket) => ticketChanged(client, ticket),
  });
}

export type Escalation = { group?: string; raisePriority: boolean; note?: string };

export function useEscalateTicket(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Escalation) => api.post<TicketDto>(pathOf('escalateTicket', { id }), body),
    onSuccess: (ticket) => ticketChanged(client, ticket),
  });
}

/** Posts a reply or an internal note: the thread shows it at once, the ticket and the queue follow. */
export function usePostMessage(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { body: string; internal: boolean }) =>
      api.post<MessageDto>(pathOf('postMessage', { id }), body),
    onSuccess: (message) => {
      // Appended only to a thread already read (its cursor then moves past the new message).
      client.setQueryData<Thread>(ticketKeys.messages(id), (thread) =>
        thread ? appendMessages(thread, { messages: [message], cursor: message.id }) : thread,
      );
      void client.invalidateQueries({ queryKey: ticketKeys.detail(id) });
      void client.invalidateQueries({ queryKey: ticketKeys.queues() });
      void client.invalidateQueries({ queryKey: ticketKeys.lists() });
      void client.invalidateQueries({ queryKey: ticketKeys.events(id) });
    },
  });
}
