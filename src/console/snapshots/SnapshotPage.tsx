import type { ReactElement } from 'react';
import { useLocation } from 'wouter';
import { SnapshotChanges } from './SnapshotChanges';
import { SnapshotViewer } from './SnapshotViewer';

/** /snapshots/:id (sections) and /snapshots/:id/changes (what changed), with links between them. */
export function SnapshotPage({ params }: { params: Record<string, string> }): ReactElement {
  const id = Number(params.id);
  const [path] = useLocation();
  const changes = path.endsWith('/changes');
  if (!Number.isInteger(id) || id <= 0)
    return (
      <section className="page">
        <h1>No such snapshot</h1>
      </section>
    );
  return (
    <section className="page" aria-labelledby="snapshot-title">
      <header className="page-header">
        <h1 id="snapshot-title">Snapshot #{id}</h1>
      </header>
      <div className="tabs" role="tablist" aria-label="Snapshot views">
        <a role="tab" className="tab" href={`/snapshots/${id}`} aria-selected={!changes}>
          Sections
        </a>
        <a role="tab" className="tab" href={`/snapshots/${id}/changes`} aria-selected={changes}>
          What changed
        </a>
      </div>
      {changes ? <SnapshotChanges snapshotId={id} /> : <SnapshotViewer snapshotId={id} />}
    </section>
  );
}
