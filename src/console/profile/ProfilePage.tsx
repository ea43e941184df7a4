import { useState, type ReactElement } from 'react';
import { OPENAPI_PATH } from '../../shared/api/endpoint-routes';
import { ROLE_SCOPES } from '../../shared/integrations';
import { ErrorAlert } from '../admin/common/ui';
import '../admin/admin.css';
import { useMyTokenMutations, useMyTokens } from '../api/integrations.queries';
import type { ApiError } from '../api/http';
import { asApiError } from '../api/query-client';
import { useSession } from '../app/session';
import { ShownOnce, TokenForm, TokenTable } from './TokenParts';

/** The signed-in staff member's own page: who they are, and their personal API tokens. */
export function ProfilePage(): ReactElement {
  const { user } = useSession();
  const tokens = useMyTokens();
  const { create, revoke } = useMyTokenMutations();
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <div className="page admin-page">
      <div className="page-header">
        <h1>Profile</h1>
      </div>
      <div className="stack">
        <div className="card stack">
          <div>
            <strong>{user.name}</strong> <span className="muted">· {user.email}</span>
          </div>
          <div className="muted">
            Role: {user.role}
            {user.group ? ` · Group: ${user.group}` : ''}
          </div>
        </div>
        <h2 className="profile-heading">Personal API tokens</h2>
        <p className="muted">
          Scripts and tools call the REST API as you with <code>Authorization: Bearer dsk_…</code>, limited to the
          scopes you choose (never more than your role allows). A token is shown once; the server keeps only its hash.
          The API is described at <a href={OPENAPI_PATH}>{OPENAPI_PATH}</a>.
        </p>
        <ErrorAlert error={tokens.error ?? error} />
        <TokenForm
          title="Create a personal token"
          scopes={ROLE_SCOPES[user.role]}
          namePlaceholder="e.g. queue dashboard script"
          busy={create.isPending}
          onSubmit={async (value) => {
            setError(null);
            try {
              const made = await create.mutateAsync({ ...value, expiresInDays: value.expiresInDays ?? 365 });
              setShown(made.token);
              return true;
            } catch (err) {
              setError(asApiError(err));
              return false;
            }
          }}
        />
        {shown ? (
          <ShownOnce
            title="Your new token"
            value={shown}
            note="It is shown only once; the server keeps only a hash of it."
            onDone={() => setShown(null)}
          />
        ) : null}
        <TokenTable
          label="Personal API tokens"
          tokens={tokens.data ?? []}
          onRevoke={async (t) => {
            try {
              await revoke.mutateAsync(t.id);
            } catch (err) {
              setError(asApiError(err));
            }
          }}
        />
      </div>
    </div>
  );
}
