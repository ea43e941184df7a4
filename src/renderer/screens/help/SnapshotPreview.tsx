import type { ReactElement } from 'react';
import type { SectionName, Sections, Snapshot } from '../../../shared/snapshot';
import { Icon } from '../../components/Icon';
import { Badge, Loading } from '../../components/Status';
import { SECTION_NAMES, SECTION_TITLES } from '../../lib/constants';
import { summarizeSection } from './section-summary';
import type { PreviewState } from './use-snapshot-preview';

interface Props {
  state: PreviewState;
  excluded: ReadonlySet<SectionName>;
  onToggle: (section: SectionName, include: boolean) => void;
  includeSnapshot: boolean;
  onIncludeSnapshot: (include: boolean) => void;
  onRecollect: () => void;
}

const PROBE_WORDS: Record<string, string> = {
  error: 'Could not be read',
  timeout: 'Took too long',
  unsupported: 'Not available here',
  omitted: 'Left out',
};

function SectionRow({
  name,
  snapshot,
  excluded,
  onToggle,
}: {
  name: SectionName;
  snapshot: Snapshot;
  excluded: boolean;
  onToggle: (include: boolean) => void;
}): ReactElement {
  const data = snapshot.sections[name] as Sections[SectionName] | undefined;
  const probe = snapshot.probes[name];
  const checkboxId = `section-${name}`;
  return (
    <li className={`section-row${excluded ? ' excluded' : ''}`} data-section={name}>
      <div className="section-line">
        <input
          id={checkboxId}
          type="checkbox"
          checked={!excluded}
          disabled={!data}
          onChange={(e) => onToggle(e.target.checked)}
        />
        <label htmlFor={checkboxId} className="section-title">
          {SECTION_TITLES[name]}
        </label>
        {data ? (
          excluded ? (
            <Badge tone="neutral">Will not be sent</Badge>
          ) : (
            <Badge tone="ok">Included</Badge>
          )
        ) : (
          <Badge tone="warning">{PROBE_WORDS[probe?.status ?? 'error'] ?? 'Not collected'}</Badge>
        )}
      </div>
      <p className="section-summary">
        {data ? summarizeSection(name, data) : (probe?.error?.message ?? 'Nothing will be sent for this section.')}
      </p>
      {data && (
        <details className="raw">
          <summary>Show exactly what is sent</summary>
          <pre tabIndex={0}>{JSON.stringify(data, null, 2)}</pre>
        </details>
      )}
    </li>
  );
}

/** What the ticket will carry: each snapshot section with a summary, its raw data and a checkbox. */
export function SnapshotPreview({
  state,
  excluded,
  onToggle,
  includeSnapshot,
  onIncludeSnapshot,
  onRecollect,
}: Props): ReactElement {
  const preview = state.status === 'ready' ? state.preview : null;
  const snapshot = preview?.snapshot ?? null;
  const locked = preview?.lockedOut ?? [];
  const names = SECTION_NAMES.filter(
    (n) => !locked.includes(n) && (snapshot?.sections[n] !== undefined || snapshot?.probes[n] !== undefined),
  );
  const included = names.filter((n) => snapshot?.sections[n] !== undefined && !excluded.has(n)).length;

  return (
    <section className="card stack" aria-labelledby="preview-heading" data-testid="snapshot-preview">
      <div className="card-head">
        <h2 id="preview-heading">Details from your computer</h2>
        {state.status === 'ready' && includeSnapshot && (
          <span className="muted small">{included} sections will be sent</span>
        )}
      </div>
      <p className="muted">
        These details answer the help desk's first questions. Nothing is sent until you press Send; untick anything you
        would rather keep to yourself.
      </p>
      <label className="check-line">
        <input type="checkbox" checked={!includeSnapshot} onChange={(e) => onIncludeSnapshot(!e.target.checked)} />
        Send no details from my computer
      </label>
      {!includeSnapshot && (
        <p className="muted small">
          Only your description (and screenshot, if added) will be sent. The help desk may need to ask you more
          questions.
        </p>
      )}
      {includeSnapshot && state.status === 'collecting' && (
        <Loading label="Collecting details in the background — you can keep typing." />
      )}
      {includeSnapshot && state.status === 'failed' && (
        <div className="callout callout-warning" role="alert">
          <Icon name="warning" />
          <div className="callout-body">
            <strong>The details could not be collected</strong>
            <p>{state.message} You can still send your request without them.</p>
            <button type="button" className="button button-small" onClick={onRecollect}>
              Try again
            </button>
          </div>
        </div>
      )}
      {includeSnapshot && snapshot && (
        <>
          {snapshot.redacted && (
            <p className="muted small">
              Serial numbers and network addresses are scrambled and your user name is removed (privacy setting).
            </p>
          )}
          <ul className="sections" aria-label="Sections">
            {names.map((name) => (
              <SectionRow
                key={name}
                name={name}
                snapshot={snapshot}
                excluded={excluded.has(name)}
                onToggle={(include) => onToggle(name, include)}
              />
            ))}
            {locked.map((name) => (
              <li key={name} className="section-row locked" data-section={name}>
                <div className="section-line">
                  <Icon name="lock" label="Locked" size={16} />
                  <span className="section-title">{SECTION_TITLES[name]}</span>
                  <Badge tone="neutral">Never sent</Badge>
                </div>
                <p className="section-summary">Left out by your privacy settings.</p>
              </li>
            ))}
          </ul>
          <button type="button" className="link-button" onClick={onRecollect}>
            Collect the details again
          </button>
        </>
      )}
    </section>
  );
}
