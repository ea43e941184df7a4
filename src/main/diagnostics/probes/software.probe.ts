import { homedir } from 'node:os';
import type { InstalledPackage, Sections, SoftwareSource } from '../../../shared/snapshot';
import type { ProbeContext } from '../probe';
import { defineProbe } from '../probe';
import { parseDpkgStatus } from '../parsers/dpkg.parser';
import { FLATPAK_COMMAND, parseFlatpakList } from '../parsers/flatpak.parser';
import { parseInfoPlist, plutilToXmlCommand } from '../parsers/macos-apps.parser';
import { parseRpmQuery, RPM_COMMAND } from '../parsers/rpm.parser';
import { parseSnapList, SNAP_COMMAND } from '../parsers/snap.parser';
import { parseWindowsSoftware, WINDOWS_SOFTWARE_SCRIPT } from '../parsers/windows-software.parser';

type Software = Sections['software'];
/** A source's packages, null when the source is not on this machine at all. */
type SourceResult = { source: SoftwareSource; packages: InstalledPackage[] | null; error: string | null };

const MAC_APP_FOLDERS = ['/Applications', '/Applications/Utilities', '/System/Applications', '~/Applications'];
const MAX_PACKAGES = 20_000;

/**
 * Case-insensitive, then code-unit order: the order people expect of a package list, without
 * localeCompare (whose ICU collator costs the snapshot process about 3 MB).
 */
function byName(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Installed software with versions, from every package source the OS has. */
export const softwareProbe = defineProbe({
  section: 'software',
  budgetMs: 4000,
  async collect(ctx) {
    const results = await sources(ctx);
    const present = results.filter((r) => r.packages !== null || r.error !== null);
    const packages = present
      .flatMap((r) => r.packages ?? [])
      .sort((a, b) => byName(a.name, b.name) || byName(a.source, b.source))
      .slice(0, MAX_PACKAGES);
    const result: Software = {
      sources: present.map((r) => ({ source: r.source, count: r.packages?.length ?? 0, error: r.error })),
      packages,
    };
    return result;
  },
});

function sources(ctx: ProbeContext): Promise<SourceResult[]> {
  switch (ctx.platform) {
    case 'linux':
      return Promise.all([
        dpkg(ctx),
        command(ctx, 'rpm', RPM_COMMAND, parseRpmQuery),
        command(ctx, 'flatpak', FLATPAK_COMMAND, parseFlatpakList),
        command(ctx, 'snap', SNAP_COMMAND, parseSnapList),
      ]);
    case 'darwin':
      return Promise.all([macApplications(ctx)]);
    case 'win32':
      return Promise.all([windowsRegistry(ctx)]);
    default:
      return Promise.resolve([]);
  }
}

async function dpkg(ctx: ProbeContext): Promise<SourceResult> {
  // Reading dpkg's database directly takes milliseconds; dpkg-query takes ten times longer.
  const status = await ctx.files.readText('/var/lib/dpkg/status');
  return { source: 'dpkg', packages: status === null ? null : parseDpkgStatus(status), error: null };
}

async function command(
  ctx: ProbeContext,
  source: SoftwareSource,
  [bin, args]: readonly [string, readonly string[]],
  parse: (text: string) => InstalledPackage[],
): Promise<SourceResult> {
  const result = await ctx.run.run(bin, args, { signal: ctx.signal, timeoutMs: 3500 });
  if (!result.ok) {
    return result.error.code === 'not_found'
      ? { source, packages: null, error: null }
      : { source, packages: null, error: result.error.message };
  }
  if (result.value.exitCode !== 0) {
    const reason = result.value.stderr.trim().split('\n')[0] || `exit code ${result.value.exitCode}`;
    return { source, packages: null, error: `${bin}: ${reason}`.slice(0, 500) };
  }
  return { source, packages: parse(result.value.stdout), error: null };
}

async function windowsRegistry(ctx: ProbeContext): Promise<SourceResult> {
  const result = await ctx.powershell.run(WINDOWS_SOFTWARE_SCRIPT, { timeoutMs: 3500 });
  if (!result.ok) return { source: 'registry', packages: null, error: result.error.message };
  return { source: 'registry', packages: parseWindowsSoftware(result.value), error: null };
}

async function macApplications(ctx: ProbeContext): Promise<SourceResult> {
  const home = homedir();
  const folders = MAC_APP_FOLDERS.map((f) => (f.startsWith('~') ? home + f.slice(1) : f));
  const bundles = (
    await Promise.all(
      folders.map(async (folder) =>
        ((await ctx.files.list(folder)) ?? []).filter((n) => n.endsWith('.app')).map((n) => `${folder}/${n}`),
      ),
    )
  ).flat();
  const apps = await Promise.all(bundles.map((bundle) => macBundle(ctx, bundle)));
  return { source: 'applications', packages: apps.filter((a): a is InstalledPackage => a !== null), error: null };
}

async function macBundle(ctx: ProbeContext, bundle: string): Promise<InstalledPackage | null> {
  const plist = `${bundle}/Contents/Info.plist`;
  const fileName = bundle.slice(bundle.lastIndexOf('/') + 1);
  const text = await ctx.files.readText(plist, 1024 * 1024);
  if (text === null) return null;
  const parsed = parseInfoPlist(text, fileName);
  if (parsed) return parsed;
  // Binary property list: let plutil turn it into XML.
  const [bin, args] = plutilToXmlCommand(plist);
  const xml = await ctx.run.run(bin, args, { signal: ctx.signal, timeoutMs: 2000 });
  return xml.ok && xml.value.exitCode === 0 ? parseInfoPlist(xml.value.stdout, fileName) : null;
}
