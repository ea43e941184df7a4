/*
 * The fleet page keeps its state in the URL (`/fleet?package=&below=&os=&osVersion=&finding=&online=`),
 * so a search can be bookmarked and shared; every change replaces the entry rather than adding one.
 */

/** The fleet page's URL with `changes` applied to `search` (an empty value or 0 removes the parameter). */
export function fleetUrl(search: URLSearchParams, changes: Record<string, string | number>): string {
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === '' || value === 0) params.delete(key);
    else params.set(key, String(value));
  }
  const text = params.toString();
  return `/fleet${text ? `?${text}` : ''}`;
}

/** A link to the devices with this OS (name and version; by platform when the OS has no name). */
export function osLink(os: { platform: string; name: string | null; version: string | null }): string {
  const params = new URLSearchParams();
  if (os.name) {
    params.set('os', os.name);
    if (os.version) params.set('osVersion', os.version);
  } else params.set('platform', os.platform);
  return `/fleet?${params.toString()}#fleet-devices`;
}

/** An OS as one line of text. */
export function osText(os: { platform: string; name: string | null; version: string | null }): string {
  return [os.name, os.version].filter(Boolean).join(' ') || os.platform;
}

/** A page offset from the URL: a whole number from 0. */
export function offsetOf(value: string | null): number {
  return Math.max(0, Math.floor(Number(value)) || 0);
}
