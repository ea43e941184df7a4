import type { ReactElement } from 'react';
import type { SnapshotChange } from '../../shared/snapshot/diff';
import { useSnapshotDiff } from '../api/devices.queries';
import { LoadError } from '../components/Badges';
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

/** "What changed" since the device's previous snapshot (or against `against`), grouped by area. */
export function SnapshotChanges({ snapshotId, against }: { snapshotId: number; against?: number }): ReactElement {
  const diff = useSnapshotDiff(snapshotId, against ?? 'previous');
  if (diff.isPending)
    return (
      <p className="muted" role="status">
        Comparing snapshots…
      </p>
    );
  if (diff.isError) {
    if (diff.error.code === 'no_previous_snapshot')
      return (
        <div className="card empty">
          This is the first snapshot of this device: there is nothing to compare it with yet.
        </div>
      );
    return <LoadError message={diff.error.message} onRetry={() => void diff.refetch()} />;
  }
  const { from, to, changes } = diff.data;
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
