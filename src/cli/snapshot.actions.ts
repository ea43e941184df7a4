import { evaluateHealth } from '../shared/health/rules';
import type { CollectOptions } from '../main/diagnostics/collector';
import { formatFindings } from './format/findings';
import { createStyle } from './format/style';
import { formatSnapshotSummary } from './format/summary';
import { EXIT } from './io';
import type { CommandContext, SnapshotOpts } from './program';

/*
 * What `snapshot` and `check` do; loaded when one of them runs. Nothing here loads zod: a snapshot
 * from a cold start pays only for the collector (a file given to `check --input` is read and
 * validated by snapshot-file.ts, imported then). `diff` is in diff.actions.ts.
 */

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
  const snapshot = opts.input
    ? await (await import('./snapshot-file')).readSnapshotFile(opts.input)
    : await deps.collect(collectOptions(opts));
  const findings = evaluateHealth(snapshot);
  const host = snapshot.sections.os?.hostname ?? 'This computer';
  const style = createStyle(io.stdout);
  io.out(opts.json ? `${JSON.stringify(findings, null, 2)}\n` : `${formatFindings(findings, host, style)}\n`);
  setExit(findings.some((f) => f.severity !== 'info') ? EXIT.attention : EXIT.ok);
}
