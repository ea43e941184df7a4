import { useEffect, useState, type ReactElement } from 'react';
import type { ApiError } from '../api/http';
import { useMyMailPreferences, useSaveMyMailPreferences } from '../api/mail.queries';
import { asApiError } from '../api/query-client';
import { ErrorAlert } from '../admin/common/ui';
import './mail.css';

/** The signed-in technician's own preferences: which notifications reach them by email. */
export function PreferencesPage(): ReactElement {
  const loaded = useMyMailPreferences();
  const save = useSaveMyMailPreferences();
  const [choices, setChoices] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => setChoices(Object.fromEntries((loaded.data ?? []).map((p) => [p.kind, p.enabled]))), [loaded.data]);
  const dirty = (loaded.data ?? []).some((p) => choices[p.kind] !== p.enabled);
  return (
    <div className="page">
      <div className="page-header">
        <h1>Preferences</h1>
      </div>
      <form
        className="card stack mail-card mail-prefs"
        aria-label="Email notifications"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            await save.mutateAsync({
              preferences: (loaded.data ?? []).map((p) => ({ kind: p.kind, enabled: choices[p.kind] ?? p.enabled })),
            });
            setNotice('Preferences saved.');
          } catch (err) {
            setError(asApiError(err));
          }
        }}
      >
        <h2>Email notifications</h2>
        <p className="muted">
          Deskside mails you when one of these happens. You are never mailed about your own changes.
        </p>
        <ErrorAlert error={loaded.error ?? error} />
        {notice && !dirty ? (
          <div className="alert alert-info" role="status">
            {notice}
          </div>
        ) : null}
        {(loaded.data ?? []).map((p) => (
          <label key={p.kind} className="admin-check">
            <input
              type="checkbox"
              checked={choices[p.kind] ?? p.enabled}
              onChange={(e) => setChoices({ ...choices, [p.kind]: e.target.checked })}
            />
            {p.label}
          </label>
        ))}
        <div className="toolbar">
          <button type="submit" className="btn btn-primary" disabled={!dirty || save.isPending}>
            Save preferences
          </button>
          {dirty ? <span className="badge badge-warning">Unsaved changes</span> : null}
        </div>
      </form>
    </div>
  );
}
