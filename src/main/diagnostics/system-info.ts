import type si from 'systeminformation';
import type { Systeminformation } from 'systeminformation';

type SiModule = typeof si;
type Used =
  | 'system'
  | 'bios'
  | 'chassis'
  | 'osInfo'
  | 'time'
  | 'cpu'
  | 'currentLoad'
  | 'cpuTemperature'
  | 'mem'
  | 'diskLayout'
  | 'fsSize'
  | 'battery'
  | 'graphics'
  | 'networkInterfaces'
  | 'networkInterfaceDefault'
  | 'networkGatewayDefault'
  | 'wifiConnections'
  | 'processes'
  | 'services'
  | 'printer'
  | 'usb';

/** The promise-returning form of a function, whatever it returned. */
type Async<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;

/**
 * The systeminformation calls the probes use: a port, so tests can substitute answers. Every call
 * is asynchronous because the module itself is loaded on first use.
 */
export type SystemInfo = { [K in Exclude<Used, 'networkInterfaces'>]: Async<SiModule[K]> } & {
  // Overloaded in systeminformation; the probes use the no-argument form.
  networkInterfaces(): Promise<Systeminformation.NetworkInterfacesData[] | Systeminformation.NetworkInterfacesData>;
};

const USED: readonly Used[] = [
  'system',
  'bios',
  'chassis',
  'osInfo',
  'time',
  'cpu',
  'currentLoad',
  'cpuTemperature',
  'mem',
  'diskLayout',
  'fsSize',
  'battery',
  'graphics',
  'networkInterfaces',
  'networkInterfaceDefault',
  'networkGatewayDefault',
  'wifiConnections',
  'processes',
  'services',
  'printer',
  'usb',
];

/**
 * The real systeminformation module, imported on the first call: on Linux the probes read /proc,
 * /sys and package databases themselves, so a snapshot there usually never loads it (~170 ms, ~15 MB).
 */
export function createSystemInfo(): SystemInfo {
  let loaded: Promise<SiModule> | undefined;
  const load = () => (loaded ??= import('systeminformation').then((m) => m.default));
  const call =
    (name: Used) =>
    async (...args: unknown[]) => {
      const mod = await load();
      return (mod[name] as (...a: unknown[]) => unknown)(...args);
    };
  return Object.fromEntries(USED.map((name) => [name, call(name)])) as unknown as SystemInfo;
}
