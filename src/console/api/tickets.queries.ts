import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import type { MessageDto, TicketDto } from '../../shared/api/tickets';
import { call, urlOf, type BodyOf, type QueryOf } from './http';

/** How often the queue and an open ticket ask for changes (staff have no long poll). */
export const POLL_MS = 5000;
/** Rows per queue page. */
export const QUEUE_PAGE = 50;

/** The messages of a ticket read so far and the cursor to ask for newer ones. */
/** The filters of GET /tickets (the queue's and the device page's). */
export type TicketQuery = QueryOf<'listTickets'>;
export type Thread = { messages: MessageDto[]; cursor: number };

export const ticketKeys = {
  all: ['tickets'] as const,
  /** The queue's pages for a filter (cursor paging). */
  queues: () => [...ticketKeys.all, 'queue'] as const,
  queue: (query: TicketQuery) => [...ticketKeys.queues(), query] as const,
  /** One-page lists (the device page's tickets). */
  lists: () => [...ticketKeys.all, 'list'] as const,
  list: (query: TicketQuery) => [...ticketKeys.lists(), query] as const,
  detail: (id: number) => [...ticketKeys.all, 'detail', id] as const,
  messages: (id: number) => [...ticketKeys.all, 'messages', id] as const,
  events: (id: number) => [...ticketKeys.all, 'events', id] as const,
  attachments: (id: number) => [...ticketKeys.all, 'attachments', id] as const,
};

// ---- The queue ----

/** The queue for a filter: pages of QUEUE_PAGE by cursor; `prefetchQueue` and the page share it. */
export function queueQuery(query: TicketQuery) {
  return infiniteQueryOptions({
    queryKey: ticketKeys.queue(query),
    queryFn: ({ pageParam, signal }) =>
      call('listTickets', { query: { ...query, limit: QUEUE_PAGE, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The queue, read again every POLL_MS while the console is visible (every loaded page, in place). */
export function useQueueQuery(query: TicketQuery) {
  return useInfiniteQuery({ ...queueQuery(query), refetchInterval: POLL_MS });
}

/**
 * Asks for the queue's first page while React is still rendering the shell (the page a technician
 * usually waits for first); the queue page then finds it in the cache or in flight.
 */
export function prefetchQueue(client: QueryClient, query: TicketQuery): void {
  void client.prefetchInfiniteQuery(queueQuery(query));
}

/** One page of tickets (the device page lists its tickets). */
export function useTicketList(query: TicketQuery) {
  return useQuery({
    queryKey: ticketKeys.list(query),
    queryFn: ({ signal }) => call('listTickets', { query, signal }),
  });
}

// ---- One ticket ----

export function ticketQuery(id: number) {
  return queryOptions({
    queryKey: ticketKeys.detail(id),
    queryFn: ({ signal }) => call('getTicket', { params: { id }, signal }),
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
    const page = await call('listMessages', { params: { id: ticketId }, query: { after: cursor }, signal });
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

/**
 * Reads an open thread whole again (the incremental read only brings newer messages): what changes on
 * messages already shown, such as delivered and read marks. Nothing is read for a thread nobody shows.
 */
export async function reloadThread(client: QueryClient, id: number): Promise<void> {
  if (!client.getQueryData<Thread>(ticketKeys.messages(id))) return;
  client.setQueryData<Thread>(ticketKeys.messages(id), await messagesAfter(id, 0));
}

/** What the employee filed with the request itself (the agent's screenshot). */
export function useTicketAttachments(id: number) {
  return useQuery({
    queryKey: ticketKeys.attachments(id),
    queryFn: ({ signal }) => call('listTicketAttachments', { params: { id }, signal }),
    select: (answer) => answer.attachments,
  });
}

/** The URL of an attachment, for links and images. */
export function attachmentUrl(id: number): string {
  return urlOf('getAttachment', { params: { id } });
}

/** The ticket's history, oldest first. */
export function useTicketEvents(id: number) {
  return useQuery({
    queryKey: ticketKeys.events(id),
    queryFn: ({ signal }) => call('listTicketEvents', { params: { id }, query: { limit: 1000 }, signal }),
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

/** What PATCH /tickets/:id takes: status, assignee, group, priority, category, urgency, impact. */
export type TicketPatch = BodyOf<'updateTicket'>;

/** Changes status, assignee, group, priority or category. */
export function useUpdateTicket(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TicketPatch) => call('updateTicket', { params: { id }, body }),
    onSuccess: (ticket) => ticketChanged(client, ticket),
  });
}

export type Escalation = BodyOf<'escalateTicket'>;

export function useEscalateTicket(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Escalation) => call('escalateTicket', { params: { id }, body }),
    onSuccess: (ticket) => ticketChanged(client, ticket),
  });
}

/** Posts a reply or an internal note: the thread shows it at once, the ticket and the queue follow. */
export function usePostMessage(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<'postMessage'>) => call('postMessage', { params: { id }, body }),
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
