import type { ProbeContext } from '../probe';
import { parseDefaultRoute } from '../parsers/linux-net.parser';

/** The default route (gateway and interface): from /proc on Linux, from systeminformation elsewhere. */
export async function defaultRoute(ctx: ProbeContext): Promise<{ iface: string | null; gateway: string | null }> {
  if (ctx.platform === 'linux') {
    const route = parseDefaultRoute((await ctx.files.readText('/proc/net/route', 256 * 1024)) ?? '');
    if (route) return route;
  }
  const [iface, gateway] = await Promise.all([
    ctx.si.networkInterfaceDefault().catch(() => ''),
    ctx.si.networkGatewayDefault().catch(() => ''),
  ]);
  return { iface: iface || null, gateway: gateway || null };
}
