import { evaluateHealth } from '../shared/health/rules';
import { diffSnapshots } from '../shared/snapshot/diff';
import type { CollectOptions } from '../main/diagnostics/collector';
import { formatChanges } from './format/diff';
import { formatFindings } from './format/findings';
import { createStyle } from './format/style';
import { formatSnapshotSummary } from './format/summary';
import { EXIT } from './io';
import type { CommandContext, SnapshotOpts } from './program';
import { readSnapshotFile } from './snapshot-file';

/* What `snapshot`, `check` and `diff` do; loaded when one of them runs. */

function collectOptions(opts: SnapshotOpts): CollectOptions {
  return {
    sections: opts.sections,
    redact: opts.redact === true,
    settings: { serverUrl: opts.server ?? null, checkUrls: opts.checkUrl },
  };
}

/** `deskside snapshot`: a summary, or the whole snapshot as JSON. */
export async function snapshotAction({ io, deps }: CommandContext, opts: SnapshotOpts): Promise<void> {
  const snapshot = await deps.collect(collectOptions(opts));
  const style = createStyle(io.stdout);
  io.out(opts.json ? `${JSON.stringify(snapshot, null, 2)}\n` : `${formatSnapshotSummary(snapshot, style)}\n`);
}

/** `deskside check`: the findings; exit 1 when one needs attention. */
export async function checkAction(
  { io, deps, setExit }: CommandContext,
  opts: SnapshotOpts & { input?: string },
): Promise<void> {
  const snapshot = opts.input ? await readSnapshotFile(opts.input) : await deps.collect(collectOptions(opts));
  const findings = evaluateHealth(snapshot);
  const host = snapshot.sections.os?.hostname ?? 'This computer';
  const style = createStyle(io.stdout);
  io.out(opts.json ? `${JSON.stringify(findings, null, 2)}\n` : `${formatFindings(findings, host, style)}\n`);
  setExit(findings.some((f) => f.severity !== 'info') ? EXIT.attention : EXIT.ok);
}

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
