import { z } from 'zod';

/*
 * The parameter types the action catalog is built from. Every string a technician may give an action is
 * held to a strict pattern here, so that nothing reaching a program's argument array can be an option
 * (`-x`), a second command (`;`, `|`, `&`, `$(…)`, backticks, a newline), a path outside its folder (`..`)
 * or a NUL. Programs are still run with argument arrays, never a shell string: the patterns are the
 * second wall, not the only one.
 */

const HOST_MAX = 253;
// RFC 1123 labels (and `_`, which SRV and some internal names use): never `-` first, never `-` last.
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** A DNS name: dot-separated labels, an optional final dot, at most 253 characters. */
export function isHostName(value: string): boolean {
  if (value.length === 0 || value.length > HOST_MAX) return false;
  const labels = (value.endsWith('.') ? value.slice(0, -1) : value).split('.');
  // An all-digit last label is no name (and `256.1.1.1` no address).
  return labels.every((label) => LABEL.test(label)) && !/^\d+$/.test(labels[labels.length - 1]!);
}

/** An IPv4 address in dotted-quad form. */
export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

/** An IPv6 address (`::` compression and a trailing dotted quad allowed; no zone id). */
export function isIpv6(value: string): boolean {
  if (value.length < 2 || value.length > 45) return false;
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string): string[] | null => {
    if (part === '') return [];
    const items = part.split(':');
    return items.every((item) => item !== '') ? items : null;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return false;
  const all = [...head, ...tail];
  // A trailing IPv4 part counts as two groups.
  const last = all[all.length - 1];
  const v4 = last !== undefined && last.includes('.');
  if (v4 && !isIpv4(last)) return false;
  const hex = v4 ? all.slice(0, -1) : all;
  if (!hex.every((group) => HEX_GROUP.test(group))) return false;
  const count = hex.length + (v4 ? 2 : 0);
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** A host an action reaches: a DNS name, an IPv4 address or an IPv6 address. */
export const hostParam = z
  .string()
  .max(HOST_MAX)
  .refine(
    (value) => isHostName(value) || isIpv4(value) || isIpv6(value),
    'must be a host name or an IP address (letters, digits, dots, hyphens; not starting with "-"; no spaces)',
  );

/** A TCP or UDP port. */
export const portParam = z.number().int().min(1).max(65_535);

const ALLOW_LIST_REF = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * The id of an entry in one of IT's allow-lists (services, packages): a simple identifier. The entry,
 * not the technician, says what the service or package is called on each OS.
 */
export const allowListRefParam = z
  .string()
  .regex(ALLOW_LIST_REF, 'must be the id of an IT allow-list entry (letters, digits, "-" and "_"; up to 64)');

const PROCESS_NAME = /^[A-Za-z0-9_][A-Za-z0-9._+-]{0,127}$/;

/** A process's executable name as the process list shows it (`chrome`, `Teams.exe`). */
export const processNameParam = z
  .string()
  .regex(PROCESS_NAME, 'must be a process name (letters, digits, ".", "_", "+", "-"; no spaces or "/")')
  .refine((value) => !value.includes('..'), 'must not contain ".."');

const URL_PATH = /^\/[A-Za-z0-9._~/=?+,:@-]{0,511}$/;

/**
 * The path (and query) of an HTTP check: starts with `/`; letters, digits and `._~/=?+,:@-` only (no
 * `%`, `&`, `;`, quotes or spaces); no `..` segment.
 */
export const urlPathParam = z
  .string()
  .regex(URL_PATH, 'must be a path starting with "/" (letters, digits and ._~/=?+,:@- only; up to 512)')
  .refine((value) => !/(^|\/)\.\.(\/|\?|$)/.test(value), 'must not contain a ".." segment');

/** Minutes, bounded. */
export const minutesParam = (max: number) => z.number().int().min(0).max(max);

const SERVICE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.@:-]{0,127}$/;

/**
 * A service's real name on one OS, as IT's allow-list gives it and the server signs it: a systemd unit
 * (`cups.service`, `getty@tty1`), a Windows service name (`Spooler`), a launchd label (`com.example.agent`).
 * Never an option (`-…`), never a path, a space or a shell character.
 */
export const serviceNameParam = z
  .string()
  .regex(
    SERVICE_NAME,
    'must be a service name (letters, digits, "_", ".", "@", ":", "-"; not starting with "-" or "."; no spaces; up to 128)',
  )
  .refine((value) => !value.includes('..'), 'must not contain ".."');

const PACKAGE_ID = /^[A-Za-z0-9][A-Za-z0-9._+@-]{0,127}$/;

/**
 * A package's id in one package manager, as IT's allow-list gives it and the server signs it: an apt or
 * dnf package (`libreoffice-writer`, `g++`), a winget id (`Mozilla.Firefox`), a Homebrew formula or cask
 * (`google-chrome`, `node@20`). Never an option, never a path, a space or a shell character.
 */
export const packageIdParam = z
  .string()
  .regex(
    PACKAGE_ID,
    'must be a package id (letters, digits, ".", "_", "+", "@", "-"; starting with a letter or digit; no spaces; up to 128)',
  )
  .refine((value) => !value.includes('..'), 'must not contain ".."');

/** The package managers package.install drives; `brew-cask` is `brew install --cask`. */
export const PACKAGE_MANAGERS = ['apt', 'dnf', 'winget', 'brew', 'brew-cask'] as const;
export type PackageManagerName = (typeof PACKAGE_MANAGERS)[number];

/** A package to install as the server signs it: the manager and the id it knows the package by. */
export const packageTargetParam = z.strictObject({ manager: z.enum(PACKAGE_MANAGERS), id: packageIdParam });
