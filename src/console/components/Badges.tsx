import type { ReactElement } from 'react';
import { COMMAND_STATUS_LABELS, type CommandStatus } from '../../shared/actions/command-status';
import type { TicketDto, TicketStatus } from '../../shared/api/tickets';
import type { Priority } from '../../shared/priority';
import { slaView } from '../lib/time';

/** Labels of priorities as the console shows them. */
export const PRIORITY_TEXT: Record<Priority, string> = {
  p1: 'P1 critical',
  p2: 'P2 high',
  p3: 'P3 medium',
  p4: 'P4 low',
};
const PRIORITY_CLASS: Record<Priority, string> = {
  p1: 'badge-critical',
  p2: 'badge-warning',
  p3: 'badge-info',
  p4: '',
};

/** Status names as the console shows them. */
export const STATUS_TEXT: Record<TicketStatus, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Pending',
  resolved: 'Resolved',
  closed: 'Closed',
};
const STATUS_CLASS: Record<TicketStatus, string> = {
  new: 'badge-info',
  open: 'badge-ok',
  pending: 'badge-warning',
  resolved: '',
  closed: '',
};

/** Priority as a coloured badge. */
export function PriorityBadge({ priority }: { priority: Priority }): ReactElement {
  return (
    <span className={`badge ${PRIORITY_CLASS[priority]}`} title={PRIORITY_TEXT[priority]}>
      {priority.toUpperCase()}
    </span>
  );
}

/** Ticket status as a badge. */
export function StatusBadge({ status }: { status: TicketStatus }): ReactElement {
  return <span className={`badge ${STATUS_CLASS[status]}`}>{STATUS_TEXT[status]}</span>;
}

const TONE_CLASS = {
  ok: 'badge-ok',
  warning: 'badge-warning',
  breach: 'badge-critical',
  met: 'badge-ok',
  none: '',
} as const;

/** The running SLA clock as a coloured countdown. */
export function SlaBadge({
  ticket,
  now,
}: {
  ticket: Pick<TicketDto, 'status' | 'firstResponseAt' | 'sla'>;
  now: number;
}): ReactElement {
  const view = slaView(ticket, now);
  return (
    <span className={`badge sla sla-${view.tone} ${TONE_CLASS[view.tone]}`} title={`${view.label} ${view.text}`}>
      {view.tone === 'none' || view.tone === 'met' ? view.text : `${view.label} ${view.text}`}
    </span>
  );
}

const SEVERITY_CLASS = { critical: 'badge-critical', warning: 'badge-warning', info: 'badge-info' } as const;

/** A health finding's severity. */
export function SeverityBadge({ severity }: { severity: 'critical' | 'warning' | 'info' }): ReactElement {
  return <span className={`badge ${SEVERITY_CLASS[severity]}`}>{severity}</span>;
}

const HEALTH_CLASS = {
  healthy: 'badge-ok',
  warning: 'badge-warning',
  critical: 'badge-critical',
  unknown: '',
} as const;

/** A device's health status. */
export function HealthBadge({ health }: { health: 'healthy' | 'warning' | 'critical' | 'unknown' }): ReactElement {
  return <span className={`badge ${HEALTH_CLASS[health]}`}>{health}</span>;
}

/** Loading, error and empty states in one look. */
export function LoadError({ message, onRetry }: { message: string; onRetry?: () => void }): ReactElement {
  return (
    <div className="alert alert-error row" role="alert">
      <span className="spacer">{message}</span>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** Online now, or offline (text, not colour alone). */
export function OnlineBadge({ online }: { online: boolean }): ReactElement {
  return <span className={`badge ${online ? 'badge-ok' : ''}`}>{online ? 'Online' : 'Offline'}</span>;
}

/** A remote command's status in a word or two (the full sentence as its title). */
export const COMMAND_STATUS_TEXT: Record<CommandStatus, string> = {
  queued: 'Queued',
  delivered: 'Delivered',
  'awaiting-consent': 'Awaiting consent',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  denied: 'Denied',
  refused: 'Refused',
  expired: 'Expired',
  cancelled: 'Cancelled',
};
const COMMAND_STATUS_CLASS: Record<CommandStatus, string> = {
  queued: 'badge-info',
  delivered: 'badge-info',
  'awaiting-consent': 'badge-warning',
  running: 'badge-info',
  succeeded: 'badge-ok',
  failed: 'badge-critical',
  denied: 'badge-critical',
  refused: 'badge-critical',
  expired: '',
  cancelled: '',
};

/** A remote command's status as a badge (text, not colour alone). */
export function CommandStatusBadge({ status }: { status: CommandStatus }): ReactElement {
  return (
    <span className={`badge ${COMMAND_STATUS_CLASS[status]}`} title={COMMAND_STATUS_LABELS[status]}>
      {COMMAND_STATUS_TEXT[status]}
    </span>
  );
}
