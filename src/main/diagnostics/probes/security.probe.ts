import type { Sections } from '../../../shared/snapshot';
import {
  parseAntivirusProducts,
  parseClamavUnits,
  parseConfirmSecureBoot,
  parseFdesetupStatus,
  parseFirewalldState,
  parseLsblkRootEncryption,
  parseManageBdeStatus,
  parseMokutilSbState,
  parseNetFirewallProfiles,
  parseNftRuleset,
  parseSecureBootEfivar,
  parseSocketfilterfwState,
  parseUfwConf,
  parseUfwStatus,
  SECURE_BOOT_EFIVAR_PATH,
  SECURITY_COMMANDS as CMD,
  SECURITY_SCRIPTS as PS,
  UFW_CONF_PATH,
  XPROTECT_FOLDERS,
} from '../parsers/security.parser';
import type { CommandSpec } from '../parsers/parse-utils';
import { defineProbe, UnsupportedError, type ProbeContext } from '../probe';
import { allOutput, runCommand } from './probe-utils';

type Security = Sections['security'];
type Firewall = Security['firewall'];
type Encryption = Security['diskEncryption'];

/** Status commands answer in milliseconds; a hung one must not cost the other checks their answer. */
const UNIX_TIMEOUT_MS = 2000;
/** PowerShell takes a second or more to start on a cold, busy laptop, and queues our scripts behind others. */
const WINDOWS_TIMEOUT_MS = 4500;

const UNKNOWN_FIREWALL: Firewall = { enabled: null, product: null };
const UNKNOWN_ENCRYPTION: Encryption = { enabled: null, method: null };

/** Runs one check; whatever goes wrong, the check answers "unknown" and the others carry on. */
async function check<T>(work: () => Promise<T>, unknown: T): Promise<T> {
  try {
    return await work();
  } catch {
    return unknown;
  }
}

/**
 * A command's stdout and stderr, or null when it could not run. With `exitZero`, only stdout of a
 * successful run counts: for tools whose failures (no root, no daemon) would otherwise parse as data.
 */
async function output(ctx: ProbeContext, cmd: CommandSpec, timeoutMs: number, exitZero = false) {
  const out = await runCommand(ctx, cmd, timeoutMs);
  if (!out || (exitZero && out.exitCode !== 0)) return null;
  return exitZero ? out.stdout : allOutput(out);
}

async function parsed<T>(ctx: ProbeContext, cmd: CommandSpec, parse: (text: string) => T, exitZero = false) {
  const text = await output(ctx, cmd, ctx.platform === 'win32' ? WINDOWS_TIMEOUT_MS : UNIX_TIMEOUT_MS, exitZero);
  return text === null ? null : parse(text);
}

/**
 * A script run in the agent's shared PowerShell session: one warm process for every probe
 * instead of a cold powershell.exe per query. The session returns stdout only.
 */
async function scripted<T>(ctx: ProbeContext, script: string, parse: (text: string) => T) {
  const result = await ctx.powershell.run(script, { timeoutMs: WINDOWS_TIMEOUT_MS });
  return result.ok ? parse(result.value) : null;
}

/**
 * Several tools can manage the Linux firewall; ask them all at once. Any one that filters
 * means the machine is protected; otherwise the first that answered "off" names the product.
 */
async function linuxFirewall(ctx: ProbeContext): Promise<Firewall> {
  const [ufwLive, ufwConf, firewalld, nft] = await Promise.all([
    parsed(ctx, CMD.ufwStatus, parseUfwStatus),
    // `ufw status` needs root, which a tray agent rarely has; its config file is world-readable.
    ctx.files.readText(UFW_CONF_PATH, 64 * 1024).then((t) => (t === null ? null : parseUfwConf(t))),
    parsed(ctx, CMD.firewalldState, parseFirewalldState),
    parsed(ctx, CMD.nftRuleset, parseNftRuleset, true),
  ]);
  // Keys in the schema's order: the collector then keeps the section as it is, without loading zod.
  const answers: Firewall[] = [
    { enabled: ufwLive ?? ufwConf, product: 'ufw' },
    { enabled: firewalld, product: 'firewalld' },
    { enabled: nft, product: 'nftables' },
  ];
  const chosen = answers.find((a) => a.enabled === true) ?? answers.find((a) => a.enabled === false);
  return chosen ?? UNKNOWN_FIREWALL;
}

async function linuxEncryption(ctx: ProbeContext): Promise<Encryption> {
  const state = await parsed(ctx, CMD.lsblk, parseLsblkRootEncryption, true);
  return state ?? UNKNOWN_ENCRYPTION;
}

async function linuxSecureBoot(ctx: ProbeContext): Promise<boolean | null> {
  const fromMokutil = await parsed(ctx, CMD.mokutil, parseMokutilSbState);
  if (fromMokutil !== null) return fromMokutil;
  // mokutil is often not installed; the EFI variable it reads is readable without it.
  const efivar = await ctx.files.readText(SECURE_BOOT_EFIVAR_PATH, 64);
  return efivar === null ? null : parseSecureBootEfivar(efivar);
}

async function linux(ctx: ProbeContext): Promise<Security> {
  const [firewall, diskEncryption, secureBoot, antivirus] = await Promise.all([
    check(() => linuxFirewall(ctx), UNKNOWN_FIREWALL),
    check(() => linuxEncryption(ctx), UNKNOWN_ENCRYPTION),
    check(() => linuxSecureBoot(ctx), null),
    check(async () => (await parsed(ctx, CMD.clamavUnits, parseClamavUnits, true)) ?? [], []),
  ]);
  return { firewall, diskEncryption, antivirus, secureBoot };
}

async function hasXProtect(ctx: ProbeContext): Promise<boolean> {
  const listings = await Promise.all(XPROTECT_FOLDERS.map((folder) => ctx.files.list(folder)));
  return listings.some((entries) => entries?.includes('XProtect.bundle') === true);
}

async function darwin(ctx: ProbeContext): Promise<Security> {
  const [firewall, diskEncryption, antivirus] = await Promise.all([
    check(async () => {
      const enabled = await parsed(ctx, CMD.socketfilterfw, parseSocketfilterfwState);
      return enabled === null ? UNKNOWN_FIREWALL : { enabled, product: 'macOS Application Firewall' };
    }, UNKNOWN_FIREWALL),
    check(async () => {
      const enabled = await parsed(ctx, CMD.fdesetup, parseFdesetupStatus);
      return enabled === null ? UNKNOWN_ENCRYPTION : { enabled, method: 'FileVault' };
    }, UNKNOWN_ENCRYPTION),
    // XProtect is built in and updated by the OS; Apple offers no status query for it.
    check(async () => ((await hasXProtect(ctx)) ? [{ name: 'XProtect', enabled: true, upToDate: null }] : []), []),
  ]);
  // Apple silicon and T2 Secure Boot is not reported by any command a user can run.
  return { firewall, diskEncryption, antivirus, secureBoot: null };
}

async function windows(ctx: ProbeContext): Promise<Security> {
  const [firewall, antivirus, secureBoot, diskEncryption] = await Promise.all([
    check(async () => {
      const enabled = await scripted(ctx, PS.firewallProfiles, parseNetFirewallProfiles);
      return enabled === null ? UNKNOWN_FIREWALL : { enabled, product: 'Windows Defender Firewall' };
    }, UNKNOWN_FIREWALL),
    // Windows Server has no SecurityCenter2 namespace: the query fails and the list stays empty.
    check(async () => (await scripted(ctx, PS.antivirusProducts, parseAntivirusProducts)) ?? [], []),
    check(() => scripted(ctx, PS.secureBootUefi, parseConfirmSecureBoot), null),
    check(
      async () => (await parsed(ctx, CMD.bitlocker, parseManageBdeStatus)) ?? UNKNOWN_ENCRYPTION,
      UNKNOWN_ENCRYPTION,
    ),
  ]);
  return { firewall, diskEncryption, antivirus: antivirus.slice(0, 16), secureBoot };
}

/** Firewall, disk encryption, antivirus and Secure Boot state; each unknowable check is null. */
export const securityProbe = defineProbe({
  section: 'security',
  budgetMs: 6000,
  platforms: ['linux', 'darwin', 'win32'],
  async collect(ctx) {
    switch (ctx.platform) {
      case 'linux':
        return linux(ctx);
      case 'darwin':
        return darwin(ctx);
      case 'win32':
        return windows(ctx);
      default:
        throw new UnsupportedError(`No security checks for ${ctx.platform}`);
    }
  },
});
