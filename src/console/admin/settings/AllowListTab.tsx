import { useState, type ReactElement } from 'react';
import { useItCatalog, useItMutations, type ItPackageDto, type ItServiceDto } from '../../api/it-actions.queries';
import { asApiError } from '../../api/query-client';
import { EditableList, FormAlerts, useEntryForm, type EntryFormProps } from '../common/EditableList';
import { ErrorAlert, Notice } from '../common/ui';

/*
 * IT's allow-lists (issue 12): the services a technician may restart and the packages they may install,
 * each with its name on every OS. A technician picks an entry by its display name; the server signs the
 * name for the device's OS into the command. Names are checked here as the server checks them (letters,
 * digits and a few marks; never a leading "-"), and the server's refusal is shown as it words it.
 */

type Kind = 'services' | 'packages';
type Entry = ItServiceDto | ItPackageDto;

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

function draftOf(kind: Kind, entry: Entry): Draft {
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

/** The names given, trimmed: the body the server takes besides the title. */
function namesOf(kind: Kind, draft: Draft): Record<string, string> {
  return Object.fromEntries(
    FIELDS[kind].flatMap(({ key }) => (draft.names[key]?.trim() ? [[key, draft.names[key]!.trim()]] : [])),
  );
}

function EntryForm({ kind, item, onSaved, onCancel }: EntryFormProps<Entry> & { kind: Kind }): ReactElement {
  const { saveService, savePackage } = useItMutations();
  const label = item ? `Edit ${item.title}` : kind === 'services' ? 'Add a service' : 'Add a package';
  const { draft, set, setDraft, problem, error, submit } = useEntryForm({
    initial: item ? draftOf(kind, item) : emptyDraft(),
    reset: item ? undefined : emptyDraft(),
    problemOf: (d) => problemOf(kind, d),
    save: (d) => {
      const body = { title: d.title.trim(), ...namesOf(kind, d) };
      return kind === 'services'
        ? saveService.mutateAsync({ id: d.id, body })
        : savePackage.mutateAsync({ id: d.id, body: { ...body, brewCask: d.brewCask } });
    },
    savedMessage: (d) => `“${d.title.trim()}” saved.`,
    onSaved,
  });
  const field = (key: string) => `${label} ${key}`;
  return (
    <form className="stack" aria-label={label} noValidate onSubmit={(e) => void submit(e)}>
      <FormAlerts error={error} problem={problem} prefix="The server refused" />
      <div className="admin-form-row">
        <label className="field">
          <span>Id</span>
          <input
            className="input"
            aria-label={field('id')}
            value={draft.id}
            disabled={item !== null}
            spellCheck={false}
            onChange={(e) => set({ id: e.target.value })}
          />
        </label>
        <label className="field admin-grow">
          <span>Name technicians see</span>
          <input
            className="input"
            aria-label={field('name')}
            value={draft.title}
            maxLength={120}
            onChange={(e) => set({ title: e.target.value })}
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
            <input type="checkbox" checked={draft.brewCask} onChange={(e) => set({ brewCask: e.target.checked })} />
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

function names(kind: Kind, entry: Entry): string {
  return FIELDS[kind]
    .flatMap(({ key, label }) => {
      const value = (entry as unknown as Record<string, string | null>)[key];
      return value ? [`${label.split(' (')[0]}: ${value}`] : [];
    })
    .join(' · ');
}

function ListSection({
  kind,
  entries,
  onChanged,
}: {
  kind: Kind;
  entries: readonly Entry[];
  onChanged(message: string): void;
}): ReactElement {
  const title = kind === 'services' ? 'Services' : 'Packages';
  const { removeService, removePackage } = useItMutations();
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
      <EditableList<Entry>
        items={entries}
        keyOf={(entry) => `${entry.id}-${entry.updatedAt}`}
        nameOf={(entry) => entry.title}
        summary={(entry) => (
          <>
            <strong>{entry.title}</strong>
            <code className="muted">{entry.id}</code>
            <span className="muted admin-grow">
              {names(kind, entry)}
              {'brewCask' in entry && entry.brewCask ? ' (cask)' : ''}
            </span>
          </>
        )}
        form={(props) => <EntryForm kind={kind} {...props} />}
        remove={{
          label: 'Remove',
          question: (entry) => `Remove “${entry.title}” from the allow-list?`,
          run: (entry) => (kind === 'services' ? removeService : removePackage).mutateAsync(entry.id),
          message: (entry) => `“${entry.title}” removed.`,
        }}
        onChanged={onChanged}
        empty="Nothing on this list yet."
      />
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
      <Notice message={notice} />
      <ListSection kind="services" entries={catalog.data?.services ?? []} onChanged={setNotice} />
      <ListSection kind="packages" entries={catalog.data?.packages ?? []} onChanged={setNotice} />
    </div>
  );
}
