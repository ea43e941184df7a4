import type { ActionParams } from '../../shared/actions/catalog';
import { isIpv6 } from '../../shared/actions/params';
import { operand } from './argv';
import { fromProgram, type Argv } from './exec-utils';
import { parseUnixPing, parseWindowsPing, type PingSummary } from './parsers/ping.parser';
import { failed, type ActionContext, type ActionImpls } from './types';

type PingParams = ActionParams<'net.ping'>;
/** Seconds (Linux) or milliseconds (Windows, macOS) to wait for each reply. */
const WAIT_S = 2;

/** The ping command line per OS; the host is an operand after `--` where ping's getopt accepts it. */
export function pingArgv(platform: 'linux' | 'win32' | 'darwin', p: PingParams): Argv {
  const count = String(p.count);
  switch (platform) {
    case 'linux':
      return ['ping', ['-n', '-c', count, '-W', String(WAIT_S), '--', p.host]];
    case 'darwin':
      // macOS keeps IPv6 in ping6, which has no -W.
      return isIpv6(p.host)
        ? ['ping6', ['-n', '-c', count, '--', p.host]]
        : ['ping', ['-n', '-c', count, '-W', String(WAIT_S * 1000), '--', p.host]];
    case 'win32':
      // Windows ping has no "--"; the host passed operand() and the catalog's pattern.
      return ['ping', ['-n', count, '-w', String(WAIT_S * 1000), p.host]];
  }
}

function impl(platform: 'linux' | 'win32' | 'darwin', parse: (text: string) => PingSummary | null) {
  return async (p: PingParams, ctx: ActionContext) => {
    const host = operand(p.host, 'host');
    if (!host.ok) return failed(host.error.code, host.error.message);
    const [command, args] = pingArgv(platform, p);
    const result = await ctx.exec(command, args, {});
    // ping exits 1 when no reply came back: still an answer (100% loss), not a failure to run.
    return fromProgram(
      result,
      ({ stdout }) => ({
        host: p.host,
        ...(parse(stdout) ?? { transmitted: p.count, received: 0, lossPercent: 100, rttMs: null }),
      }),
      (code) => code === 0 || code === 1,
    );
  };
}

/** net.ping on each OS. */
export const pingAction: ActionImpls<'net.ping'> = {
  linux: impl('linux', parseUnixPing),
  darwin: impl('darwin', parseUnixPing),
  win32: impl('win32', parseWindowsPing),
};
