import { cleanText, parsePowerShellJson, stripBom, type CommandSpec } from './parse-utils';

/*
 * Pure readers of the commands the security probe runs, one per command output. Each answers
 * null when the output does not say (wrong privileges, unsupported platform, unknown format), so
 * the probe can report "not knowable" instead of guessing.
 */

/** Every command the security probe may run, by platform. */
export const SECURITY_COMMANDS = {
  ufwStatus: ['ufw', ['status']],
  firewalldState: ['firewall-cmd', ['--state']],
  nftRuleset: ['nft', ['list', 'ruleset']],
  lsblk: ['lsblk', ['--json', '-o', 'NAME,TYPE,FSTYPE,MOUNTPOINT']],
  mokutil: ['mokutil', ['--sb-state']],
  clamavUnits: [
    'systemctl',
    ['show', '--property=LoadState,ActiveState', 'clamav-daemon.service', 'clamd@scan.service'],
  ],
  socketfilterfw: ['/usr/libexec/ApplicationFirewall/socketfilterfw', ['--getglobalstate']],
  fdesetup: ['fdesetup', ['status']],
  bitlocker: ['manage-bde.exe', ['-status', 'C:']],
} as const satisfies Record<string, CommandSpec>;

/** The Windows PowerShell scripts the security probe runs (in the agent's shared PowerShell session). */
export const SECURITY_SCRIPTS = {
  firewallProfiles: 'Get-NetFirewallProfile | Select-Object Name,Enabled | ConvertTo-Json -Compress',
  antivirusProducts:
    'Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct | Select-Object displayName,productState | ConvertTo-Json -Compress',
  secureBootUefi: 'Confirm-SecureBootUEFI',
} as const;

/** ufw's own setting file: readable by every user, unlike `ufw status`, which needs root. */
export const UFW_CONF_PATH = '/etc/ufw/ufw.conf';
/** The UEFI SecureBoot variable (EFI global variable GUID), readable without root. */
export const SECURE_BOOT_EFIVAR_PATH = '/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e1c7eb8a6cb5';
/** Where macOS keeps XProtect: current systems first, then the pre-Catalina location. */
export const XPROTECT_FOLDERS = ['/Library/Apple/System/Library/CoreServices', '/System/Library/CoreServices'] as const;

/** An antivirus product as the snapshot lists it. */
export interface AntivirusState {
  name: string;
  enabled: boolean | null;
  upToDate: boolean | null;
}

/** Whether and how the system disk is encrypted. */
export interface EncryptionState {
  enabled: boolean;
  method: string | null;
}

// ---------------------------------------------------------------- Linux

/** `ufw status`: "Status: active" / "Status: inactive"; null for "need to be root" and the like. */
export function parseUfwStatus(text: string): boolean | null {
  const m = /^Status:\s*(active|inactive)\b/m.exec(text);
  return m ? m[1] === 'active' : null;
}

/** /etc/ufw/ufw.conf: ENABLED=yes is what `ufw enable` writes, and it applies at every boot. */
export function parseUfwConf(text: string): boolean | null {
  const m = /^\s*ENABLED\s*=\s*"?(yes|no)"?\s*$/im.exec(text);
  return m ? m[1]!.toLowerCase() === 'yes' : null;
}

/** `firewall-cmd --state` (stdout and stderr): "running" / "not running". */
export function parseFirewalldState(text: string): boolean | null {
  const line = text.trim().split('\n')[0]?.trim().toLowerCase();
  if (line === 'running') return true;
  if (line === 'not running') return false;
  return null;
}

/**
 * `nft list ruleset`: filtering is on when a chain hooked on input drops by policy or holds a
 * verdict that can refuse traffic. Container engines create empty accept-all input chains, which
 * must not count as a firewall.
 */
export function parseNftRuleset(text: string): boolean | null {
  if (/operation not permitted|permission denied/i.test(text)) return null;
  let depth = 0;
  let chainDepth = -1;
  let isInput = false;
  let filters = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (chainDepth < 0 && /^chain\s+\S+.*\{$/.test(line)) {
      chainDepth = depth;
      isInput = false;
    } else if (chainDepth >= 0 && depth > chainDepth) {
      if (/\bhook\s+input\b/.test(line)) isInput = true;
      if (
        isInput &&
        (/\bpolicy\s+drop\b/.test(line) || (!line.startsWith('type ') && /\b(drop|reject|jump|goto)\b/.test(line)))
      ) {
        filters = true;
      }
    }
    depth += (line.match(/\{/g)?.length ?? 0) - (line.match(/\}/g)?.length ?? 0);
    if (chainDepth >= 0 && depth <= chainDepth) chainDepth = -1;
  }
  return filters;
}

interface LsblkDevice {
  type?: unknown;
  fstype?: unknown;
  mountpoint?: unknown;
  mountpoints?: unknown;
  children?: unknown;
}

/**
 * `lsblk --json -o NAME,TYPE,FSTYPE,MOUNTPOINT`: the root file system is encrypted when a
 * dm-crypt device or a LUKS container lies on its path in the device tree. Null when the
 * output is unreadable or no block device holds "/" (containers, network roots).
 */
export function parseLsblkRootEncryption(json: string): EncryptionState | null {
  let devices: unknown;
  try {
    devices = (JSON.parse(json) as { blockdevices?: unknown }).blockdevices;
  } catch {
    return null;
  }
  if (!Array.isArray(devices)) return null;
  const paths: LsblkDevice[][] = [];
  const walk = (list: unknown, path: LsblkDevice[]) => {
    if (!Array.isArray(list)) return;
    for (const item of list as LsblkDevice[]) {
      const here = [...path, item];
      const mounts = Array.isArray(item.mountpoints) ? item.mountpoints : [item.mountpoint];
      if (mounts.includes('/')) paths.push(here);
      walk(item.children, here);
    }
  };
  walk(devices, []);
  if (paths.length === 0) return null;
  const chain = paths.flat();
  const luks = chain.some((d) => d.fstype === 'crypto_LUKS');
  const crypt = chain.some((d) => d.type === 'crypt');
  if (!luks && !crypt) return { enabled: false, method: null };
  return { enabled: true, method: luks ? 'LUKS' : 'dm-crypt' };
}

/**
 * `mokutil --sb-state`: "SecureBoot enabled" / "SecureBoot disabled". A firmware without EFI
 * variables boots in legacy mode, where Secure Boot is off by definition.
 */
export function parseMokutilSbState(text: string): boolean | null {
  if (/SecureBoot enabled/i.test(text)) return true;
  if (/SecureBoot disabled/i.test(text)) return false;
  if (/EFI variables are not supported|doesn't support Secure Boot/i.test(text)) return false;
  return null;
}

/** The SecureBoot EFI variable: four attribute bytes, then one data byte (1 = on). */
export function parseSecureBootEfivar(content: string): boolean | null {
  if (content.length < 5) return null;
  const value = content.charCodeAt(4);
  return value === 1 ? true : value === 0 ? false : null;
}

/**
 * `systemctl show --property=LoadState,ActiveState <units…>`: one block per unit. A unit that
 * is loaded is installed; it protects only while active. Not-found units are not listed.
 */
export function parseClamavUnits(text: string): AntivirusState[] {
  const blocks = text.split(/\n\s*\n/);
  const loaded = blocks
    .map((block) => ({
      load: /^LoadState=(.*)$/m.exec(block)?.[1]?.trim(),
      active: /^ActiveState=(.*)$/m.exec(block)?.[1]?.trim(),
    }))
    .filter((unit) => unit.load === 'loaded');
  if (loaded.length === 0) return [];
  return [{ name: 'ClamAV', enabled: loaded.some((u) => u.active === 'active'), upToDate: null }];
}

// ---------------------------------------------------------------- macOS

/** `socketfilterfw --getglobalstate`: "Firewall is enabled. (State = 1)" / "… disabled. (State = 0)". */
export function parseSocketfilterfwState(text: string): boolean | null {
  const state = /\(State\s*=\s*(\d+)\)/.exec(text);
  // 1 is "on", 2 is "block all incoming"; both filter.
  if (state) return Number(state[1]) > 0;
  if (/Firewall is enabled/i.test(text)) return true;
  if (/Firewall is disabled/i.test(text)) return false;
  return null;
}

/** `fdesetup status`: "FileVault is On." / "FileVault is Off." (also "Off, but will be enabled after the next restart."). */
export function parseFdesetupStatus(text: string): boolean | null {
  const m = /FileVault is (On|Off)\b/i.exec(text);
  return m ? m[1]!.toLowerCase() === 'on' : null;
}

// ---------------------------------------------------------------- Windows

/** A PowerShell boolean as ConvertTo-Json writes it: true/false, or 1/0 for the GpoBoolean enum. */
function powershellBoolean(value: unknown): boolean | null {
  if (value === true || value === 1 || value === 'True' || value === 'true') return true;
  if (value === false || value === 0 || value === 'False' || value === 'false') return false;
  return null;
}

/** `Get-NetFirewallProfile | Select-Object Name,Enabled | ConvertTo-Json`: enabled only when every profile is. */
export function parseNetFirewallProfiles(json: string): boolean | null {
  const profiles = parsePowerShellJson(json);
  if (profiles.length === 0) return null;
  const states = profiles.map((p) => powershellBoolean(p.Enabled));
  if (states.includes(false)) return false;
  return states.every((s) => s === true) ? true : null;
}

/**
 * Decodes the undocumented AntiVirusProduct.productState bit field (WSC_SECURITY_PRODUCT_STATE).
 * Microsoft does not publish it; this is the widely used community decoding, e.g.
 * neophob.com/2010/03/wmi-query-windows-securitycenter2 and the PowerShell PowerTip "Identifying
 * Antivirus Engine State" (Idera, 2020): bits 12–15 are the engine state (1 = on, 0 = off,
 * 2 = snoozed, 3 = expired) and bits 4–7 the signature status (0 = up to date, 1 = out of date).
 */
export function decodeProductState(productState: number): { enabled: boolean; upToDate: boolean } {
  return {
    enabled: ((productState >> 12) & 0xf) === 1,
    upToDate: ((productState >> 4) & 0xf) === 0,
  };
}

/**
 * `Get-CimInstance … AntiVirusProduct | Select-Object displayName,productState | ConvertTo-Json`;
 * no output (no product registered, or Windows Server without Security Center) is an empty list.
 */
export function parseAntivirusProducts(json: string): AntivirusState[] {
  return parsePowerShellJson(json).flatMap((p) => {
    const name = cleanText(p.displayName, 256);
    if (name === null) return [];
    const state = typeof p.productState === 'number' ? decodeProductState(p.productState) : null;
    return [{ name, enabled: state?.enabled ?? null, upToDate: state?.upToDate ?? null }];
  });
}

/**
 * `Confirm-SecureBootUEFI` (stdout and stderr): "True" / "False". On a legacy-BIOS boot it fails
 * with "Cmdlet not supported on this platform", which means Secure Boot is off; without admin
 * rights it fails with "Access was denied", which says nothing.
 */
export function parseConfirmSecureBoot(text: string): boolean | null {
  const first = stripBom(text).trim().split(/\r?\n/)[0]?.trim();
  if (first === 'True') return true;
  if (first === 'False') return false;
  if (/Cmdlet not supported on this platform/i.test(text)) return false;
  return null;
}

/**
 * `manage-bde -status C:`: "Protection Status: Protection On" / "Protection Off". Suspended
 * protection reads "Protection Off" and is reported as not encrypted: the disk is not protected.
 * The labels are localized by Windows; other languages give null rather than a wrong answer.
 */
export function parseManageBdeStatus(text: string): EncryptionState | null {
  const m = /Protection Status:\s*Protection (On|Off)/i.exec(text);
  if (!m) return null;
  return { enabled: m[1]!.toLowerCase() === 'on', method: 'BitLocker' };
}
