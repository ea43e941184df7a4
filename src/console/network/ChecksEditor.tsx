import { useState, type ReactElement } from 'react';
import type { ServerCheckBody, ServerCheckDto } from '../../shared/api/netmon';
import type { ApiError } from '../api/http';
import { useNetmonCheckMutations, useNetmonChecks } from '../api/netmon.queries';
import { asApiError } from '../api/query-client';
import { ConfirmButton, ErrorAlert } from '../admin/common/ui';
import { formatMs, HEALTH_BADGE, HEALTH_WORD } from './netmon-view';

/*
 * The services the server checks itself (in the manner of Uptime Kuma): HTTP(S) with an expected status,
 * a TCP connect, or a TLS certificate's days left. Each is saved on its own (PUT by id) and removed with
 * confirmation; its history stays until retention removes it.
 */

type Kind = ServerCheckBody['kind'];

interface CheckDraft {
  slug: string;
  label: string;
  kind: Kind;
  scheme: 'http' | 'https';
  host: string;
  port: string;
  path: string;
  expectedStatus: string;
  verifyTls: boolean;
  warnDays: string;
  intervalSeconds: string;
  timeoutMs: string;
  enabled: boolean;
}

const EMPTY: CheckDraft = {
  slug: '',
  label: '',
  kind: 'http',
  scheme: 'https',
  host: '',
  port: '',
  path: '/',
  expectedStatus: '',
  verifyTls: true,
  warnDays: '14',
  intervalSeconds: '60',
  timeoutMs: '5000',
  enabled: true,
};

function draftOf(c: ServerCheckDto): CheckDraft {
  const d = c.definition;
  return {
    ...EMPTY,
    slug: c.slug,
    label: d.label,
    kind: d.kind,
    host: d.host,
    port: d.port === undefined ? '' : String(d.port),
    scheme: d.kind === 'http' ? d.scheme : 'https',
    path: d.kind === 'http' ? d.path : '/',
    expectedStatus: d.kind === 'http' && d.expectedStatus !== undefined ? String(d.expectedStatus) : '',
    verifyTls: d.kind === 'tcp' ? true : d.verifyTls,
    warnDays: d.kind === 'tls' ? String(d.warnDays) : '14',
    intervalSeconds: String(d.intervalSeconds),
    timeoutMs: String(d.timeoutMs),
    enabled: d.enabled,
  };
}

/** The body the API takes: only the fields of the check's kind. */
export function checkBodyOf(d: CheckDraft): ServerCheckBody {
  const common = {
    label: d.label.trim(),
    host: d.host.trim(),
    intervalSeconds: Number(d.intervalSeconds),
    timeoutMs: Number(d.timeoutMs),
    enabled: d.enabled,
  };
  switch (d.kind) {
    case 'http':
      return {
        ...common,
        kind: 'http',
        scheme: d.scheme,
        path: d.path.trim() || '/',
        verifyTls: d.verifyTls,
        ...(d.port.trim() ? { port: Number(d.port) } : {}),
        ...(d.expectedStatus.trim() ? { expectedStatus: Number(d.expectedStatus) } : {}),
      };
    case 'tcp':
      return { ...common, kind: 'tcp', port: Number(d.port) };
    case 'tls':
      return {
        ...common,
        kind: 'tls',
        port: d.port.trim() ? Number(d.port) : 443,
        warnDays: Number(d.warnDays),
        verifyTls: d.verifyTls,
      };
  }
}

function CheckForm(props: {
  initial: CheckDraft;
  isNew: boolean;
  onSaved(message: string): void;
  onCancel?: () => void;
}): ReactElement {
  const [d, setD] = useState<CheckDraft>(props.initial);
  const [error, setError] = useState<ApiError | null>(null);
  const { save } = useNetmonCheckMutations();
  const set = (patch: Partial<CheckDraft>) => setD({ ...d, ...patch });
  const name = props.isNew ? 'New check' : `Check ${props.initial.label}`;
  const field = (label: string, key: keyof CheckDraft, extra: Record<string, unknown> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input
        className="input"
        aria-label={`${name} ${label.toLowerCase()}`}
        value={String(d[key])}
        onChange={(e) => set({ [key]: e.target.value } as Partial<CheckDraft>)}
        {...extra}
      />
    </label>
  );
  return (
    <form
      className="stack"
      aria-label={props.isNew ? 'Add a check' : `Edit ${props.initial.label}`}
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          await save.mutateAsync({ slug: d.slug.trim(), body: checkBodyOf(d) });
          props.onSaved(`Check “${d.label.trim()}” saved.`);
          if (props.isNew) setD(EMPTY);
        } catch (err) {
          setError(asApiError(err));
        }
      }}
    >
      <ErrorAlert error={error} />
      <div className="admin-form-row">
        {field('Id', 'slug', {
          required: true,
          readOnly: !props.isNew,
          pattern: '[a-z0-9][a-z0-9\\-]{0,39}',
          placeholder: 'intranet',
        })}
        {field('Name', 'label', { required: true, maxLength: 80, placeholder: 'Intranet' })}
        <label className="field">
          <span>Kind</span>
          <select
            className="input"
            aria-label={`${name} kind`}
            value={d.kind}
            onChange={(e) => set({ kind: e.target.value as Kind })}
          >
            <option value="http">HTTP(S)</option>
            <option value="tcp">TCP connect</option>
            <option value="tls">TLS certificate</option>
          </select>
        </label>
        {d.kind === 'http' ? (
          <label className="field">
            <span>Scheme</span>
            <select
              className="input"
              aria-label={`${name} scheme`}
              value={d.scheme}
              onChange={(e) => set({ scheme: e.target.value as 'http' | 'https' })}
            >
              <option value="https">https</option>
              <option value="http">http</option>
            </select>
          </label>
        ) : null}
        {field('Host', 'host', { required: true, placeholder: 'intranet.example.com' })}
        {field('Port', 'port', {
          type: 'number',
          min: 1,
          max: 65535,
          required: d.kind === 'tcp',
          placeholder: d.kind === 'tcp' ? '' : d.kind === 'tls' || d.scheme === 'https' ? '443' : '80',
        })}
        {d.kind === 'http' ? field('Path', 'path') : null}
        {d.kind === 'http'
          ? field('Expected status', 'expectedStatus', {
              type: 'number',
              min: 100,
              max: 599,
              placeholder: 'any 2xx/3xx',
            })
          : null}
        {d.kind === 'tls' ? field('Warn days', 'warnDays', { type: 'number', min: 1, max: 365, required: true }) : null}
        {field('Every (s)', 'intervalSeconds', { type: 'number', min: 10, max: 86400, required: true })}
        {field('Timeout (ms)', 'timeoutMs', { type: 'number', min: 100, max: 30000, required: true })}
      </div>
      <div className="row admin-wrap">
        {d.kind !== 'tcp' ? (
          <label className="admin-check">
            <input type="checkbox" checked={d.verifyTls} onChange={(e) => set({ verifyTls: e.target.checked })} />
            <span>Verify the certificate</span>
          </label>
        ) : null}
        <label className="admin-check">
          <input type="checkbox" checked={d.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          <span>Enabled</span>
        </label>
        <span className="spacer" />
        <button type="submit" className="btn btn-primary btn-small" disabled={save.isPending}>
          {props.isNew ? 'Add check' : 'Save'}
        </button>
        {props.onCancel ? (
          <button type="button" className="btn btn-small" onClick={props.onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

function CheckRow({ check, onChanged }: { check: ServerCheckDto; onChanged(message: string): void }): ReactElement {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const { remove } = useNetmonCheckMutations();
  const d = check.definition;
  return (
    <li className="admin-list-item" aria-label={d.label}>
      <ErrorAlert error={error} />
      {editing ? (
        <CheckForm
          initial={draftOf(check)}
          isNew={false}
          onSaved={(m) => (setEditing(false), onChanged(m))}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <div className="row admin-wrap">
          <span className={HEALTH_BADGE[check.health]}>{HEALTH_WORD[check.health]}</span>
          <strong>{d.label}</strong>
          <span className="mono small muted admin-grow">
            {d.kind === 'http'
              ? `${d.scheme}://${d.host}${d.port ? `:${d.port}` : ''}${d.path}`
              : `${d.kind} ${d.host}:${d.port}`}{' '}
            · every {d.intervalSeconds} s{d.enabled ? '' : ' · paused'}
          </span>
          <span className="muted small">
            {check.lastError ?? formatMs(check.lastRttMs)}
            {check.certDaysLeft !== null ? ` · certificate: ${check.certDaysLeft} days left` : ''}
          </span>
          <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
            Edit
          </button>
          <ConfirmButton
            small
            label="Delete"
            question={`Delete “${d.label}”?`}
            onConfirm={async () => {
              setError(null);
              try {
                await remove.mutateAsync(check.slug);
                onChanged(`Check “${d.label}” deleted.`);
              } catch (err) {
                setError(asApiError(err));
              }
            }}
          />
        </div>
      )}
    </li>
  );
}

/** The server-side checks: the list with edit and delete, and a form to add one. */
export function ChecksEditor(): ReactElement {
  const checks = useNetmonChecks();
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section className="card stack" aria-labelledby="net-checks-editor">
      <h2 id="net-checks-editor">Server-side checks</h2>
      <p className="muted small">
        The server checks these services itself, so an outage is seen even when no agent is online. Their results show
        on the Network page.
      </p>
      <ErrorAlert error={checks.error} />
      {notice ? (
        <div className="alert alert-info" role="status">
          {notice}
        </div>
      ) : null}
      {checks.data && checks.data.length === 0 ? <p className="muted">No server-side checks yet.</p> : null}
      <ul className="admin-list">
        {(checks.data ?? []).map((c) => (
          <CheckRow key={`${c.slug}-${c.updatedAt}`} check={c} onChanged={setNotice} />
        ))}
      </ul>
      <h3>Add a check</h3>
      <CheckForm initial={EMPTY} isNew onSaved={setNotice} />
    </section>
  );
}
