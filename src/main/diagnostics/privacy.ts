import { createHmac } from 'node:crypto';
import type { Sections } from '../../shared/snapshot';

/** What the privacy pass needs to know about this machine's user. */
export interface PrivacyOptions {
  /** The signed-in user's home folder(s); every occurrence becomes `~`. */
  homeDirs: readonly string[];
  /** The signed-in user's name; removed from all text when redacting. */
  userName: string | null;
  /** Key for hashing serials and MACs: stable per device, so a technician can still compare. */
  salt: string;
  redact: boolean;
}

// Any user's home folder on Linux, macOS or Windows, up to and including the user name.
const HOME_PATTERN = /(?:\/home\/|\/Users\/|\b[A-Za-z]:\\Users\\)[^/\\\s"'`:;,)]+/g;

/**
 * The privacy pass every snapshot goes through before anyone sees it: home paths are shortened
 * to `~` always; with `redact`, serials and MACs are hashed and user names dropped.
 */
export function applyPrivacy(sections: Partial<Sections>, options: PrivacyOptions): Partial<Sections> {
  const shortened = mapStrings(sections, (text) => shortenHomePaths(text, options.homeDirs));
  return options.redact ? redactSections(shortened, options) : shortened;
}

/** Replaces the given home folders and any `/home/x`, `/Users/x`, `C:\Users\x` prefix with `~`. */
export function shortenHomePaths(text: string, homeDirs: readonly string[]): string {
  let out = text;
  for (const home of homeDirs) {
    if (home.length < 2 || home === '/') continue;
    out = replaceAllPathPrefix(out, home);
  }
  return out.replace(HOME_PATTERN, '~');
}

function replaceAllPathPrefix(text: string, home: string): string {
  const escaped = home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Only whole path components: /root must not match /rootfs.
  const flags = /^[A-Za-z]:\\/.test(home) ? 'gi' : 'g';
  return text.replace(new RegExp(`${escaped}(?=$|[/\\\\\\s"'\`:;,)])`, flags), '~');
}

/** Deep-copies a JSON-like value, applying `fn` to every string. */
export function mapStrings<T>(value: T, fn: (text: string) => string): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, fn)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = mapStrings(item, fn);
    return out as T;
  }
  return value;
}

/** Keyed, truncated hash: the same serial on the same device always gives the same token. */
export function hashIdentifier(value: string, salt: string): string {
  return `hash:${createHmac('sha256', salt).update(value.trim().toLowerCase()).digest('hex').slice(0, 16)}`;
}

function redactSections(sections: Partial<Sections>, options: PrivacyOptions): Partial<Sections> {
  const hash = (value: string | null) => (value ? hashIdentifier(value, options.salt) : value);
  const out: Partial<Sections> = { ...sections };
  if (out.device) out.device = { ...out.device, serial: hash(out.device.serial) };
  if (out.battery) out.battery = { ...out.battery, serial: hash(out.battery.serial) };
  if (out.os) out.os = { ...out.os, user: null };
  if (out.storage) {
    out.storage = { ...out.storage, disks: out.storage.disks.map((d) => ({ ...d, serial: hash(d.serial) })) };
  }
  if (out.usb) out.usb = { devices: out.usb.devices.map((d) => ({ ...d, serial: hash(d.serial) })) };
  if (out.network) {
    out.network = {
      ...out.network,
      interfaces: out.network.interfaces.map((i) => ({ ...i, mac: hash(i.mac) })),
    };
  }
  if (out.processes) {
    const dropUser = <P extends { user: string | null }>(p: P) => ({ ...p, user: null });
    out.processes = {
      ...out.processes,
      topByCpu: out.processes.topByCpu.map(dropUser),
      topByMemory: out.processes.topByMemory.map(dropUser),
    };
  }
  // The user name can also appear in free text (log messages, printer and share names).
  const dropName = userNameRemover(options.userName);
  return dropName ? mapStrings(out, dropName) : out;
}

/**
 * The snapshot's privacy pass for free text outside a snapshot (collected logs, action output): home
 * paths to `~` always; with `redact`, the user name becomes `<user>`.
 */
export function redactFreeText(
  text: string,
  options: Pick<PrivacyOptions, 'homeDirs' | 'userName' | 'redact'>,
): string {
  const shortened = shortenHomePaths(text, options.homeDirs);
  const dropName = options.redact ? userNameRemover(options.userName) : null;
  return dropName ? dropName(shortened) : shortened;
}

function userNameRemover(name: string | null): ((text: string) => string) | null {
  // Shorter names would match inside ordinary words.
  if (!name || name.length < 3) return null;
  const pattern = new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'gi');
  return (text) => text.replace(pattern, '<user>');
}
