import { useId, useState, type ReactElement } from 'react';
import { isFinalCommandStatus } from '../../shared/actions/command-status';
import { fixItSummary } from '../../shared/actions/self-service';
import type { CommandDto } from '../../shared/api/commands';
import type { LocalActionDto } from '../../shared/api/local-actions';
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
  // Asked, and nobody answered before the request expired: no one allowed or denied it.
  if (command.status === 'expired' && command.expiry) return `${command.expiry}; nobody allowed or denied it`;
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

/** Where an employee's Fix-it button was. */
function sourceText(source: LocalActionDto['source']): ReactElement {
  return source.kind === 'finding' ? (
    <>
      the health finding <code>{source.code}</code>
    </>
  ) : (
    <>
      the self-help article <a href={`/admin/articles/${source.articleId}`}>#{source.articleId}</a>
    </>
  );
}

/** A Fix-it run (issue 12): what the employee ran themselves, from where, and its result. */
function LocalRunItem({ run, now }: { run: LocalActionDto; now: number }): ReactElement {
  const headingId = useId();
  return (
    <li className="command command-local" aria-labelledby={headingId}>
      <div className="command-head">
        <strong id={headingId}>{run.title}</strong>
        <span className={`badge ${run.ok ? 'badge-ok' : 'badge-critical'}`}>{run.ok ? 'Succeeded' : 'Failed'}</span>
        <span className="badge badge-employee">Run by the employee</span>
      </div>
      {Object.keys(run.params).length > 0 && <code className="command-params">{paramText(run.params)}</code>}
      <dl className="command-facts">
        <dt>Run</dt>
        <dd>
          by the employee with “Fix it”,{' '}
          <time dateTime={run.startedAt} title={formatDateTime(run.startedAt)}>
            {formatRelative(run.startedAt, now)}
          </time>
        </dd>
        <dt>From</dt>
        <dd>{sourceText(run.source)}</dd>
        <dt>Result</dt>
        <dd>{fixItSummary(run.action, run.ok, run.fields)}</dd>
        {run.exitCode !== null && (
          <>
            <dt>Exit code</dt>
            <dd>{run.exitCode}</dd>
          </>
        )}
        <dt>Duration</dt>
        <dd>{formatRunTime(run.durationMs)}</dd>
        {run.error && (
          <>
            <dt>Error</dt>
            <dd>{run.error}</dd>
          </>
        )}
      </dl>
      {run.output && (
        <pre className="command-output" tabIndex={0} aria-label={`Output of ${run.title}`}>
          {run.output}
          {run.outputTruncated ? '\n[output cut at the action’s size limit]' : ''}
        </pre>
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
  localRuns = [],
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
  /** The employee's own Fix-it runs on the device, listed among the commands by time (the device page). */
  localRuns?: readonly LocalActionDto[];
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
  const list: (
    { kind: 'command'; at: string; command: CommandDto } | { kind: 'local'; at: string; run: LocalActionDto }
  )[] = [
    ...(query.data ?? []).map((command) => ({ kind: 'command' as const, at: command.issuedAt, command })),
    ...localRuns.map((run) => ({ kind: 'local' as const, at: run.startedAt, run })),
  ].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  if (list.length === 0) return <p className="muted small">{empty}</p>;
  return (
    <ul className="commands" aria-label={label}>
      {list.map((item) =>
        item.kind === 'command' ? (
          <CommandItem key={item.command.id} command={item.command} now={now} showTicket={showTicket} />
        ) : (
          <LocalRunItem key={item.run.id} run={item.run} now={now} />
        ),
      )}
    </ul>
  );
}
