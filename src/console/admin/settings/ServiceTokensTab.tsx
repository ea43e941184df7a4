import { useState, type ReactElement } from 'react';
import { ROLE_SCOPES } from '../../../shared/integrations';
import type { ApiError } from '../../api/http';
import { useServiceTokenMutations, useServiceTokens } from '../../api/integrations.queries';
import { asApiError } from '../../api/query-client';
import { ShownOnce, TokenForm, TokenTable } from '../../profile/TokenParts';
import { ErrorAlert } from '../common/ui';

/** Service API tokens: named integrations (CI, monitoring, a chat bot) that act as `token:<name>`, not as a person. */
export function ServiceTokensTab(): ReactElement {
  const tokens = useServiceTokens();
  const { create, revoke } = useServiceTokenMutations();
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <div className="stack">
      <p className="muted">
        A service token belongs to no one's login: what it does is recorded as <code>token:&lt;name&gt;</code> in the
        audit log and on tickets. Personal tokens are on each staff member's <a href="/profile">profile page</a>. Token
        management itself always needs a signed-in session.
      </p>
      <ErrorAlert error={tokens.error ?? error} />
      <TokenForm
        title="Create a service token"
        scopes={ROLE_SCOPES.admin}
        namePlaceholder="e.g. monitoring-bridge"
        nameHint="Lower-case letters, digits, dot, dash, underscore."
        allowNoExpiry
        busy={create.isPending}
        onSubmit={async (value) => {
          setError(null);
          try {
            const made = await create.mutateAsync(value);
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
          title="The new service token"
          value={shown}
          note="It is shown only once; the server keeps only a hash of it."
          onDone={() => setShown(null)}
        />
      ) : null}
      <TokenTable
        label="Service API tokens"
        tokens={tokens.data ?? []}
        showCreator
        onRevoke={async (t) => {
          try {
            await revoke.mutateAsync(t.id);
          } catch (err) {
            setError(asApiError(err));
          }
        }}
      />
    </div>
  );
}
