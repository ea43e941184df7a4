import type { ActionParams } from '../../shared/actions/catalog';
import { serviceNameParam } from '../../shared/actions/params';
import { netStopNotStarted, runSteps, type Argv } from './exec-utils';
import { failed, type ActionContext, type ActionImpls, type ImplOutcome } from './types';

/**
 * The restart per OS: `net stop` + `net start` (Microsoft Learn), `launchctl kickstart -k system/<label>`
 * (launchctl(1)), `systemctl restart -- <unit>` then `systemctl is-active -- <unit>` (systemctl(1)).
 */
export function serviceArgv(platform: 'linux' | 'win32' | 'darwin', service: string): Argv[] {
  switch (platform) {
    case 'win32':
      return [
        ['net', ['stop', service]],
        ['net', ['start', service]],
      ];
    case 'darwin':
      return [['launchctl', ['kickstart', '-k', `system/${service}`]]];
    case 'linux':
      return [['systemctl', ['restart', '--', service]]];
  }
}

function restart(platform: 'linux' | 'win32' | 'darwin') {
  return async (p: ActionParams<'service.restart'>, ctx: ActionContext): Promise<ImplOutcome> => {
    // The parameter is only a key into IT's list: the name that reaches a program is the one the server
    // resolved from the list and signed (or, without one, the agent's own list port).
    const service = p.serviceName ?? ctx.ports.serviceAllowList?.(p.service) ?? null;
    if (service === null)
      return failed('not-allowed', `${JSON.stringify(p.service)} is not on IT's service allow-list`);
    if (!serviceNameParam.safeParse(service).success)
      return failed('bad-allow-list', `The allow-list entry ${JSON.stringify(p.service)} has an invalid service name`);
    const stopped = (command: string, args: readonly string[]) =>
      command === 'net' && args[0] === 'stop' ? netStopNotStarted : undefined;
    const outcome = await runSteps(ctx, serviceArgv(platform, service), { id: p.service, service }, stopped);
    if (!outcome.ok || platform !== 'linux') return outcome;
    // is-active prints one state word (active, activating, failed, …) and exits non-zero unless active.
    const state = await ctx.exec('systemctl', ['is-active', '--', service], {});
    return {
      ...outcome,
      fields: { ...outcome.fields, state: state.ok ? state.value.stdout.trim().split('\n')[0] || null : null },
    };
  };
}

/** service.restart on each OS. */
export const serviceRestartAction: ActionImpls<'service.restart'> = {
  linux: restart('linux'),
  darwin: restart('darwin'),
  win32: restart('win32'),
};
