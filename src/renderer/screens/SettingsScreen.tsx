import { useEffect, useState, type ReactElement } from 'react';
import type { IpcArg } from '../../shared/ipc/contract';
import type { SectionName } from '../../shared/snapshot';
import { useAnnounce } from '../components/Announcer';
import { Page } from '../components/Page';
import { Badge, ErrorBox, Loading } from '../components/Status';
import { useApp } from '../lib/app-context';
import { SECTION_NAMES, SECTION_TITLES } from '../lib/constants';
import { useMarkInteractive } from '../lib/hooks';
import { useIpcMutation, useIpcQuery } from '../lib/ipc-query';
import { isManaged, ManagedNote, Toggle } from './settings-parts';

const ENROLLMENT = {
  'not-configured': { label: 'Not set up', tone: 'neutral' },
  enrolling: { label: 'Connecting…', tone: 'info' },
  enrolled: { label: 'Connected', tone: 'ok' },
  failed: { label: 'Could not connect', tone: 'critical' },
} as const;

/** Settings: help-desk server and enrollment, privacy, start at login, notifications; IT's keys locked. */
export function SettingsScreen(): ReactElement {
  // The answer of settings:set replaces the cached view, so Get help sees the change too (ipc-cache.ts).
  const query = useIpcQuery('settings:get', {});
  const setSettings = useIpcMutation('settings:set');
  const view = query.value;
  const [serverUrl, setServerUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { state } = useApp();
  const announce = useAnnounce();
  useMarkInteractive(query.status !== 'loading');

  useEffect(() => {
    if (query.value) setServerUrl(query.value.effective.serverUrl ?? '');
  }, [query.value]);

  async function save(change: IpcArg<'settings:set'>): Promise<void> {
    setError(null);
    const response = await setSettings(change);
    if (!response.ok) {
      setError(response.error.message);
      announce(`Not saved: ${response.error.message}`);
      return;
    }
    announce('Settings saved.');
  }

  if (!view) {
    return (
      <Page title="Settings">
        {query.status === 'error' ? (
          <ErrorBox title="Settings could not be loaded" message={query.error} onRetry={query.reload} />
        ) : (
          <Loading label="Loading settings…" />
        )}
      </Page>
    );
  }

  const { effective, managed } = view;
  const locked = (key: string) => isManaged(managed, key);
  const excluded = new Set<SectionName>(effective.privacy.excludedSections);
  const enrollment = state?.enrollment;
  const look = enrollment ? ENROLLMENT[enrollment.state] : null;

  return (
    <Page title="Settings">
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <section className="card stack" aria-labelledby="server-heading">
        <div className="card-head">
          <h2 id="server-heading">Help desk</h2>
          {look && <Badge tone={look.tone}>{look.label}</Badge>}
        </div>
        <form
          className="field"
          onSubmit={(e) => {
            e.preventDefault();
            void save({ serverUrl: serverUrl.trim() || null });
          }}
        >
          <label htmlFor="server-url">Server address</label>
          <div className="row">
            <input
              id="server-url"
              type="url"
              value={serverUrl}
              disabled={locked('serverUrl')}
              placeholder="https://helpdesk.example.com"
              onChange={(e) => setServerUrl(e.target.value)}
            />
            {!locked('serverUrl') && (
              <button type="submit" className="button" disabled={serverUrl.trim() === (effective.serverUrl ?? '')}>
                Save
              </button>
            )}
          </div>
          {locked('serverUrl') && <ManagedNote />}
        </form>
        {enrollment?.deviceId && <p className="muted small">This computer's id: {enrollment.deviceId}</p>}
        {enrollment?.error && (
          <p className="field-error" role="alert">
            {enrollment.error}
          </p>
        )}
      </section>

      <section className="card stack" aria-labelledby="privacy-heading">
        <h2 id="privacy-heading">Privacy</h2>
        <Toggle
          id="privacy-redact"
          label="Hide identifying details"
          description="Serial numbers and network addresses are scrambled and your user name is removed from what is sent."
          checked={effective.privacy.redact}
          locked={locked('privacy.redact')}
          onChange={(v) => void save({ privacy: { redact: v } })}
        />
        <Toggle
          id="privacy-screenshots"
          label="Offer to attach a screenshot"
          description="Shows the screenshot option on the Get help form. A screenshot is only taken when you ask for one."
          checked={effective.privacy.allowScreenshots}
          locked={locked('privacy.allowScreenshots')}
          onChange={(v) => void save({ privacy: { allowScreenshots: v } })}
        />
        <fieldset className="field" disabled={locked('privacy.excludedSections')}>
          <legend>Never send these details</legend>
          {locked('privacy.excludedSections') && <ManagedNote />}
          <div className="section-grid">
            {SECTION_NAMES.map((name) => (
              <label key={name} className="check-line">
                <input
                  type="checkbox"
                  checked={excluded.has(name)}
                  onChange={(e) => {
                    const next = new Set(excluded);
                    if (e.target.checked) next.add(name);
                    else next.delete(name);
                    void save({ privacy: { excludedSections: SECTION_NAMES.filter((n) => next.has(n)) } });
                  }}
                />
                {SECTION_TITLES[name]}
              </label>
            ))}
          </div>
        </fieldset>
      </section>

      <section className="card stack" aria-labelledby="general-heading">
        <h2 id="general-heading">General</h2>
        <Toggle
          id="start-at-login"
          label="Start when I sign in"
          description="Keeps Deskside in the tray so replies reach you."
          checked={effective.startAtLogin}
          locked={locked('startAtLogin')}
          onChange={(v) => void save({ startAtLogin: v })}
        />
        <Toggle
          id="notifications"
          label="Show notifications"
          description="A desktop notification when the help desk answers."
          checked={effective.notifications}
          locked={locked('notifications')}
          onChange={(v) => void save({ notifications: v })}
        />
      </section>
    </Page>
  );
}
