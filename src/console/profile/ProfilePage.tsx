import type { ReactElement } from 'react';
import { OPENAPI_PATH } from '../../shared/api/endpoint-routes';
import { ROLE_SCOPES } from '../../shared/integrations';
import '../admin/admin.css';
import { useMyTokenMutations, useMyTokens } from '../api/integrations.queries';
import { useSession } from '../app/session';
import { TokenManager } from './TokenParts';

/** The signed-in staff member's own page: who they are, and their personal API tokens. */
export function ProfilePage(): ReactElement {
  const { user } = useSession();
  const tokens = useMyTokens();
  const { create, revoke } = useMyTokenMutations();
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
        <TokenManager
          form={{
            title: 'Create a personal token',
            scopes: ROLE_SCOPES[user.role],
            namePlaceholder: 'e.g. queue dashboard script',
          }}
          tokens={tokens}
          creating={create.isPending}
          create={async (value) =>
            (await create.mutateAsync({ ...value, expiresInDays: value.expiresInDays ?? 365 })).token
          }
          revoke={(id) => revoke.mutateAsync(id)}
          shownTitle="Your new token"
          tableLabel="Personal API tokens"
        />
      </div>
    </div>
  );
}
