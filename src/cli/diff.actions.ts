import { diffSnapshots } from '../shared/snapshot/diff';
import { formatChanges } from './format/diff';
import { createStyle } from './format/style';
import type { CommandContext } from './program';
import { readSnapshotFile } from './snapshot-file';

/* What `diff` does; loaded when it runs. */

/** `deskside diff`: what changed between two snapshot files. */
export async function diffAction(
  { io }: CommandContext,
  beforePath: string,
  afterPath: string,
  opts: { json?: boolean },
): Promise<void> {
  const [before, after] = await Promise.all([readSnapshotFile(beforePath), readSnapshotFile(afterPath)]);
  const changes = diffSnapshots(before, after);
  io.out(opts.json ? `${JSON.stringify(changes, null, 2)}\n` : `${formatChanges(changes, createStyle(io.stdout))}\n`);
}
