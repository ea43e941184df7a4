import { readdir, readFile } from 'node:fs/promises';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { NetLink } from '../../shared/netmon/netmon';
import type { ProcessRunner } from '../actions/process-runner';
import { parseDefaultRoute } from '../diagnostics/parsers/linux-net.parser';
import type { NetmonPlatform } from './icmp.probe';
import {
  NMCLI_WIFI_FIELDS,
  parseIwLink,
  parseNetshWlan,
  parseNmcliVpn,
  parseNmcliWifi,
  parseRasdial,
  parseScutilNcList,
  parseSystemProfilerAirport,
  parseWdutilInfo,
  type Wifi,
} from './parsers/wifi.parser';

/*
 * The device's own link at one moment (netLinkSchema): the default route's interface and its IPv4 subnet,
 * Wi-Fi, error and drop counters since the previous report (Linux: /sys/class/net/<if>/statistics), VPN.
 * Linux reads /proc and /sys and asks `iw` (or NetworkManager's `nmcli`) only for a wireless interface;
 * Windows asks `netsh wlan show interfaces` and `rasdial`, macOS `wdutil info` (root only; the tray falls
 * back to `system_profiler SPAirPortDataType -json`) and `scutil --nc list`. Everything is argument arrays.
 */

export interface LinkPorts {
  platform: NetmonPlatform;
  runner: ProcessRunner;
  readText(path: string): Promise<string | null>;
  list(path: string): Promise<string[] | null>;
  interfaces(): NodeJS.Dict<NetworkInterfaceInfo[]>;
}

/** The real ports: node:fs, node:os and the given process runner. */
export function realLinkPorts(platform: NetmonPlatform, runner: ProcessRunner): LinkPorts {
  return {
    platform,
    runner,
    readText: (path) => readFile(path, 'utf8').catch(() => null),
    list: (path) => readdir(path).catch(() => null),
    interfaces: () => networkInterfaces(),
  };
}

/** Interface names that are VPN tunnels: tun/tap (OpenVPN), WireGuard, PPP, IPsec VTI, and common clients. */
export const VPN_INTERFACE = /^(tun|tap|wg|ppp|ipsec|vti|tailscale|nordlynx|zt|proton|mullvad|gpd|cscotun)/;

/** The IPv4 network of an address in CIDR form: 192.168.1.37/24 → 192.168.1.0/24. */
export function networkOf(cidr: string): string | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return null;
  const bits = Number(m[5]);
  if (bits > 32) return null;
  const ip = m.slice(1, 5).reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const net = (ip & mask) >>> 0;
  return `${[net >>> 24, (net >>> 16) & 255, (net >>> 8) & 255, net & 255].join('.')}/${bits}`;
}

type Counters = NonNullable<NetLink['errors']>;
const COUNTERS = ['rx_errors', 'tx_errors', 'rx_dropped', 'tx_dropped'] as const;

/** Reads the link each cycle; keeps the previous counters to report their deltas. */
export function createLinkReader(ports: LinkPorts, defaultRoute?: () => Promise<{ iface: string | null }>) {
  let previous: { iface: string; counters: Counters } | null = null;

  async function run(command: string, args: string[]): Promise<string | null> {
    const result = await ports.runner.run(command, args, {
      signal: AbortSignal.timeout(5_000),
      stream: false,
      keepChars: 256 * 1024,
    });
    return result.ok && result.value.exitCode === 0 ? result.value.stdout : null;
  }

  async function routeIface(): Promise<string | null> {
    if (defaultRoute) return (await defaultRoute()).iface;
    if (ports.platform !== 'linux') return null;
    return parseDefaultRoute((await ports.readText('/proc/net/route')) ?? '')?.iface ?? null;
  }

  async function counters(iface: string): Promise<Counters | null> {
    const values = await Promise.all(
      COUNTERS.map((c) => ports.readText(`/sys/class/net/${iface}/statistics/${c}`).then((t) => Number(t?.trim()))),
    );
    if (values.some((v) => !Number.isFinite(v))) return null;
    const [rxErrors = 0, txErrors = 0, rxDropped = 0, txDropped = 0] = values;
    return { rxErrors, txErrors, rxDropped, txDropped };
  }

  /** Deltas since the last report on the same interface; null on the first, on a change, or on a reset. */
  function delta(iface: string, now: Counters | null): Counters | null {
    const before = previous;
    previous = now ? { iface, counters: now } : null;
    if (!now || !before || before.iface !== iface) return null;
    const d = {
      rxErrors: now.rxErrors - before.counters.rxErrors,
      txErrors: now.txErrors - before.counters.txErrors,
      rxDropped: now.rxDropped - before.counters.rxDropped,
      txDropped: now.txDropped - before.counters.txDropped,
    };
    return Object.values(d).some((v) => v < 0) ? null : d;
  }

  async function linuxWifi(iface: string): Promise<Wifi | null> {
    const iw = await run('iw', ['dev', iface, 'link']);
    if (iw !== null) return parseIwLink(iw);
    const nm = await run('nmcli', [
      '-t',
      '-f',
      NMCLI_WIFI_FIELDS,
      'device',
      'wifi',
      'list',
      'ifname',
      iface,
      '--rescan',
      'no',
    ]);
    return nm === null ? null : parseNmcliWifi(nm);
  }

  async function linuxVpn(): Promise<NetLink['vpn']> {
    const addresses = ports.interfaces();
    for (const name of (await ports.list('/sys/class/net')) ?? Object.keys(addresses)) {
      if (!VPN_INTERFACE.test(name)) continue;
      const state = (await ports.readText(`/sys/class/net/${name}/operstate`))?.trim();
      // Tunnels report "unknown" while passing traffic; an address says it is configured.
      if ((state === 'up' || state === 'unknown') && (addresses[name]?.length ?? 0) > 0) return { up: true, name };
    }
    const nm = await run('nmcli', ['-t', '-f', 'NAME,TYPE', 'connection', 'show', '--active']);
    return nm === null ? { up: false, name: null } : parseNmcliVpn(nm);
  }

  async function otherWifi(): Promise<Wifi | null> {
    if (ports.platform === 'win32') {
      const out = await run('netsh', ['wlan', 'show', 'interfaces']);
      return out === null ? null : parseNetshWlan(out);
    }
    const wd = await run('wdutil', ['info']);
    const fromWd = wd === null ? null : parseWdutilInfo(wd);
    if (fromWd) return fromWd;
    const sp = await run('system_profiler', ['SPAirPortDataType', '-json']);
    return sp === null ? null : parseSystemProfilerAirport(sp);
  }

  async function otherVpn(): Promise<NetLink['vpn']> {
    const out = ports.platform === 'win32' ? await run('rasdial', []) : await run('scutil', ['--nc', 'list']);
    if (out === null) return null;
    return ports.platform === 'win32' ? parseRasdial(out) : parseScutilNcList(out);
  }

  return {
    async read(at: number): Promise<NetLink> {
      const iface = await routeIface();
      const ipv4 = iface ? (ports.interfaces()[iface] ?? []).find((a) => a.family === 'IPv4') : undefined;
      const subnet = ipv4?.cidr ? networkOf(ipv4.cidr) : null;
      if (ports.platform !== 'linux') {
        const [wifi, vpn] = await Promise.all([otherWifi(), otherVpn()]);
        return { at, interface: iface, subnet, kind: wifi ? 'wifi' : null, wifi, errors: null, vpn };
      }
      const wireless = iface ? (await ports.list(`/sys/class/net/${iface}/wireless`)) !== null : false;
      const virtual = iface ? (await ports.list(`/sys/devices/virtual/net/${iface}`)) !== null : false;
      const [wifi, vpn, now] = await Promise.all([
        wireless && iface ? linuxWifi(iface) : Promise.resolve(null),
        linuxVpn(),
        iface ? counters(iface) : Promise.resolve(null),
      ]);
      return {
        at,
        interface: iface,
        subnet,
        kind: iface === null ? null : wireless ? 'wifi' : virtual || VPN_INTERFACE.test(iface) ? 'other' : 'ethernet',
        wifi,
        errors: iface ? delta(iface, now) : null,
        vpn: iface && VPN_INTERFACE.test(iface) ? { up: true, name: iface } : vpn,
      };
    },
  };
}
export type LinkReader = ReturnType<typeof createLinkReader>;
