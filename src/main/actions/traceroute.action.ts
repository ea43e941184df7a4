import type { ActionParams } from '../../shared/actions/catalog';
import { operand } from './argv';
import { fromProgram, type Argv } from './exec-utils';
import { parseTracepath, parseTraceroute, parseTracert, tracerouteTarget, type Hop } from './parsers/traceroute.parser';
import { failed, type ActionContext, type ActionFields, type ActionImpls, type ImplOutcome } from './types';

type TraceParams = ActionParams<'net.traceroute'>;

/** The traceroute command lines per OS (Linux: traceroute first, tracepath where it is missing). */
export function tracerouteArgv(platform: 'linux' | 'win32' | 'darwin', p: TraceParams): Argv[] {
  const hops = String(p.maxHops);
  switch (platform) {
    case 'linux':
      return [
        // traceroute's own option parser has no "--": the host passed operand() and the catalog's pattern.
        ['traceroute', ['-n', '-m', hops, p.host]],
        ['tracepath', ['-n', '-m', hops, '--', p.host]],
      ];
    case 'darwin':
      return [['traceroute', ['-n', '-m', hops, '--', p.host]]];
    case 'win32':
      return [['tracert', ['-d', '-h', hops, p.host]]];
  }
}

/** The route and whether it reached the target: its last hop answered from the host (or the address it resolved to). */
function fields(host: string, hops: Hop[], reached?: boolean, target: string | null = null): ActionFields {
  const last = hops[hops.length - 1]?.address;
  return { host, hops, reached: reached ?? (last != null && (last === host || last === target)) };
}

async function linux(p: TraceParams, ctx: ActionContext): Promise<ImplOutcome> {
  const host = operand(p.host, 'host');
  if (!host.ok) return failed(host.error.code, host.error.message);
  const [traceroute, tracepath] = tracerouteArgv('linux', p);
  const first = await ctx.exec(traceroute![0], traceroute![1], {});
  if (first.ok || first.error.code !== 'not_found') {
    return fromProgram(first, ({ stdout }) => ({
      ...fields(p.host, parseTraceroute(stdout), undefined, tracerouteTarget(stdout)),
      program: 'traceroute',
    }));
  }
  const second = await ctx.exec(tracepath![0], tracepath![1], {});
  if (!second.ok && second.error.code === 'not_found') {
    return failed('unsupported', 'Neither traceroute nor tracepath is installed on this computer');
  }
  return fromProgram(second, ({ stdout }) => {
    const parsed = parseTracepath(stdout);
    return { ...fields(p.host, parsed.hops, parsed.reached), program: 'tracepath' };
  });
}

function single(platform: 'win32' | 'darwin', parse: (text: string) => Hop[]) {
  return async (p: TraceParams, ctx: ActionContext): Promise<ImplOutcome> => {
    const host = operand(p.host, 'host');
    if (!host.ok) return failed(host.error.code, host.error.message);
    const [command, args] = tracerouteArgv(platform, p)[0]!;
    return fromProgram(await ctx.exec(command, args, {}), ({ stdout, stderr }) =>
      fields(p.host, parse(stdout), undefined, tracerouteTarget(`${stderr}\n${stdout}`)),
    );
  };
}

/** net.traceroute on each OS. */
export const tracerouteAction: ActionImpls<'net.traceroute'> = {
  linux,
  darwin: single('darwin', parseTraceroute),
  win32: single('win32', parseTracert),
};
