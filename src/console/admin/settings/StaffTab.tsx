import { useState, type FormEvent, type ReactElement } from 'react';
import type { StaffRole } from '../../../shared/api/auth';
import type { GroupDto } from '../../../shared/api/settings';
import type { ApiError } from '../../api/http';
import { asApiError } from '../../api/query-client';
import { useGroups } from '../../api/settings.queries';
import { useCreateStaff, useStaff, useUpdateStaff, type StaffMember as Member } from '../../api/staff.queries';
import { ErrorAlert, Notice } from '../common/ui';
import { STAFF_NAME_MAX } from '../../../shared/admin-fields';

function GroupSelect({
  value,
  groups,
  onChange,
  label,
}: {
  value: string | null;
  groups: GroupDto[];
  onChange(v: string | null): void;
  label: string;
}): ReactElement {
  const known = groups.some((g) => g.name === value);
  return (
    <select className="input" aria-label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
      <option value="">No group</option>
      {value && !known ? <option value={value}>{value} (not registered)</option> : null}
      {groups.map((g) => (
        <option key={g.id} value={g.name}>
          {g.name} (tier {g.tier})
        </option>
      ))}
    </select>
  );
}

function StaffRow({
  member,
  groups,
  onSaved,
}: {
  member: Member;
  groups: GroupDto[];
  onSaved(message: string): void;
}): ReactElement {
  const [error, setError] = useState<ApiError | null>(null);
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const update = useUpdateStaff();
  const change = async (body: Record<string, unknown>, message: string) => {
    setError(null);
    try {
      await update.mutateAsync({ id: member.id, body });
      onSaved(message);
      return true;
    } catch (e) {
      setError(asApiError(e));
      return false;
    }
  };
  return (
    <tr aria-label={member.name} className={member.active ? '' : 'admin-inactive'}>
      <td>
        <div>{member.name}</div>
        <div className="muted">{member.email}</div>
        <ErrorAlert error={error} />
      </td>
      <td>
        <select
          className="input"
          aria-label={`Role of ${member.name}`}
          value={member.role}
          onChange={(e) => void change({ role: e.target.value }, `${member.name} is now ${e.target.value}.`)}
        >
          <option value="technician">Technician</option>
          <option value="admin">Admin</option>
        </select>
      </td>
      <td>
        <GroupSelect
          label={`Group of ${member.name}`}
          value={member.group}
          groups={groups}
          onChange={(group) => void change({ group }, `${member.name} moved to ${group ?? 'no group'}.`)}
        />
      </td>
      <td>
        <label className="admin-check">
          <input
            type="checkbox"
            checked={member.active}
            onChange={(e) =>
              void change(
                { active: e.target.checked },
                `${member.name} ${e.target.checked ? 'reactivated' : 'deactivated; their sessions ended'}.`,
              )
            }
          />
          Active
        </label>
      </td>
      <td>
        {resetting ? (
          <form
            className="row"
            onSubmit={async (e) => {
              e.preventDefault();
              if (await change({ password }, `Password of ${member.name} reset; their sessions ended.`)) {
                setResetting(false);
                setPassword('');
              }
            }}
          >
            <input
              className="input"
              type="password"
              autoComplete="new-password"
              aria-label={`New password for ${member.name}`}
              placeholder="At least 12 characters"
              minLength={12}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
            <button className="btn btn-small btn-primary" type="submit">
              Set
            </button>
            <button className="btn btn-small" type="button" onClick={() => setResetting(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <button type="button" className="btn btn-small" onClick={() => setResetting(true)}>
            Reset password
          </button>
        )}
      </td>
    </tr>
  );
}

/** Staff accounts: list, create, change role, group and active flag, reset passwords. */
export function StaffTab(): ReactElement {
  // The same staff query as the assignee pickers: a change here shows there at once.
  const list = useStaff();
  const groups = useGroups().data ?? [];
  const createStaff = useCreateStaff();
  const [form, setForm] = useState({
    name: '',
    email: '',
    role: 'technician' as StaffRole,
    group: null as string | null,
    password: '',
  });
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const saved = (message: string) => setNotice(message);

  async function create(e: FormEvent): Promise<void> {
    e.preventDefault();
    setError(null);
    try {
      await createStaff.mutateAsync(form);
      saved(`${form.name} can now sign in as ${form.email}.`);
      setForm({ name: '', email: '', role: 'technician', group: null, password: '' });
    } catch (err) {
      setError(asApiError(err));
    }
  }

  return (
    <div className="stack">
      <ErrorAlert error={list.error} />
      <Notice message={notice} />
      <div className="card admin-flush">
        <table className="table" aria-label="Staff">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Group</th>
              <th>Status</th>
              <th>Password</th>
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((m) => (
              <StaffRow key={`${m.id}-${m.role}-${m.group}-${m.active}`} member={m} groups={groups} onSaved={saved} />
            ))}
          </tbody>
        </table>
      </div>
      <form className="card stack" aria-label="Add a staff member" onSubmit={(e) => void create(e)}>
        <h2>Add a staff member</h2>
        <ErrorAlert error={error} />
        <div className="admin-form-row">
          <label className="field">
            <span>Name</span>
            <input
              className="input"
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
              required
              maxLength={STAFF_NAME_MAX}
            />
          </label>
          <label className="field">
            <span>Email</span>
            <input
              className="input"
              type="email"
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.target.value })}
              required
            />
          </label>
          <label className="field">
            <span>Role</span>
            <select
              className="input"
              value={form.role}
              onChange={(e) => setForm({ ...form, role: e.target.value as StaffRole })}
            >
              <option value="technician">Technician</option>
              <option value="admin">Admin</option>
            </select>
          </label>
          <label className="field">
            <span>Group</span>
            <GroupSelect
              label="Group"
              value={form.group}
              groups={groups}
              onChange={(group) => setForm({ ...form, group })}
            />
          </label>
          <label className="field">
            <span>Initial password</span>
            <input
              className="input"
              type="password"
              autoComplete="new-password"
              minLength={12}
              placeholder="At least 12 characters"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
              required
            />
          </label>
        </div>
        <div>
          <button type="submit" className="btn btn-primary">
            Add staff member
          </button>
        </div>
      </form>
    </div>
  );
}
