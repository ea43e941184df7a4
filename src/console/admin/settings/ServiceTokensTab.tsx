import type { ReactElement } from 'react';
import { ROLE_SCOPES } from '../../../shared/integrations';
import { useServiceTokenMutations, useServiceTokens } from '../../api/integrations.queries';
import { TokenManager } from '../../profile/TokenParts';

/** Service API tokens: named integrations (CI, monitoring, a chat bot) that act as `token:<name>`, not as a person. */
export function ServiceTokensTab(): ReactElement {
  const tokens = useServiceTokens();
  const { create, revoke } = useServiceTokenMutations();
  return (
    <div className="stack">
      <p className="muted">
        A service token belongs to no one's login: what it does is recorded as <code>token:&lt;name&gt;</code> in the
        audit log and on tickets. Personal tokens are on each staff member's <a href="/profile">profile page</a>. Token
        management itself always needs a signed-in session.
      </p>
      <TokenManager
        form={{
          title: 'Create a service token',
          scopes: ROLE_SCOPES.admin,
          namePlaceholder: 'e.g. monitoring-bridge',
          nameHint: 'Lower-case letters, digits, dot, dash, underscore.',
          allowNoExpiry: true,
        }}
        tokens={tokens}
        creating={create.isPending}
        create={async (value) => (await create.mutateAsync(value)).token}
        revoke={(id) => revoke.mutateAsync(id)}
        shownTitle="The new service token"
        tableLabel="Service API tokens"
        showCreator
      />
    </div>
  );
}
