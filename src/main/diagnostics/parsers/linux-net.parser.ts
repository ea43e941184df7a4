/*
 * Pure readers of the kernel's network tables (formats in proc(5)): reading them costs
 * microseconds, where asking `ip` costs a process per question.
 */

/** The IPv4 default route from /proc/net/route, or null when there is none. */
export function parseDefaultRoute(text: string): { iface: string; gateway: string } | null {
  let best: { iface: string; gateway: string; metric: number } | null = null;
  for (const line of text.split('\n').slice(1)) {
    const [iface, destination, gateway, flags, , , metric, mask] = line.trim().split(/\s+/);
    if (!iface || destination !== '00000000' || mask !== '00000000' || !gateway) continue;
    // RTF_UP (0x1) and RTF_GATEWAY (0x2) must both be set.
    if ((parseInt(flags ?? '0', 16) & 0x3) !== 0x3) continue;
    const m = Number(metric ?? 0);
    if (!best || m < best.metric) best = { iface, gateway: hexToIpv4(gateway), metric: m };
  }
  return best ? { iface: best.iface, gateway: best.gateway } : null;
}

/** /proc/net/route stores addresses as little-endian hex: 0102A8C0 is 192.168.2.1. */
export function hexToIpv4(hex: string): string {
  const n = parseInt(hex, 16) >>> 0;
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

/** Whether the ARP table shows the address as answering: 'ok', 'failed' (incomplete) or null (absent). */
export function parseArpState(text: string, ip: string): 'ok' | 'failed' | null {
  for (const line of text.split('\n').slice(1)) {
    const [address, , flags, mac] = line.trim().split(/\s+/);
    if (address !== ip) continue;
    // ATF_COM (0x2): the hardware address is known, so the neighbour answered.
    const complete = (parseInt(flags ?? '0', 16) & 0x2) !== 0 && mac !== '00:00:00:00:00:00';
    return complete ? 'ok' : 'failed';
  }
  return null;
}
