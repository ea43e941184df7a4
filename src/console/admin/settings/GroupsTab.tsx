import { useState, type ReactElement } from 'react';
import { GROUP_DESCRIPTION_MAX, GROUP_NAME_MAX, MAX_GROUP_TIER } from '../../../shared/admin-fields';
import type { GroupDto } from '../../../shared/api/settings';
import { EditableList, FormAlerts, useEntryForm, type EntryFormProps } from '../common/EditableList';
import { ErrorAlert, Notice } from '../common/ui';
import { useGroupMutations, useGroups } from '../../api/settings.queries';

const TIERS = Array.from({ length: MAX_GROUP_TIER }, (_, i) => i + 1);

interface Fields {
  name: string;
  tier: number;
  description: string;
}

function GroupFields({
  value,
  onChange,
  idPrefix,
}: {
  value: Fields;
  onChange(v: Fields): void;
  idPrefix: string;
}): ReactElement {
  return (
    <>
      <label className="field">
        <span>Name</span>
        <input
          className="input"
          aria-label={`${idPrefix} name`}
          value={value.name}
          maxLength={GROUP_NAME_MAX}
          onChange={(e) => onChange({ ...value, name: e.target.value })}
          required
        />
      </label>
      <label className="field">
        <span>Tier</span>
        <select
          className="input"
          aria-label={`${idPrefix} tier`}
          value={value.tier}
          onChange={(e) => onChange({ ...value, tier: Number(e.target.value) })}
        >
          {TIERS.map((t) => (
            <option key={t} value={t}>
              Tier {t}
            </option>
          ))}
        </select>
      </label>
      <label className="field admin-grow">
        <span>Description</span>
        <input
          className="input"
          aria-label={`${idPrefix} description`}
          value={value.description}
          maxLength={GROUP_DESCRIPTION_MAX}
          onChange={(e) => onChange({ ...value, description: e.target.value })}
        />
      </label>
    </>
  );
}

const EMPTY: Fields = { name: '', tier: 1, description: '' };

function GroupForm({ item, onSaved, onCancel }: EntryFormProps<GroupDto>): ReactElement {
  const { create, update } = useGroupMutations();
  const { draft, setDraft, error, submit } = useEntryForm<Fields>({
    initial: item ? { name: item.name, tier: item.tier, description: item.description } : EMPTY,
    reset: item ? undefined : EMPTY,
    save: (body) => (item ? update.mutateAsync({ id: item.id, body }) : create.mutateAsync(body)),
    savedMessage: (body) => (item ? `Group “${body.name}” saved.` : `Group “${body.name.trim()}” added.`),
    onSaved,
  });
  if (item)
    return (
      <>
        <FormAlerts error={error} />
        <form className="admin-form-row" onSubmit={(e) => void submit(e)}>
          <GroupFields value={draft} onChange={setDraft} idPrefix={`Group ${item.name}`} />
          <div className="row admin-end">
            <button type="submit" className="btn btn-primary btn-small">
              Save
            </button>
            <button type="button" className="btn btn-small" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </form>
      </>
    );
  return (
    <form className="stack" aria-label="Add a group" onSubmit={(e) => void submit(e)}>
      <h2>Add a group</h2>
      <FormAlerts error={error} />
      <div className="admin-form-row">
        <GroupFields value={draft} onChange={setDraft} idPrefix="New group" />
      </div>
      <div>
        <button type="submit" className="btn btn-primary">
          Add group
        </button>
      </div>
    </form>
  );
}

/** Support groups and their tiers: tickets and staff are assigned to these; escalation moves tickets up a tier. */
export function GroupsTab(): ReactElement {
  const groups = useGroups();
  const { remove } = useGroupMutations();
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="stack">
      <p className="muted">
        Tickets and staff members belong to a group. Renaming a group moves its staff, tickets and escalation rules
        along; a group still in use cannot be deleted.
      </p>
      <ErrorAlert error={groups.error} />
      <Notice message={notice} />
      <EditableList<GroupDto>
        items={groups.data}
        keyOf={(g) => `${g.id}-${g.updatedAt}`}
        nameOf={(g) => g.name}
        summary={(g) => (
          <>
            <span className="badge badge-info">Tier {g.tier}</span>
            <strong>{g.name}</strong>
            <span className="muted admin-grow">{g.description}</span>
            <span className="muted">
              {g.members} active member{g.members === 1 ? '' : 's'}
            </span>
          </>
        )}
        form={(props) => <GroupForm {...props} />}
        remove={{
          question: (g) => `Delete “${g.name}”?`,
          run: (g) => remove.mutateAsync(g.id),
          message: (g) => `Group “${g.name}” deleted.`,
        }}
        onChanged={setNotice}
        empty="No groups yet. Add the first line (tier 1) and the teams tickets escalate to."
      />
    </div>
  );
}
