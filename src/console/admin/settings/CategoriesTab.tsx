import { useEffect, useState, type ReactElement } from 'react';
import type { CategorySettingDto } from '../../../shared/api/settings';
import type { ApiError } from '../../api/http';
import { ErrorAlert, Notice } from '../common/ui';
import { asApiError } from '../../api/query-client';
import { useCategories, useSaveCategories } from '../../api/settings.queries';
import { CATEGORY_LABEL_MAX } from '../../../shared/admin-fields';

/** Ticket categories: the set is fixed, administrators choose labels and which are offered. */
export function CategoriesTab(): ReactElement {
  const loaded = useCategories();
  const saveCategories = useSaveCategories();
  const [rows, setRows] = useState<CategorySettingDto[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => setRows(loaded.data ?? []), [loaded.data]);
  const dirty = JSON.stringify(rows) !== JSON.stringify(loaded.data ?? []);
  const set = (i: number, patch: Partial<CategorySettingDto>) =>
    setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <form
      className="stack"
      aria-label="Ticket categories"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          const saved = await saveCategories.mutateAsync(rows.map((r) => ({ ...r, label: r.label.trim() })));
          setRows(saved.categories);
          setNotice('Categories saved.');
        } catch (err) {
          setError(asApiError(err));
        }
      }}
    >
      <p className="muted">
        The categories are fixed so that every agent version understands them; here you choose how the console names
        them and which ones are offered. Tray agents do not read these settings yet: they still show every category with
        its built-in name.
      </p>
      <ErrorAlert error={loaded.error ?? error} />
      <Notice message={dirty ? null : notice} />
      <div className="card admin-flush">
        <table className="table" aria-label="Categories">
          <thead>
            <tr>
              <th>Category</th>
              <th>Label</th>
              <th>Offered</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.category}>
                <td>
                  <code>{r.category}</code>
                </td>
                <td>
                  <input
                    className="input"
                    aria-label={`Label of ${r.category}`}
                    value={r.label}
                    maxLength={CATEGORY_LABEL_MAX}
                    required
                    onChange={(e) => set(i, { label: e.target.value })}
                  />
                </td>
                <td>
                  <label className="admin-check">
                    <input
                      type="checkbox"
                      checked={r.enabled}
                      onChange={(e) => set(i, { enabled: e.target.checked })}
                    />
                    {r.enabled ? 'Offered' : 'Hidden'}
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="toolbar">
        <button type="submit" className="btn btn-primary" disabled={!dirty}>
          Save categories
        </button>
        {dirty ? <span className="badge badge-warning">Unsaved changes</span> : null}
      </div>
    </form>
  );
}
