import { useState, type ReactElement } from 'react';
import type { ApiTokenDto } from '../../shared/api/api-tokens';
import { formatDateTime } from '../../shared/format';
import { API_SCOPE_LABELS, API_TOKEN_MAX_DAYS, type ApiScope } from '../../shared/integrations';
import type { ApiError } from '../api/http';
import { asApiError } from '../api/query-client';
import { ConfirmButton, ErrorAlert } from '../admin/common/ui';
import { CopyButton } from '../admin/settings/CopyButton';

/*
 * The pieces of both token screens (personal tokens on the profile page, service tokens in Settings): the
 * create form, the token shown once, and the list with revoke.
 */

/** A secret (token, signing secret) shown once, with a copy button. */
export function ShownOnce(props: { title: string; value: string; note: string; onDone(): void }): ReactElement {
  return (
    <div className="stack admin-secret" role="region" aria-label={props.title}>
      <div className="alert alert-info">
        <strong>{props.title}: copy it now.</strong> {props.note}
      </div>
      <div className="row">
        <code id="shown-once" className="admin-pre admin-grow" data-testid="shown-once">
          {props.value}
        </code>
        <CopyButton text={props.value} label="Copy" targetId="shown-once" />
      </div>
      <div>
        <button type="button" className="btn" onClick={props.onDone}>
          Done, hide it
        </button>
      </div>
    </div>
  );
}

const EXPIRIES = [7, 30, 90, API_TOKEN_MAX_DAYS] as const;

export interface TokenFormValue {
  name: string;
  scopes: ApiScope[];
  expiresInDays: number | null;
}

/** Name, scopes (those the caller may grant) and expiry; `allowNoExpiry` for service tokens. */
export function TokenForm(props: {
  title: string;
  scopes: readonly ApiScope[];
  namePlaceholder: string;
  nameHint?: string;
  allowNoExpiry?: boolean;
  busy: boolean;
  onSubmit(value: TokenFormValue): Promise<boolean>;
}): ReactElement {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>(['tickets:read']);
  const [expiry, setExpiry] = useState<string>('90');
  return (
    <form
      className="card stack"
      aria-label={props.title}
      onSubmit={async (e) => {
        e.preventDefault();
        const done = await props.onSubmit({
          name: name.trim(),
          scopes,
          expiresInDays: expiry === 'never' ? null : Number(expiry),
        });
        if (done) setName('');
      }}
    >
      <h2>{props.title}</h2>
      <div className="admin-form-row">
        <label className="field">
          <span>Name</span>
          <input
            className="input"
            value={name}
            required
            maxLength={80}
            placeholder={props.namePlaceholder}
            onChange={(e) => setName(e.target.value)}
          />
          {props.nameHint ? <span className="muted small">{props.nameHint}</span> : null}
        </label>
        <label className="field">
          <span>Expires</span>
          <select className="input" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {EXPIRIES.map((d) => (
              <option key={d} value={String(d)}>
                in {d === API_TOKEN_MAX_DAYS ? '1 year' : `${d} days`}
              </option>
            ))}
            {props.allowNoExpiry ? <option value="never">never (not recommended)</option> : null}
          </select>
        </label>
      </div>
      <fieldset className="admin-fieldset">
        <legend>Scopes</legend>
        <div className="token-scopes">
          {props.scopes.map((scope) => (
            <label key={scope} className="admin-check token-scope">
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) =>
                  setScopes((now) => (e.target.checked ? [...now, scope] : now.filter((s) => s !== scope)))
                }
              />
              <code>{scope}</code>
              <span className="muted small">{API_SCOPE_LABELS[scope]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div>
        <button type="submit" className="btn btn-primary" disabled={props.busy || scopes.length === 0}>
          Create token
        </button>
      </div>
    </form>
  );
}

function status(t: ApiTokenDto): ReactElement {
  if (t.revokedAt) return <span className="badge badge-critical">Revoked {formatDateTime(t.revokedAt)}</span>;
  if (t.expiresAt && Date.parse(t.expiresAt) <= Date.now()) return <span className="badge badge-warning">Expired</span>;
  return <span className="badge badge-ok">Active</span>;
}

/** The tokens with their scopes, expiry, last use and a revoke button. */
export function TokenTable(props: {
  label: string;
  tokens: ApiTokenDto[];
  showCreator?: boolean;
  onRevoke(token: ApiTokenDto): Promise<void>;
}): ReactElement {
  return (
    <div className="card admin-flush">
      <table className="table" aria-label={props.label}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Token</th>
            <th>Scopes</th>
            <th>Expires</th>
            <th>Last used</th>
            {props.showCreator ? <th>Created by</th> : null}
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {props.tokens.map((t) => (
            <tr key={t.id} className={t.revokedAt ? 'admin-inactive' : undefined}>
              <td>{t.kind === 'service' ? <code>token:{t.name}</code> : t.name}</td>
              <td>
                <code>{t.prefix}</code>
              </td>
              <td>
                <div className="token-scope-list">
                  {t.scopes.map((s) => (
                    <span key={s} className="badge badge-info">
                      {s}
                    </span>
                  ))}
                </div>
              </td>
              <td className="admin-nowrap">{t.expiresAt ? formatDateTime(t.expiresAt) : 'Never'}</td>
              <td className="admin-nowrap">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never used'}</td>
              {props.showCreator ? <td>{t.createdBy ?? '—'}</td> : null}
              <td>{status(t)}</td>
              <td>
                {t.revokedAt ? null : (
                  <ConfirmButton
                    small
                    label="Revoke"
                    question={`Revoke “${t.name}”? Scripts using it stop working at once.`}
                    onConfirm={() => props.onRevoke(t)}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.tokens.length === 0 ? <div className="empty">No tokens yet.</div> : null}
    </div>
  );
}

/**
 * A whole token screen: the create form, the new token shown once, the list with revoke, and the error of
 * whichever failed. `create` answers the new token's secret.
 */
export function TokenManager(props: {
  form: Omit<Parameters<typeof TokenForm>[0], 'busy' | 'onSubmit'>;
  tokens: { data?: ApiTokenDto[]; error: unknown };
  creating: boolean;
  create(value: TokenFormValue): Promise<string>;
  revoke(id: number): Promise<unknown>;
  shownTitle: string;
  tableLabel: string;
  showCreator?: boolean;
}): ReactElement {
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <>
      <ErrorAlert error={(props.tokens.error as ApiError | null) ?? error} />
      <TokenForm
        {...props.form}
        busy={props.creating}
        onSubmit={async (value) => {
          setError(null);
          try {
            setShown(await props.create(value));
            return true;
          } catch (err) {
            setError(asApiError(err));
            return false;
          }
        }}
      />
      {shown ? (
        <ShownOnce
          title={props.shownTitle}
          value={shown}
          note="It is shown only once; the server keeps only a hash of it."
          onDone={() => setShown(null)}
        />
      ) : null}
      <TokenTable
        label={props.tableLabel}
        tokens={props.tokens.data ?? []}
        {...(props.showCreator ? { showCreator: true } : {})}
        onRevoke={async (t) => {
          try {
            await props.revoke(t.id);
          } catch (err) {
            setError(asApiError(err));
          }
        }}
      />
    </>
  );
}
