import { getServers } from 'node:dns';
import { networkInterfaces } from 'node:os';
import type { Systeminformation } from 'systeminformation';
import type { NetworkInterface, Sections } from '../../../shared/snapshot';
import type { ProbeContext } from '../probe';
import { defineProbe } from '../probe';
import { defaultRoute } from './route';

type Wifi = Sections['network']['wifi'];

/** Interfaces, addresses, default gateway, DNS servers and the Wi-Fi connection (never its key). */
export const networkProbe = defineProbe({
  section: 'network',
  budgetMs: 2500,
  async collect(ctx) {
    const [route, dns] = await Promise.all([defaultRoute(ctx), dnsServers(ctx)]);
    const interfaces =
      ctx.platform === 'linux' ? await linuxInterfaces(ctx, route.iface) : await siInterfaces(ctx, route.iface);
    // Asking for Wi-Fi spawns nmcli/iw/netsh: only worth it when there is a wireless interface.
    const wifi =
      interfaces.some((i) => i.type === 'wireless') || ctx.platform !== 'linux' ? await wifiConnection(ctx) : null;
    return {
      interfaces: interfaces.slice(0, 64),
      defaultInterface: route.iface,
      defaultGateway: route.gateway,
      dnsServers: dns.slice(0, 16),
      wifi,
    };
  },
});

/** Linux: addresses from Node, the rest from /sys/class/net — no process spawned. */
async function linuxInterfaces(ctx: ProbeContext, defaultIface: string | null): Promise<NetworkInterface[]> {
  const addresses = networkInterfaces();
  const names = (await ctx.files.list('/sys/class/net')) ?? Object.keys(addresses);
  return Promise.all(
    names.sort().map(async (name): Promise<NetworkInterface> => {
      const base = `/sys/class/net/${name}`;
      const [operstate, mac, speed, wireless, virtual] = await Promise.all([
        ctx.files.readText(`${base}/operstate`, 64),
        ctx.files.readText(`${base}/address`, 64),
        ctx.files.readText(`${base}/speed`, 64),
        ctx.files.list(`${base}/wireless`),
        ctx.files.list(`/sys/devices/virtual/net/${name}`),
      ]);
      const addrs = addresses[name] ?? [];
      const loopback = name === 'lo' || addrs.some((a) => a.internal);
      const state = operstate?.trim();
      const macText = mac?.trim() ?? '';
      const mbps = Number(speed?.trim());
      return {
        name,
        type: loopback ? 'loopback' : wireless ? 'wireless' : virtual ? 'virtual' : 'wired',
        mac: macText && macText !== '00:00:00:00:00:00' ? macText : null,
        ipv4: addrs
          .filter((a) => a.family === 'IPv4')
          .map((a) => a.address)
          .slice(0, 16),
        ipv6: addrs
          .filter((a) => a.family === 'IPv6')
          .map((a) => a.address)
          .slice(0, 16),
        // "unknown" is what loopback and many virtual links report while passing traffic.
        up: state === 'up' || (state === 'unknown' && addrs.length > 0),
        speedMbps: Number.isFinite(mbps) && mbps > 0 ? mbps : null,
        dhcp: null,
        isDefault: name === defaultIface,
      };
    }),
  );
}

async function siInterfaces(ctx: ProbeContext, defaultIface: string | null): Promise<NetworkInterface[]> {
  const raw = await ctx.si.networkInterfaces();
  const list: Systeminformation.NetworkInterfacesData[] = Array.isArray(raw) ? raw : [raw];
  return list.map((i) => ({
    name: (i.ifaceName || i.iface).slice(0, 256),
    type: i.internal
      ? 'loopback'
      : i.virtual
        ? 'virtual'
        : i.type === 'wireless'
          ? 'wireless'
          : i.type === 'wired'
            ? 'wired'
            : 'other',
    mac: i.mac && i.mac !== '00:00:00:00:00:00' ? i.mac : null,
    ipv4: i.ip4 ? [i.ip4] : [],
    ipv6: i.ip6 ? [i.ip6] : [],
    up: i.operstate === 'up',
    speedMbps: typeof i.speed === 'number' && i.speed > 0 ? i.speed : null,
    dhcp: typeof i.dhcp === 'boolean' ? i.dhcp : null,
    isDefault: i.iface === defaultIface || Boolean(i.default),
  }));
}

async function wifiConnection(ctx: ProbeContext): Promise<Wifi> {
  const current = (await ctx.si.wifiConnections().catch(() => []))[0];
  if (!current) return null;
  return {
    ssid: current.ssid.slice(0, 256),
    signalDbm: numberOrNull(current.signalLevel),
    qualityPercent: current.quality >= 0 && current.quality <= 100 ? current.quality : null,
    channel: numberOrNull(current.channel),
    frequencyMHz: numberOrNull(current.frequency),
    security: securityText(current.security),
  };
}

async function dnsServers(ctx: ProbeContext): Promise<string[]> {
  const servers = getServers();
  // systemd-resolved puts its stub 127.0.0.53 in /etc/resolv.conf; the real upstreams are here.
  if (ctx.platform === 'linux' && servers.every((s) => s.startsWith('127.0.0.5'))) {
    const upstream = await ctx.files.readText('/run/systemd/resolve/resolv.conf', 64 * 1024);
    const found = (upstream ?? '').match(/^nameserver\s+(\S+)/gm)?.map((line) => line.split(/\s+/)[1] ?? '') ?? [];
    if (found.length > 0) return found.filter(Boolean);
  }
  return servers;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

// systeminformation types this as a string, but some platforms hand back a list.
function securityText(value: unknown): string | null {
  const text = Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : '';
  return text.slice(0, 256) || null;
}
