import { getServers } from 'node:dns';
import { readFile } from 'node:fs/promises';
import { parseDefaultRoute } from '../diagnostics/parsers/linux-net.parser';
import type { NetmonPlatform } from './icmp.probe';

/*
 * Where the built-in targets point on this machine: the default gateway and the DNS resolvers. Tests (and
 * benches) replace both with loopback ones, so nothing is sent off the machine.
 */

export interface NetmonEnvironment {
  /** The default gateway's IPv4 address and the interface that carries the default route. */
  defaultRoute(): Promise<{ gateway: string | null; iface: string | null }>;
  /** The device's DNS resolvers (`1.2.3.4`, or `127.0.0.1:5353` with a port). */
  resolvers(): Promise<string[]>;
}

/** Nameservers of a resolv.conf(5), in order (IPv6 with a zone index kept as written). */
export function parseResolvConf(text: string): string[] {
  return [...text.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1] ?? '').filter(Boolean);
}

/** The real environment: /proc/net/route and /etc/resolv.conf on Linux, systeminformation and the OS's resolvers elsewhere. */
export function realEnvironment(platform: NetmonPlatform, env: NodeJS.ProcessEnv = process.env): NetmonEnvironment {
  const read = (path: string) => readFile(path, 'utf8').catch(() => '');
  // The test suites, benches and the demo (`npm start`) point the probes that would leave the machine at
  // loopback: DESKSIDE_PROBE_GATEWAY (as the snapshot's connectivity probe reads it) replaces the gateway,
  // DESKSIDE_PROBE_RESOLVERS (comma-separated) the resolvers.
  const gatewayOverride = env.DESKSIDE_PROBE_GATEWAY?.trim() || null;
  const resolversOverride = env.DESKSIDE_PROBE_RESOLVERS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    async defaultRoute() {
      if (gatewayOverride) {
        const route = platform === 'linux' ? parseDefaultRoute(await read('/proc/net/route')) : null;
        return { gateway: gatewayOverride, iface: route?.iface ?? null };
      }
      if (platform === 'linux') {
        const route = parseDefaultRoute(await read('/proc/net/route'));
        return { gateway: route?.gateway ?? null, iface: route?.iface ?? null };
      }
      // Windows `route print` / macOS `netstat -rn` as systeminformation reads them.
      const si = await import('systeminformation');
      const [gateway, iface] = await Promise.all([
        si.networkGatewayDefault().catch(() => ''),
        si.networkInterfaceDefault().catch(() => ''),
      ]);
      return { gateway: gateway || null, iface: iface || null };
    },
    async resolvers() {
      if (resolversOverride && resolversOverride.length > 0) return resolversOverride;
      if (platform !== 'linux') return getServers();
      const servers = parseResolvConf(await read('/etc/resolv.conf'));
      // systemd-resolved's stub (127.0.0.53) answers from its cache: the upstreams are what the network serves.
      if (servers.length > 0 && servers.every((s) => s.startsWith('127.0.0.5'))) {
        const upstream = parseResolvConf(await read('/run/systemd/resolve/resolv.conf'));
        if (upstream.length > 0) return upstream;
      }
      return servers;
    },
  };
}
