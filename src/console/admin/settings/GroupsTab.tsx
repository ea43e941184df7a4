import { useState, type ReactElement } from 'react';
import { GROUP_DESCRIPTION_MAX, GROUP_NAME_MAX, MAX_GROUP_TIER } from '../../../shared/admin-fields';
import type { GroupDto } from '../../../shared/api/settings';
import type { ApiError } from '../../api/http';
import { ConfirmButton, ErrorAlert } from '../common/ui';
import { asApiError } from '../../api/query-client';
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

function GroupRow({ group, onChanged }: { group: GroupDto; onChanged(message: string): void }): ReactElement {
  const [editing, setEditing] = useState<Fields | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const { update, remove } = useGroupMutations();
  const run = async (what: () => Promise<unknown>, message: string) => {
    setError(null);
    try {
      await what();
      setEditing(null);
      onChanged(message);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <li className="admin-list-item" aria-label={group.name}>
      <ErrorAlert error={error} />
      {editing ? (
        <form
          className="admin-form-row"
          onSubmit={(e) => (
            e.preventDefault(),
            void run(() => update.mutateAsync({ id: group.id, body: editing }), `Group “${editing.name}” saved.`)
          )}
        >
          <GroupFields value={editing} onChange={setEditing} idPrefix={`Group ${group.name}`} />
          <div className="row admin-end">
            <button type="submit" className="btn btn-primary btn-small">
              Save
            </button>
            <button type="button" className="btn btn-small" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="row admin-wrap">
          <span className="badge badge-info">Tier {group.tier}</span>
          <strong>{group.name}</strong>
          <span className="muted admin-grow">{group.description}</span>
          <span className="muted">
            {group.members} active member{group.members === 1 ? '' : 's'}
          </span>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setEditing({ name: group.name, tier: group.tier, description: group.description })}
          >
            Edit
          </button>
          <ConfirmButton
            small
            label="Delete"
            question={`Delete “${group.name}”?`}
            onConfirm={() => run(() => remove.mutateAsync(group.id), `Group “${group.name}” deleted.`)}
          />
        </div>
      )}
    </li>
  );
}

/** Support groups and their tiers: tickets and staff are assigned to these; escalation moves tickets up a tier. */
export function GroupsTab(): ReactElement {
  const groups = useGroups();
  const [draft, setDraft] = useState<Fields>({ name: '', tier: 1, description: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { create } = useGroupMutations();
  const changed = (message: string) => setNotice(message);
  return (
    <div className="stack">
      <p className="muted">
        Tickets and staff members belong to a group. Renaming a group moves its staff, tickets and escalation rules
        along; a group still in use cannot be deleted.
      </p>
      <ErrorAlert error={groups.error} />
      {notice ? (
        <div className="alert alert-info" role="status">
          {notice}
        </div>
      ) : null}
      <div className="card admin-flush">
        {groups.data && groups.data.length === 0 ? (
          <div className="empty">No groups yet. Add the first line (tier 1) and the teams tickets escalate to.</div>
        ) : null}
        <ul className="admin-list">
          {(groups.data ?? []).map((g) => (
            <GroupRow key={`${g.id}-${g.updatedAt}`} group={g} onChanged={changed} />
          ))}
        </ul>
      </div>
      <form
        className="card stack"
        aria-label="Add a group"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            await create.mutateAsync(draft);
            changed(`Group “${draft.name.trim()}” added.`);
            setDraft({ name: '', tier: 1, description: '' });
          } catch (err) {
            setError(asApiError(err));
          }
        }}
      >
        <h2>Add a group</h2>
        <ErrorAlert error={error} />
        <div className="admin-form-row">
          <GroupFields value={draft} onChange={setDraft} idPrefix="New group" />
        </div>
        <div>
          <button type="submit" className="btn btn-primary">
            Add group
          </button>
        </div>
      </form>
    </div>
  );
}
