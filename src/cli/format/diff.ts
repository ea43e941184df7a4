import type { SnapshotChange } from '../../shared/snapshot/diff';
import { summarizeChanges } from '../../shared/snapshot/diff';
import { table, type Style } from './style';

/** The listing `deskside diff` prints. */
export function formatChanges(changes: readonly SnapshotChange[], style: Style): string {
  if (changes.length === 0) return 'No changes between the two snapshots.';
  const sign = (c: SnapshotChange) =>
    c.kind === 'added' ? style.green('+') : c.kind === 'removed' ? style.red('-') : style.yellow('~');
  const rows = changes.map((c) => [
    sign(c),
    c.area,
    c.item,
    c.kind === 'changed' ? `${c.before ?? '—'} → ${c.after ?? '—'}` : (c.after ?? c.before ?? ''),
  ]);
  return `${style.bold(summarizeChanges(changes))}\n\n${table(rows)}`;
}
