import { useState, type ReactElement } from 'react';
import type { ServerCheckBody, ServerCheckDto } from '../../shared/api/netmon';
import { useNetmonCheckMutations, useNetmonChecks } from '../api/netmon.queries';
import { EditableList, FormAlerts, useEntryForm, type EntryFormProps } from '../admin/common/EditableList';
import { ErrorAlert, Notice } from '../admin/common/ui';
import { formatMs, HEALTH_BADGE, HEALTH_WORD } from './netmon-view';
import { SchemeField } from './TargetsEditor';

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

function CheckForm({ item, onSaved, onCancel }: EntryFormProps<ServerCheckDto>): ReactElement {
  const { save } = useNetmonCheckMutations();
  const {
    draft: d,
    set,
    error,
    submit,
  } = useEntryForm<CheckDraft>({
    initial: item ? draftOf(item) : EMPTY,
    reset: item ? undefined : EMPTY,
    save: (draft) => save.mutateAsync({ slug: draft.slug.trim(), body: checkBodyOf(draft) }),
    savedMessage: (draft) => `Check “${draft.label.trim()}” saved.`,
    onSaved,
  });
  const name = item ? `Check ${item.definition.label}` : 'New check';
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
      aria-label={item ? `Edit ${item.definition.label}` : 'Add a check'}
      onSubmit={(e) => void submit(e)}
    >
      <FormAlerts error={error} />
      <div className="admin-form-row">
        {field('Id', 'slug', {
          required: true,
          readOnly: item !== null,
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
        {d.kind === 'http' ? <SchemeField name={name} value={d.scheme} onChange={(scheme) => set({ scheme })} /> : null}
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
          {item ? 'Save' : 'Add check'}
        </button>
        {onCancel ? (
          <button type="button" className="btn btn-small" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

function summary(check: ServerCheckDto): ReactElement {
  const d = check.definition;
  return (
    <>
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
    </>
  );
}

/** The server-side checks: the list with edit and delete, and a form to add one. */
export function ChecksEditor(): ReactElement {
  const checks = useNetmonChecks();
  const { remove } = useNetmonCheckMutations();
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section className="card stack" aria-labelledby="net-checks-editor">
      <h2 id="net-checks-editor">Server-side checks</h2>
      <p className="muted small">
        The server checks these services itself, so an outage is seen even when no agent is online. Their results show
        on the Network page.
      </p>
      <ErrorAlert error={checks.error} />
      <Notice message={notice} />
      <EditableList<ServerCheckDto>
        framed={false}
        items={checks.data}
        keyOf={(c) => `${c.slug}-${c.updatedAt}`}
        nameOf={(c) => c.definition.label}
        summary={summary}
        form={(props) => (
          <>
            {props.item ? null : <h3>Add a check</h3>}
            <CheckForm {...props} />
          </>
        )}
        remove={{
          question: (c) => `Delete “${c.definition.label}”?`,
          run: (c) => remove.mutateAsync(c.slug),
          message: (c) => `Check “${c.definition.label}” deleted.`,
        }}
        onChanged={setNotice}
        empty="No server-side checks yet."
      />
    </section>
  );
}
