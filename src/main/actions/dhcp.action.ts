import { networkInterfaces } from 'node:os';
import { operand } from './argv';
import { runSteps, type Argv } from './exec-utils';
import { failed, type ActionContext, type ActionImpls, type ImplOutcome } from './types';

/** Interfaces with a non-internal IPv4 address (the ones a DHCP lease may belong to). */
export function connectedInterfaces(list = networkInterfaces()): string[] {
  return Object.entries(list)
    .filter(([, addrs]) => addrs?.some((a) => a.family === 'IPv4' && !a.internal))
    .map(([name]) => name);
}

/**
 * The renewal per OS: `ipconfig /release` then `/renew` (Microsoft Learn, ipconfig); macOS
 * `ipconfig set <if> DHCP` (ipconfig(8)) per connected interface; Linux `networkctl renew <if>`
 * (networkctl(1), systemd-networkd) or, without it, `dhclient -r <if>` then `dhclient <if>` (dhclient(8)).
 */
export function renewDhcpArgv(
  platform: 'linux' | 'win32' | 'darwin',
  ifaces: readonly string[],
): { primary: Argv[]; fallback: Argv[] } {
  switch (platform) {
    case 'win32':
      return {
        primary: [
          ['ipconfig', ['/release']],
          ['ipconfig', ['/renew']],
        ],
        fallback: [],
      };
    case 'darwin':
      return { primary: ifaces.map((i): Argv => ['ipconfig', ['set', i, 'DHCP']]), fallback: [] };
    case 'linux':
      return {
        primary: ifaces.map((i): Argv => ['networkctl', ['renew', '--', i]]),
        fallback: ifaces.flatMap((i): Argv[] => [
          ['dhclient', ['-r', i]],
          ['dhclient', [i]],
        ]),
      };
  }
}

function renew(platform: 'linux' | 'win32' | 'darwin', list: () => string[]) {
  return async (_p: unknown, ctx: ActionContext): Promise<ImplOutcome> => {
    const ifaces = platform === 'win32' ? [] : list();
    for (const i of ifaces) {
      const safe = operand(i, 'interface');
      if (!safe.ok) return failed(safe.error.code, safe.error.message);
    }
    if (platform !== 'win32' && ifaces.length === 0)
      return failed('no-interface', 'No connected network interface to renew');
    const { primary, fallback } = renewDhcpArgv(platform, ifaces);
    const outcome = await runSteps(ctx, primary, { interfaces: ifaces });
    if (!outcome.ok && outcome.error.code === 'not_found' && fallback.length)
      return runSteps(ctx, fallback, { interfaces: ifaces });
    return outcome;
  };
}

/** net.renew-dhcp on each OS; `list` gives the interfaces (tests pass their own). */
export function createRenewDhcpAction(
  list: () => string[] = () => connectedInterfaces(),
): ActionImpls<'net.renew-dhcp'> {
  return { linux: renew('linux', list), darwin: renew('darwin', list), win32: renew('win32', list) };
}
