import type { NetmonSite, SiteDto } from '../../shared/api/netmon';

/*
 * Where a device is, from its latest link report: the IT-named site whose subnets contain the device's
 * network or whose SSIDs include its Wi-Fi; else its subnet; else its SSID; else nothing. Pure.
 */

function ipv4ToInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

/** Parses a.b.c.d/n into its network's first address and prefix length. */
export function parseCidr(cidr: string): { base: number; bits: number } | null {
  const [ip, bitsText] = cidr.split('/');
  const base = ipv4ToInt(ip ?? '');
  const bits = Number(bitsText);
  if (base === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return null;
  const size = 2 ** (32 - bits);
  return { base: Math.floor(base / size) * size, bits };
}

/** Whether network `inner` (a CIDR, or a lone address) lies within `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner.includes('/') ? inner : `${inner}/32`);
  if (!o || !i || i.bits < o.bits) return false;
  const size = 2 ** (32 - o.bits);
  return Math.floor(i.base / size) * size === o.base;
}

/** The site key of a link: `site:<slug>`, `subnet:<cidr>`, `ssid:<name>`, or null. */
export function siteKeyOf(
  link: { subnet: string | null; ssid: string | null },
  sites: readonly NetmonSite[],
): string | null {
  for (const site of sites) {
    if (link.subnet && site.subnets.some((cidr) => cidrContains(cidr, link.subnet!))) return `site:${site.slug}`;
    if (link.ssid && site.ssids.includes(link.ssid)) return `site:${site.slug}`;
  }
  if (link.subnet) return `subnet:${link.subnet}`;
  if (link.ssid) return `ssid:${link.ssid}`;
  return null;
}

/** A site key as the API shows it (IT's name for its own sites). */
export function siteDtoOf(key: string | null, sites: readonly NetmonSite[]): SiteDto | null {
  if (!key) return null;
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const value = key.slice(colon + 1);
  if (kind === 'site') return { key, kind: 'site', name: sites.find((s) => s.slug === value)?.name ?? value };
  if (kind === 'subnet' || kind === 'ssid') return { key, kind, name: value };
  return null;
}
