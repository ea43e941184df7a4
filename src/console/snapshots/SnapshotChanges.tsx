import type { ReactElement } from 'react';
import type { SnapshotChange } from '../../shared/snapshot/diff';
import { api } from '../api/http';
import { LoadError } from '../components/Badges';
import { useApi } from '../lib/useApi';
import './snapshot.css';

const AREAS: Record<SnapshotChange['area'], string> = {
  software: 'Software',
  os: 'Operating system',
  hardware: 'Hardware',
  storage: 'Storage',
  network: 'Network',
  security: 'Security',
  printers: 'Printers',
  services: 'Services',
};
const KIND_CLASS = { added: 'badge-ok', removed: 'badge-critical', changed: 'badge-info' } as const;

type Diff = { from: number; to: number; changes: SnapshotChange[] };

/** "What changed" since the device's previous snapshot (or against `against`), grouped by area. */
export function SnapshotChanges({ snapshotId, against }: { snapshotId: number; against?: number }): ReactElement {
  const { state, reload } = useApi(`diff-${snapshotId}-${against ?? 'previous'}`, (signal) =>
    api.get<Diff>(`/api/v1/snapshots/${snapshotId}/diff`, { against: against ?? 'previous' }, { signal }),
  );
  if (state.status === 'loading')
    return (
      <p className="muted" role="status">
        Comparing snapshots…
      </p>
    );
  if (state.status === 'error') {
    if (state.error.code === 'no_previous_snapshot')
      return (
        <div className="card empty">
          This is the first snapshot of this device: there is nothing to compare it with yet.
        </div>
      );
    return <LoadError message={state.error.message} onRetry={() => void reload()} />;
  }
  const { from, to, changes } = state.data;
  const groups = (Object.keys(AREAS) as Array<SnapshotChange['area']>)
    .map((area) => [area, changes.filter((c) => c.area === area)] as const)
    .filter(([, list]) => list.length > 0);
  return (
    <div className="stack changes" aria-label="What changed">
      <p className="muted">
        Snapshot <a href={`/snapshots/${to}`}>#{to}</a> compared with the device's earlier snapshot{' '}
        <a href={`/snapshots/${from}`}>#{from}</a>: {changes.length} change{changes.length === 1 ? '' : 's'}.
      </p>
      {groups.length === 0 && <div className="card empty">Nothing that matters changed between these snapshots.</div>}
      {groups.map(([area, list]) => (
        <section key={area} className="card" aria-labelledby={`area-${area}`}>
          <h2 id={`area-${area}`}>
            {AREAS[area]} <span className="muted small">({list.length})</span>
          </h2>
          <table className="table change-table" aria-label={`${AREAS[area]} changes`}>
            <thead>
              <tr>
                <th>Change</th>
                <th>Item</th>
                <th>Before</th>
                <th>After</th>
              </tr>
            </thead>
            <tbody>
              {list.map((c, i) => (
                <tr key={i}>
                  <td>
                    <span className={`badge ${KIND_CLASS[c.kind]}`}>{c.kind}</span>
                  </td>
                  <td className="change-item">{c.item}</td>
                  <td className="mono change-before">{c.before ?? '—'}</td>
                  <td className="mono change-after">{c.after ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
