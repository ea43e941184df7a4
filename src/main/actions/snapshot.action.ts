import type { ActionParams } from '../../shared/actions/catalog';
import { done, failed, type ActionContext, type ActionImpls, type ImplOutcome } from './types';

/** snapshot.refresh on every OS: the agent's collector (a port), for all sections or the ones named. */
async function refresh(p: ActionParams<'snapshot.refresh'>, ctx: ActionContext): Promise<ImplOutcome> {
  const collect = ctx.ports.collect;
  if (!collect) return failed('unsupported', 'This agent cannot collect a snapshot on request');
  const result = await collect(p.sections, ctx.signal);
  if (!result.ok) return failed(result.error.code, result.error.message, { requested: p.sections ?? 'all' });
  ctx.write(`Collected ${result.value.sections.length} section(s): ${result.value.sections.join(', ')}\n`);
  return done({ requested: p.sections ?? 'all', sections: result.value.sections });
}

/** snapshot.refresh on each OS. */
export const snapshotRefreshAction: ActionImpls<'snapshot.refresh'> = {
  linux: refresh,
  darwin: refresh,
  win32: refresh,
};
