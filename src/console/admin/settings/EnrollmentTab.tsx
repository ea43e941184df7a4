import { useState, type ReactElement } from 'react';
import type { ApiError } from '../../api/http';
import { formatDateTime } from '../../../shared/format';
import { ConfirmButton, ErrorAlert } from '../common/ui';
import { asApiError } from '../../api/query-client';
import { useEnrollSecretMutations, useEnrollSecrets, useServerVersion } from '../../api/settings.queries';
import { CopyButton } from './CopyButton';
import { installCommands } from './install-commands';
import { ENROLL_SECRET_NAME_MAX } from '../../../shared/admin-fields';

function InstallInstructions({ secret }: { secret: string }): ReactElement {
  // The agent packages carry the server's version.
  const version = useServerVersion();
  if (version.isPending) return <div className="muted">Preparing the install commands…</div>;
  const commands = installCommands(window.location.origin, secret, version.data ?? '<version>');
  return (
    <div className="stack">
      <h3>Silent install with this secret</h3>
      {commands.map((c) => (
        <div key={c.os} className="stack admin-command" aria-label={`${c.label} install command`}>
          <div className="row">
            <strong className="admin-grow">{c.label}</strong>
            <CopyButton text={c.command} label={`Copy the ${c.label} command`} targetId={`cmd-${c.os}`} />
          </div>
          <pre id={`cmd-${c.os}`} className="admin-pre" data-testid={`install-${c.os}`}>
            {c.command}
          </pre>
          {c.then ? <div className="muted">{c.then}</div> : null}
        </div>
      ))}
    </div>
  );
}

/** Enrollment secrets: create one (shown once, with install commands), see its uses, revoke it. */
export function EnrollmentTab(): ReactElement {
  const list = useEnrollSecrets();
  const { create, remove } = useEnrollSecretMutations();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ id: number; name: string; secret: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  return (
    <div className="stack">
      <p className="muted">
        Agents join this help desk with an enrollment secret deployed with them. Revoking a secret stops new
        enrollments; devices already enrolled keep working.
      </p>
      <ErrorAlert error={list.error ?? error} />
      <form
        className="card stack"
        aria-label="Create an enrollment secret"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            const made = await create.mutateAsync(name.trim());
            setCreated({ ...made, name: name.trim() });
            setName('');
          } catch (err) {
            setError(asApiError(err));
          }
        }}
      >
        <h2>Create an enrollment secret</h2>
        <div className="row">
          <label className="field admin-grow">
            <span>Name (where it is deployed)</span>
            <input
              className="input"
              value={name}
              maxLength={ENROLL_SECRET_NAME_MAX}
              required
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. Laptops 2026"
            />
          </label>
          <button type="submit" className="btn btn-primary admin-end">
            Create secret
          </button>
        </div>
        {created ? (
          <div className="stack admin-secret" role="region" aria-label="New enrollment secret">
            <div className="alert alert-info">
              <strong>Copy the secret of “{created.name}” now.</strong> It is shown only once; the server keeps only a
              hash of it.
            </div>
            <div className="row">
              <code id="new-secret" className="admin-pre admin-grow" data-testid="new-secret">
                {created.secret}
              </code>
              <CopyButton text={created.secret} label="Copy the secret" targetId="new-secret" />
            </div>
            <InstallInstructions secret={created.secret} />
            <div>
              <button
                type="button"
                className="btn"
                onClick={() => {
                  setCreated(null);
                  // Devices may have enrolled with it meanwhile: read the use counts again.
                  void list.refetch();
                }}
              >
                Done, hide it
              </button>
            </div>
          </div>
        ) : null}
      </form>
      <div className="card admin-flush">
        <table className="table" aria-label="Enrollment secrets">
          <thead>
            <tr>
              <th>Name</th>
              <th>Created</th>
              <th className="admin-num">Devices enrolled</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>{formatDateTime(s.createdAt)}</td>
                <td className="admin-num">{s.uses}</td>
                <td>
                  {s.revokedAt ? (
                    <span className="badge badge-critical">Revoked {formatDateTime(s.revokedAt)}</span>
                  ) : (
                    <span className="badge badge-ok">Active</span>
                  )}
                </td>
                <td>
                  {s.revokedAt ? null : (
                    <ConfirmButton
                      small
                      label="Revoke"
                      question={`Revoke “${s.name}”? New devices can no longer enroll with it.`}
                      onConfirm={async () => {
                        try {
                          await remove.mutateAsync(s.id);
                        } catch (err) {
                          setError(asApiError(err));
                        }
                      }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data && list.data.length === 0 ? <div className="empty">No enrollment secrets yet.</div> : null}
      </div>
    </div>
  );
}
