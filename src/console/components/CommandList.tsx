import { useId, useState, type ReactElement } from 'react';
import { isFinalCommandStatus } from '../../shared/actions/command-status';
import type { CommandDto } from '../../shared/api/commands';
import { formatDateTime, formatRelative, formatRunTime } from '../../shared/format';
import { useCancelCommand } from '../api/commands.queries';
import { useNow } from '../lib/time';
import { CommandStatusBadge, LoadError } from './Badges';

/*
 * Remote commands as the ticket and device pages list them: what ran with which parameters, its
 * status in words, who asked and why, when it expires while it waits, who consented (or that IT's
 * policy ran it unattended), and the result: exit code, duration, errors and the output in a
 * scrollable region the keyboard can reach. A queued command can be cancelled.
 */

/** A parameter's value in one line: lists joined, objects as JSON. */
const valueText = (value: unknown): string =>
  Array.isArray(value)
    ? value.map((item) => (typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item))).join(',')
    : typeof value === 'object' && value !== null
      ? JSON.stringify(value)
      : String(value);

/** The parameters as `key=value`; an IT script's command shows its values (its text is on the ticket's audit). */
const paramText = (params: Record<string, unknown>) => {
  const script = params.script as { slug?: unknown } | undefined;
  const shown =
    script && typeof params.args === 'object' && params.args !== null
      ? (params.args as Record<string, unknown>)
      : params;
  return Object.entries(shown)
    .map(([key, value]) => `${key}=${valueText(value)}`)
    .join(' ');
};

function consentText(command: CommandDto): string | null {
  const consent = command.consent;
  if (!consent) return null;
  if (consent.by === 'policy') return 'Ran unattended (IT policy)';
  const who = consent.name ?? 'the employee';
  return command.status === 'denied' ? `Denied by ${who}` : `Allowed by ${who}`;
}

/** One command: what, status, who and when, consent, and the result. */
function CommandItem({
  command,
  now,
  showTicket,
}: {
  command: CommandDto;
  now: number;
  showTicket: boolean;
}): ReactElement {
  const cancel = useCancelCommand();
  const [error, setError] = useState<string | null>(null);
  const waiting = !isFinalCommandStatus(command.status) && command.status !== 'running';
  const consent = consentText(command);
  const result = command.result;
  const headingId = useId();
  return (
    <li className="command" aria-labelledby={headingId}>
      <div className="command-head">
        <strong id={headingId}>{command.title}</strong>
        <CommandStatusBadge status={command.status} />
        <span className="spacer" />
        {command.status === 'queued' && (
          <button
            type="button"
            className="btn btn-small btn-danger"
            disabled={cancel.isPending}
            aria-label={`Cancel ${command.title}`}
            onClick={() => {
              setError(null);
              cancel.mutate(command.id, { onError: (e) => setError(e.message) });
            }}
          >
            Cancel
          </button>
        )}
      </div>
      {Object.keys(command.params).length > 0 && <code className="command-params">{paramText(command.params)}</code>}
      <dl className="command-facts">
        <dt>Requested</dt>
        <dd>
          by {command.requestedBy.name ?? 'a technician'},{' '}
          <time dateTime={command.issuedAt} title={formatDateTime(command.issuedAt)}>
            {formatRelative(command.issuedAt, now)}
          </time>
        </dd>
        {showTicket && command.ticketId !== null && (
          <>
            <dt>Ticket</dt>
            <dd>
              <a href={`/tickets/${command.ticketId}`}>#{command.ticketId}</a>
            </dd>
          </>
        )}
        <dt>Reason</dt>
        <dd>{command.reason}</dd>
        <dt>Result as</dt>
        <dd>{command.visibility === 'internal' ? 'Internal note' : 'Visible to the employee'}</dd>
        {waiting && (
          <>
            <dt>Expires</dt>
            <dd>
              <time dateTime={command.expiresAt} title={formatDateTime(command.expiresAt)}>
                {formatRelative(command.expiresAt, now)}
              </time>
            </dd>
          </>
        )}
        {consent && (
          <>
            <dt>Consent</dt>
            <dd>{consent}</dd>
          </>
        )}
        {command.refusal && (
          <>
            <dt>Refused</dt>
            <dd>{command.refusal}</dd>
          </>
        )}
        {result?.exitCode !== null && result?.exitCode !== undefined && (
          <>
            <dt>Exit code</dt>
            <dd>{result.exitCode}</dd>
          </>
        )}
        {result?.durationMs !== null && result?.durationMs !== undefined && (
          <>
            <dt>Duration</dt>
            <dd>{formatRunTime(result.durationMs)}</dd>
          </>
        )}
        {result?.error && (
          <>
            <dt>Error</dt>
            <dd>{result.error}</dd>
          </>
        )}
      </dl>
      {result && result.output && (
        <pre className="command-output" tabIndex={0} aria-label={`Output of ${command.title}`}>
          {result.output}
        </pre>
      )}
      {error && (
        <div className="error-text" role="alert">
          {error}
        </div>
      )}
    </li>
  );
}

/** A list of commands, newest first, from one of the commands queries. */
export function CommandList({
  query,
  label,
  empty,
  showTicket = false,
}: {
  query: {
    data: CommandDto[] | undefined;
    isPending: boolean;
    error: Error | null;
    refetch(): unknown;
  };
  label: string;
  empty: string;
  /** Link each command's ticket (the device page lists commands from every ticket). */
  showTicket?: boolean;
}): ReactElement {
  const now = useNow(15_000);
  if (query.isPending)
    return (
      <p className="muted small" role="status">
        Loading the commands…
      </p>
    );
  if (query.error && !query.data)
    return <LoadError message={query.error.message} onRetry={() => void query.refetch()} />;
  const list = query.data ?? [];
  if (list.length === 0) return <p className="muted small">{empty}</p>;
  return (
    <ul className="commands" aria-label={label}>
      {list.map((command) => (
        <CommandItem key={command.id} command={command} now={now} showTicket={showTicket} />
      ))}
    </ul>
  );
}
