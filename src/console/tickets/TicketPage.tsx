import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import type { MessageDto, TicketDto } from '../../shared/api/tickets';
import { api } from '../api/http';
import { navigate, useLocation } from '../app/router';
import { useSession } from '../app/session';
import { useTitle } from '../app/Shell';
import { LoadError, PriorityBadge, StatusBadge } from '../components/Badges';
import { markSeen } from '../lib/storage';
import { useApi } from '../lib/useApi';
import { SnapshotChanges } from '../snapshots/SnapshotChanges';
import { SnapshotViewer } from '../snapshots/SnapshotViewer';
import { History } from './History';
import { ReplyBox } from './ReplyBox';
import { SidePanel } from './SidePanel';
import { Thread } from './Thread';
import './ticket.css';

const POLL_MS = 5000;
const TABS = [
  ['conversation', 'Conversation'],
  ['snapshot', 'Snapshot'],
  ['changes', 'What changed'],
  ['history', 'History'],
] as const;
type Tab = (typeof TABS)[number][0];

/** Every message after `after`, following the server's pages of 200. */
async function messagesAfter(
  ticketId: number,
  after: number,
  signal?: AbortSignal,
): Promise<{ messages: MessageDto[]; cursor: number }> {
  const all: MessageDto[] = [];
  let cursor = after;
  for (;;) {
    const page = await api.get<{ messages: MessageDto[]; cursor: number }>(
      `/api/v1/tickets/${ticketId}/messages`,
      { after: cursor },
      { signal },
    );
    all.push(...page.messages);
    if (page.messages.length < 200 || page.cursor === cursor) return { messages: all, cursor: page.cursor };
    cursor = page.cursor;
  }
}

/** The ticket page: thread and reply, snapshot, what changed, history, and the side panel. */
export function TicketPage({ params }: { params: Record<string, string> }): ReactElement {
  const id = Number(params.id);
  const { user } = useSession();
  const { search } = useLocation();
  const tab: Tab = (TABS.find(([key]) => key === search.get('tab'))?.[0] ?? 'conversation') as Tab;
  const [messages, setMessages] = useState<MessageDto[]>([]);
  const cursor = useRef(0);
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [ticket, thread] = await Promise.all([
        api.get<TicketDto>(`/api/v1/tickets/${id}`, undefined, { signal }),
        messagesAfter(id, 0, signal),
      ]);
      cursor.current = thread.cursor;
      setMessages(thread.messages);
      return ticket;
    },
    [id],
  );
  const { state, set, reload } = useApi(`ticket-${id}`, load);
  const ticket = state.status === 'ok' ? state.data : null;
  useTitle(ticket ? `#${ticket.id} ${ticket.subject}` : `Ticket #${params.id}`);

  useEffect(() => {
    if (ticket) markSeen(user.id, id);
  }, [ticket?.lastMessageAt, user.id, id]);

  // Replies and changes by others arrive without a reload.
  useEffect(() => {
    if (!Number.isInteger(id) || id <= 0) return;
    const timer = window.setInterval(async () => {
      if (document.visibilityState !== 'visible') return;
      try {
        const fresh = await messagesAfter(id, cursor.current);
        if (fresh.messages.length > 0) {
          cursor.current = fresh.cursor;
          setMessages((m) => [...m, ...fresh.messages.filter((n) => !m.some((o) => o.id === n.id))]);
        }
        await reload();
      } catch {
        // The next poll tries again; a 401 already took the technician to sign-in.
      }
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [id, reload]);

  if (!Number.isInteger(id) || id <= 0)
    return (
      <section className="page">
        <h1>No such ticket</h1>
      </section>
    );
  if (state.status === 'loading')
    return (
      <section className="page">
        <p className="muted" role="status">
          Loading ticket #{id}…
        </p>
      </section>
    );
  if (state.status === 'error') {
    return (
      <section className="page">
        <h1>Ticket #{id}</h1>
        <LoadError
          message={state.error.status === 404 ? 'This ticket does not exist.' : state.error.message}
          onRetry={() => void reload()}
        />
      </section>
    );
  }
  const t = state.data;
  const posted = (message: MessageDto) => {
    cursor.current = Math.max(cursor.current, message.id);
    setMessages((m) => [...m, message]);
    void reload();
  };
  const tabHref = (key: Tab) => `/tickets/${id}${key === 'conversation' ? '' : `?tab=${key}`}`;

  return (
    <section className="page ticket-page" aria-labelledby="ticket-title">
      <header className="page-header ticket-header">
        <a href="/" className="btn btn-small" aria-label="Back to the queue">
          ← Queue
        </a>
        <h1 id="ticket-title">
          <span className="muted">#{t.id}</span> {t.subject}
        </h1>
        <StatusBadge status={t.status} />
        <PriorityBadge priority={t.priority} />
      </header>
      <div className="ticket-layout">
        <div className="stack ticket-main">
          <div className="tabs" role="tablist" aria-label="Ticket views">
            {TABS.map(([key, label]) => (
              <a
                key={key}
                role="tab"
                className="tab"
                href={tabHref(key)}
                aria-selected={tab === key}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(tabHref(key), { replace: true });
                }}
              >
                {label}
                {key === 'snapshot' && t.findingCodes.length > 0 && (
                  <span className="badge badge-warning tab-count">{t.findingCodes.length}</span>
                )}
              </a>
            ))}
          </div>
          <div role="tabpanel" aria-label={TABS.find(([k]) => k === tab)?.[1]}>
            {tab === 'conversation' && (
              <div className="stack">
                <Thread ticket={t} messages={messages} />
                <ReplyBox ticketId={t.id} onPosted={posted} />
              </div>
            )}
            {tab === 'snapshot' &&
              (t.snapshotId ? (
                <SnapshotViewer snapshotId={t.snapshotId} />
              ) : (
                <div className="card empty">This ticket came without a snapshot.</div>
              ))}
            {tab === 'changes' &&
              (t.snapshotId ? (
                <SnapshotChanges snapshotId={t.snapshotId} />
              ) : (
                <div className="card empty">This ticket came without a snapshot.</div>
              ))}
            {tab === 'history' && <History ticketId={t.id} />}
          </div>
        </div>
        <SidePanel ticket={t} onChange={set} />
      </div>
    </section>
  );
}
