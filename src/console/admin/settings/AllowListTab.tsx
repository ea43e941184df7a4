import { useState, type ReactElement } from 'react';
import type { ApiError } from '../../api/http';
import { useItCatalog, useItMutations, type ItPackageDto, type ItServiceDto } from '../../api/it-actions.queries';
import { asApiError } from '../../api/query-client';
import { ConfirmButton, ErrorAlert } from '../common/ui';

/*
 * IT's allow-lists (issue 12): the services a technician may restart and the packages they may install,
 * each with its name on every OS. A technician picks an entry by its display name; the server signs the
 * name for the device's OS into the command. Names are checked here as the server checks them (letters,
 * digits and a few marks; never a leading "-"), and the server's refusal is shown as it words it.
 */

type Kind = 'services' | 'packages';

const FIELDS: Record<Kind, readonly { key: string; label: string; hint: string }[]> = {
  services: [
    { key: 'linux', label: 'Linux (systemd unit)', hint: 'e.g. cups.service' },
    { key: 'win32', label: 'Windows (service name)', hint: 'e.g. Spooler' },
    { key: 'darwin', label: 'macOS (launchd label)', hint: 'e.g. org.cups.cupsd' },
  ],
  packages: [
    { key: 'apt', label: 'apt package', hint: 'e.g. vlc' },
    { key: 'dnf', label: 'dnf package', hint: 'e.g. vlc' },
    { key: 'winget', label: 'winget id', hint: 'e.g. VideoLAN.VLC' },
    { key: 'brew', label: 'Homebrew formula or cask', hint: 'e.g. vlc' },
  ],
};

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.@:+-]{0,127}$/;

interface Draft {
  id: string;
  title: string;
  names: Record<string, string>;
  brewCask: boolean;
}

const emptyDraft = (): Draft => ({ id: '', title: '', names: {}, brewCask: false });

function draftOf(kind: Kind, entry: ItServiceDto | ItPackageDto): Draft {
  const names = Object.fromEntries(
    FIELDS[kind].flatMap(({ key }) => {
      const value = (entry as unknown as Record<string, string | null>)[key];
      return value ? [[key, value]] : [];
    }),
  );
  return { id: entry.id, title: entry.title, names, brewCask: 'brewCask' in entry ? entry.brewCask : false };
}

/** The form's own check: a sentence for the first problem, or null. */
function problemOf(kind: Kind, draft: Draft): string | null {
  if (!ID.test(draft.id)) return 'Id: letters, digits, "-" and "_" (up to 64), starting with a letter or digit';
  if (!draft.title.trim()) return 'Name: enter the name technicians see';
  const given = FIELDS[kind].filter(({ key }) => draft.names[key]?.trim());
  if (given.length === 0) return `Give the ${kind === 'services' ? 'service' : 'package'}'s name on at least one OS`;
  for (const { key, label } of given)
    if (!NAME.test(draft.names[key]!.trim()) || draft.names[key]!.includes('..'))
      return `${label}: letters, digits and . _ @ : + - only, not starting with "-" or ".", no spaces`;
  return null;
}

function EntryForm({
  kind,
  initial,
  fixedId,
  label,
  onSaved,
  onCancel,
}: {
  kind: Kind;
  initial: Draft;
  fixedId: boolean;
  label: string;
  onSaved(message: string): void;
  onCancel?: () => void;
}): ReactElement {
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { saveService, savePackage } = useItMutations();
  const submit = async () => {
    setError(null);
    const found = problemOf(kind, draft);
    setProblem(found);
    if (found) return;
    const names = Object.fromEntries(
      FIELDS[kind].flatMap(({ key }) => (draft.names[key]?.trim() ? [[key, draft.names[key]!.trim()]] : [])),
    );
    const title = draft.title.trim();
    try {
      if (kind === 'services') await saveService.mutateAsync({ id: draft.id, body: { title, ...names } });
      else await savePackage.mutateAsync({ id: draft.id, body: { title, ...names, brewCask: draft.brewCask } });
      onSaved(`“${title}” saved.`);
      if (!fixedId) setDraft(emptyDraft());
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const field = (key: string) => `${label} ${key}`;
  return (
    <form
      className="stack"
      aria-label={label}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <ErrorAlert error={error} prefix="The server refused" />
      {problem && (
        <div className="alert alert-error" role="alert">
          {problem}
        </div>
      )}
      <div className="admin-form-row">
        <label className="field">
          <span>Id</span>
          <input
            className="input"
            aria-label={field('id')}
            value={draft.id}
            disabled={fixedId}
            spellCheck={false}
            onChange={(e) => setDraft({ ...draft, id: e.target.value })}
          />
        </label>
        <label className="field admin-grow">
          <span>Name technicians see</span>
          <input
            className="input"
            aria-label={field('name')}
            value={draft.title}
            maxLength={120}
            onChange={(e) => setDraft({ ...draft, title: e.target.value })}
          />
        </label>
      </div>
      <div className="admin-form-row">
        {FIELDS[kind].map(({ key, label: text, hint }) => (
          <label key={key} className="field">
            <span>{text}</span>
            <input
              className="input"
              aria-label={field(text)}
              placeholder={hint}
              spellCheck={false}
              value={draft.names[key] ?? ''}
              onChange={(e) => setDraft({ ...draft, names: { ...draft.names, [key]: e.target.value } })}
            />
          </label>
        ))}
        {kind === 'packages' && (
          <label className="row internal-toggle">
            <input
              type="checkbox"
              checked={draft.brewCask}
              onChange={(e) => setDraft({ ...draft, brewCask: e.target.checked })}
            />
            Homebrew cask
          </label>
        )}
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary btn-small">
          Save
        </button>
        {onCancel && (
          <button type="button" className="btn btn-small" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function names(kind: Kind, entry: ItServiceDto | ItPackageDto): string {
  return FIELDS[kind]
    .flatMap(({ key, label }) => {
      const value = (entry as unknown as Record<string, string | null>)[key];
      return value ? [`${label.split(' (')[0]}: ${value}`] : [];
    })
    .join(' · ');
}

function EntryRow({
  kind,
  entry,
  onChanged,
}: {
  kind: Kind;
  entry: ItServiceDto | ItPackageDto;
  onChanged(message: string): void;
}): ReactElement {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const { removeService, removePackage } = useItMutations();
  if (editing)
    return (
      <li className="admin-list-item" aria-label={entry.title}>
        <EntryForm
          kind={kind}
          initial={draftOf(kind, entry)}
          fixedId
          label={`Edit ${entry.title}`}
          onSaved={(m) => (setEditing(false), onChanged(m))}
          onCancel={() => setEditing(false)}
        />
      </li>
    );
  return (
    <li className="admin-list-item" aria-label={entry.title}>
      <ErrorAlert error={error} />
      <div className="row admin-wrap">
        <strong>{entry.title}</strong>
        <code className="muted">{entry.id}</code>
        <span className="muted admin-grow">
          {names(kind, entry)}
          {'brewCask' in entry && entry.brewCask ? ' (cask)' : ''}
        </span>
        <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
          Edit
        </button>
        <ConfirmButton
          small
          label="Remove"
          question={`Remove “${entry.title}” from the allow-list?`}
          onConfirm={async () => {
            setError(null);
            try {
              await (kind === 'services' ? removeService : removePackage).mutateAsync(entry.id);
              onChanged(`“${entry.title}” removed.`);
            } catch (e) {
              setError(asApiError(e));
            }
          }}
        />
      </div>
    </li>
  );
}

function ListSection({
  kind,
  entries,
  onChanged,
}: {
  kind: Kind;
  entries: readonly (ItServiceDto | ItPackageDto)[];
  onChanged(message: string): void;
}): ReactElement {
  const title = kind === 'services' ? 'Services' : 'Packages';
  return (
    <section className="stack" aria-label={title}>
      <header className="admin-section-head">
        <h2>{title}</h2>
        <p className="muted">
          {kind === 'services'
            ? 'Services a technician may restart ("Restart a service").'
            : 'Packages a technician may install or update ("Install or update a package"), through apt or dnf, winget, or Homebrew.'}
        </p>
      </header>
      <div className="card admin-flush">
        {entries.length === 0 && <div className="empty">Nothing on this list yet.</div>}
        <ul className="admin-list">
          {entries.map((entry) => (
            <EntryRow key={`${entry.id}-${entry.updatedAt}`} kind={kind} entry={entry} onChanged={onChanged} />
          ))}
        </ul>
      </div>
      <div className="card">
        <EntryForm
          kind={kind}
          initial={emptyDraft()}
          fixedId={false}
          label={kind === 'services' ? 'Add a service' : 'Add a package'}
          onSaved={onChanged}
        />
      </div>
    </section>
  );
}

/** The service and package allow-lists of "Run on device". */
export function AllowListTab(): ReactElement {
  const catalog = useItCatalog();
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="stack">
      <ErrorAlert error={catalog.error ? asApiError(catalog.error) : null} />
      {notice && (
        <div className="alert alert-info" role="status">
          {notice}
        </div>
      )}
      <ListSection kind="services" entries={catalog.data?.services ?? []} onChanged={setNotice} />
      <ListSection kind="packages" entries={catalog.data?.packages ?? []} onChanged={setNotice} />
    </div>
  );
}
