import type { ReactElement } from 'react';
import { Page } from '../../components/Page';
import { Badge, Empty, ErrorBox, Loading } from '../../components/Status';
import { Time } from '../../components/Time';
import { useApp } from '../../lib/app-context';
import { useMarkInteractive } from '../../lib/hooks';
import { useIpcQuery } from '../../lib/ipc-query';
import { categoryName, STATUS_LABELS } from '../../lib/labels';
import { OutboxRow } from './OutboxRow';

/** "My tickets": requests still in the outbox, then the tickets with status, unread mark and last change. */
export function TicketsScreen(): ReactElement {
  const list = useIpcQuery('tickets:list', {});
  const { navigate } = useApp();
  useMarkInteractive(list.status !== 'loading');

  const tickets = list.value?.tickets ?? [];
  const outbox = (list.value?.outbox ?? []).filter((o) => o.state !== 'sent');

  return (
    <Page
      title="My tickets"
      subtitle={list.value?.fromCache ? 'Offline — showing the tickets as they were when last connected.' : undefined}
      actions={
        <button type="button" className="button button-primary" onClick={() => navigate({ screen: 'help' })}>
          New request
        </button>
      }
    >
      {list.status === 'loading' && <Loading label="Loading your tickets…" />}
      {list.status === 'error' && (
        <ErrorBox title="Your tickets could not be loaded" message={list.error} onRetry={list.reload} />
      )}
      {outbox.length > 0 && (
        <section className="stack" aria-labelledby="outbox-heading">
          <h2 id="outbox-heading">Not sent yet</h2>
          <ul className="ticket-list">
            {outbox.map((item) => (
              <OutboxRow key={item.outboxId} item={item} />
            ))}
          </ul>
        </section>
      )}
      {list.value && tickets.length === 0 && outbox.length === 0 && (
        <Empty icon="tickets" title="No tickets yet">
          When you ask the help desk for help, your requests and their answers show up here.
        </Empty>
      )}
      {tickets.length > 0 && (
        <section className="stack" aria-labelledby="tickets-heading">
          <h2 id="tickets-heading" className={outbox.length > 0 ? undefined : 'visually-hidden'}>
            Tickets
          </h2>
          <ul className="ticket-list">
            {tickets.map((ticket) => {
              const status = STATUS_LABELS[ticket.status];
              return (
                <li
                  key={ticket.id}
                  className={`ticket-row${ticket.unread > 0 ? ' unread' : ''}`}
                  data-testid="ticket-row"
                >
                  <button
                    type="button"
                    className="ticket-row-button"
                    onClick={() => navigate({ screen: 'ticket', ticketId: ticket.id })}
                  >
                    <span className="ticket-row-main">
                      <span className="ticket-subject">
                        {/* The dot is for the eye; "N new replies" below says it in words. */}
                        {ticket.unread > 0 && <span className="unread-dot" aria-hidden="true" />}
                        {ticket.subject}
                      </span>
                      <span className="muted small">
                        #{ticket.id} · {categoryName(ticket.category)} ·{' '}
                        <Time iso={ticket.updatedAt} prefix="updated" />
                        {ticket.assigneeName ? ` · ${ticket.assigneeName}` : ''}
                        {ticket.unread > 0 && (
                          <span className="new-replies">
                            {' '}
                            · {ticket.unread === 1 ? 'new reply' : `${ticket.unread} new replies`}
                          </span>
                        )}
                      </span>
                    </span>
                    <span className="ticket-row-side">
                      <Badge tone={status.tone}>{status.label}</Badge>
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </Page>
  );
}
