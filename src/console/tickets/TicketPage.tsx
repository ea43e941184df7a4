import { useEffect, type ReactElement } from 'react';
import { useLocation, useSearch } from 'wouter';
import { useEmployeeTyping, useTicketPresence } from '../api/live';
import { useTicket, useTicketMessages } from '../api/tickets.queries';
import { useSession } from '../app/session';
import { useTitle } from '../app/Shell';
import { LoadError, PriorityBadge, StatusBadge } from '../components/Badges';
import { markSeen } from '../lib/storage';
import { SnapshotChanges } from '../snapshots/SnapshotChanges';
import { SnapshotViewer } from '../snapshots/SnapshotViewer';
import { DeviceActions } from './DeviceActions';
import { RemoteAccess } from '../remote/RemoteAccess';
import { RemoteToolLinks } from '../remote/RemoteToolLinks';
import { History } from './History';
import { TicketNetworkSection } from '../network/lazy';
import { ReplyBox } from './ReplyBox';
import { IncidentBadge } from './IncidentBadge';
import { SidePanel } from './SidePanel';
import { Thread } from './Thread';
import './ticket.css';

const TABS = [
  ['conversation', 'Conversation'],
  ['snapshot', 'Snapshot'],
  ['changes', 'What changed'],
  ['history', 'History'],
  ['device', 'Run on device'],
] as const;
type Tab = (typeof TABS)[number][0];

/** "<employee> is typing…" while their tray agent says so (a polite live region, always present). */
function EmployeeTyping({ ticketId, name }: { ticketId: number; name: string | null }): ReactElement {
  const typing = useEmployeeTyping(ticketId);
  return (
    <p className="muted small typing-indicator" role="status" aria-live="polite">
      {typing ? `${name ?? 'The employee'} is typing…` : ''}
    </p>
  );
}

/** The ticket page: thread and reply, snapshot, what changed, history, actions on the device, and the side panel. */
export function TicketPage({ params }: { params: Record<string, string> }): ReactElement {
  const id = Number(params.id);
  const { user } = useSession();
  const search = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const tab: Tab = (TABS.find(([key]) => key === search.get('tab'))?.[0] ?? 'conversation') as Tab;
  // Both follow the server every few seconds: replies and changes by others arrive without a reload.
  const loaded = useTicket(id);
  const thread = useTicketMessages(id);
  const ticket = loaded.data ?? null;
  // The employee's tray shows that this technician has the ticket open, and when they type.
  const presence = useTicketPresence(id);
  useTitle(ticket ? `#${ticket.id} ${ticket.subject}` : `Ticket #${params.id}`);

  useEffect(() => {
    if (ticket) markSeen(user.id, id);
  }, [ticket?.lastMessageAt, user.id, id]);

  if (!Number.isInteger(id) || id <= 0)
    return (
      <section className="page">
        <h1>No such ticket</h1>
      </section>
    );
  // A failed poll keeps what is shown; only a failed first read takes the page.
  const error = (loaded.data ? null : loaded.error) ?? (thread.data ? null : thread.error);
  if (!error && (!loaded.data || !thread.data))
    return (
      <section className="page">
        <p className="muted" role="status">
          Loading ticket #{id}…
        </p>
      </section>
    );
  if (error || !loaded.data) {
    return (
      <section className="page">
        <h1>Ticket #{id}</h1>
        <LoadError
          message={error?.status === 404 ? 'This ticket does not exist.' : (error?.message ?? '')}
          onRetry={() => {
            void loaded.refetch();
            void thread.refetch();
          }}
        />
      </section>
    );
  }
  const t = loaded.data;
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
          <IncidentBadge ticketId={t.id} />
          <div className="tabs" role="tablist" aria-label="Ticket views">
            {TABS.filter(([key]) => key !== 'device' || t.device).map(([key, label]) => (
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
                <Thread ticket={t} messages={thread.data?.messages ?? []} />
                <EmployeeTyping ticketId={t.id} name={t.requester.name} />
                <ReplyBox ticketId={t.id} onTyping={presence.typing} />
              </div>
            )}
            {tab === 'snapshot' && (
              <div className="stack">
                {t.device && <TicketNetworkSection ticketId={t.id} deviceId={t.device.id} createdAt={t.createdAt} />}
                {t.snapshotId ? (
                  <SnapshotViewer snapshotId={t.snapshotId} />
                ) : (
                  <div className="card empty">This ticket came without a snapshot.</div>
                )}
              </div>
            )}
            {tab === 'changes' &&
              (t.snapshotId ? (
                <SnapshotChanges snapshotId={t.snapshotId} />
              ) : (
                <div className="card empty">This ticket came without a snapshot.</div>
              ))}
            {tab === 'history' && <History ticketId={t.id} />}
            {tab === 'device' &&
              (t.device ? (
                <>
                  {t.snapshotId !== null && <RemoteToolLinks snapshotId={t.snapshotId} />}
                  <RemoteAccess deviceId={t.device.id} ticketId={t.id} />
                  <DeviceActions ticket={{ ...t, device: t.device }} />
                </>
              ) : (
                <div className="card empty">This ticket was not filed from a device.</div>
              ))}
          </div>
        </div>
        <SidePanel ticket={t} />
      </div>
    </section>
  );
}
