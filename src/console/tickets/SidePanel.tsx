import { useEffect, useState, type ReactElement } from 'react';
import type { TicketDto, TicketStatus } from '../../shared/api/tickets';
import type { Priority } from '../../shared/priority';
import { TICKET_CATEGORIES as CATEGORIES, type TicketCategory as Category } from '../../shared/ticket-fields';
import { useDevice } from '../api/devices.queries';
import { useGroups } from '../api/settings.queries';
import { useStaff } from '../api/staff.queries';
import { useEscalateTicket, useUpdateTicket, type TicketPatch } from '../api/tickets.queries';
import { OnlineBadge, PRIORITY_TEXT, SlaBadge, STATUS_TEXT } from '../components/Badges';
import { formatDateTime, formatRelative } from '../../shared/format';
import { dueText, useNow } from '../lib/time';

const STATUSES = Object.keys(STATUS_TEXT) as TicketStatus[];

/** The ticket's computer: a link to its page, online or offline (live), and when it was last seen. */
function TicketDevice({ device }: { device: NonNullable<TicketDto['device']> }): ReactElement {
  const now = useNow(30_000);
  const { data } = useDevice(device.id);
  return (
    <>
      <a href={`/devices/${device.id}`}>{device.hostname}</a>
      {data && (
        <>
          {' '}
          <OnlineBadge online={data.online} />
          {!data.online && <span className="muted small"> seen {formatRelative(data.lastSeenAt, now)}</span>}
        </>
      )}
    </>
  );
}
const PRIORITIES = Object.keys(PRIORITY_TEXT) as Priority[];

function EscalateForm({
  ticket,
  onDone,
  onCancel,
}: {
  ticket: TicketDto;
  onDone(t: TicketDto): void;
  onCancel(): void;
}): ReactElement {
  const [group, setGroup] = useState('');
  const [raise, setRaise] = useState(true);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const escalate = useEscalateTicket(ticket.id);
  const busy = escalate.isPending;
  const submit = async () => {
    setError(null);
    try {
      onDone(
        await escalate.mutateAsync({
          group: group.trim() || undefined,
          raisePriority: raise,
          note: note.trim() || undefined,
        }),
      );
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form
      className="stack escalate-form"
      aria-label="Escalate"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label className="field">
        <span>To group (optional)</span>
        <input
          className="input"
          value={group}
          onChange={(e) => setGroup(e.target.value)}
          placeholder={ticket.group ?? 'e.g. tier2'}
        />
      </label>
      <label className="row">
        <input type="checkbox" checked={raise} onChange={(e) => setRaise(e.target.checked)} /> Raise priority one step
      </label>
      <label className="field">
        <span>Note (optional)</span>
        <input className="input" value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      {error && (
        <div className="error-text" role="alert">
          {error}
        </div>
      )}
      <div className="row">
        <button type="submit" className="btn btn-danger" disabled={busy}>
          Escalate now
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * Status, assignment, group, priority, category, escalation, SLA timers, requester and device. A
 * saved change updates the ticket everywhere it is shown (the data layer); `onChange` also hears it.
 */
export function SidePanel({ ticket, onChange }: { ticket: TicketDto; onChange?(t: TicketDto): void }): ReactElement {
  const staff = useStaff().data ?? [];
  const groups = useGroups().data ?? [];
  const [group, setGroup] = useState(ticket.group ?? '');
  const [error, setError] = useState<string | null>(null);
  const [escalating, setEscalating] = useState(false);
  const update = useUpdateTicket(ticket.id);
  const saving = update.isPending;
  const now = useNow(15_000);

  useEffect(() => setGroup(ticket.group ?? ''), [ticket.group]);

  const patch = async (body: TicketPatch) => {
    setError(null);
    try {
      const saved = await update.mutateAsync(body);
      onChange?.(saved);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const saveGroup = () => {
    const value = group.trim() || null;
    if (value !== ticket.group) void patch({ group: value });
  };

  return (
    <aside className="side stack" aria-label="Ticket details">
      <section className="card stack">
        <h2>Ticket</h2>
        {error && (
          <div className="error-text" role="alert">
            {error}
          </div>
        )}
        <label className="field">
          <span>Status</span>
          <select
            className="input"
            value={ticket.status}
            disabled={saving}
            onChange={(e) => void patch({ status: e.target.value as TicketStatus })}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_TEXT[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Assignee</span>
          <select
            className="input"
            value={ticket.assignee?.id ?? ''}
            disabled={saving}
            onChange={(e) => void patch({ assigneeId: e.target.value ? Number(e.target.value) : null })}
          >
            <option value="">Unassigned</option>
            {ticket.assignee && !staff.some((s) => s.id === ticket.assignee?.id) && (
              <option value={ticket.assignee.id}>{ticket.assignee.name}</option>
            )}
            {staff
              .filter((s) => s.active)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
          </select>
        </label>
        <label className="field">
          <span>Group / tier</span>
          <input
            className="input"
            list="ticket-groups"
            value={group}
            disabled={saving}
            placeholder="No group"
            onChange={(e) => setGroup(e.target.value)}
            onBlur={saveGroup}
            onKeyDown={(e) => e.key === 'Enter' && saveGroup()}
          />
          <datalist id="ticket-groups">
            {groups.map((g) => (
              <option key={g.id} value={g.name}>{`Tier ${g.tier}`}</option>
            ))}
          </datalist>
        </label>
        <div className="grid-2">
          <label className="field">
            <span>Priority</span>
            <select
              className="input"
              value={ticket.priority}
              disabled={saving}
              onChange={(e) => void patch({ priority: e.target.value as Priority })}
            >
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {PRIORITY_TEXT[p]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Category</span>
            <select
              className="input"
              value={ticket.category}
              disabled={saving}
              onChange={(e) => void patch({ category: e.target.value as Category })}
            >
              {!CATEGORIES.includes(ticket.category as Category) && (
                <option value={ticket.category}>{ticket.category}</option>
              )}
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        </div>
        {escalating ? (
          <EscalateForm
            ticket={ticket}
            onCancel={() => setEscalating(false)}
            onDone={(t) => {
              setEscalating(false);
              onChange?.(t);
            }}
          />
        ) : (
          <button type="button" className="btn btn-danger" onClick={() => setEscalating(true)}>
            Escalate{ticket.escalationLevel > 0 ? ` (level ${ticket.escalationLevel} now)` : ''}
          </button>
        )}
      </section>
      <section className="card stack">
        <h2>SLA</h2>
        <SlaBadge ticket={ticket} now={now} />
        <dl className="kv">
          <dt>First response</dt>
          <dd>
            {ticket.firstResponseAt
              ? `answered ${formatDateTime(ticket.firstResponseAt)}`
              : dueText(ticket.sla.firstResponseDueAt, now)}
          </dd>
          <dt>Resolution</dt>
          <dd>
            {ticket.resolvedAt
              ? `resolved ${formatDateTime(ticket.resolvedAt)}`
              : dueText(ticket.sla.resolutionDueAt, now)}
          </dd>
          <dt>State</dt>
          <dd>{ticket.sla.state}</dd>
          <dt>Escalation</dt>
          <dd>level {ticket.escalationLevel}</dd>
        </dl>
      </section>
      <section className="card stack">
        <h2>Requester</h2>
        <dl className="kv">
          <dt>Name</dt>
          <dd>{ticket.requester.name ?? '—'}</dd>
          <dt>Email</dt>
          <dd>{ticket.requester.email ?? '—'}</dd>
          <dt>Device</dt>
          <dd>{ticket.device ? <TicketDevice device={ticket.device} /> : '—'}</dd>
          <dt>Urgency</dt>
          <dd>
            {ticket.urgency}, impact {ticket.impact}
          </dd>
          <dt>Opened</dt>
          <dd>{formatDateTime(ticket.createdAt)}</dd>
        </dl>
      </section>
    </aside>
  );
}
