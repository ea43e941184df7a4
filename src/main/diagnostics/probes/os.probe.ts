import { arch, hostname, release, uptime, userInfo } from 'node:os';
import type { Sections } from '../../../shared/snapshot';
import { linuxTimezone } from '../parsers/timezone.parser';
import type { Platform, ProbeContext } from '../probe';
import { defineProbe } from '../probe';

type PendingReboot = Pick<Sections['os'], 'pendingReboot' | 'pendingRebootReasons'>;

// Documented reboot markers of Windows servicing, Windows Update and file-rename-on-boot.
const WINDOWS_REBOOT_KEYS: ReadonlyArray<[string[], string]> = [
  [
    ['query', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending'],
    'Component servicing',
  ],
  [
    ['query', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired'],
    'Windows Update',
  ],
  [
    ['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager', '/v', 'PendingFileRenameOperations'],
    'Pending file renames',
  ],
];

/** Operating system, host name, uptime and whether a restart is pending. */
export const osProbe = defineProbe({
  section: 'os',
  budgetMs: 2000,
  async collect(ctx) {
    const [base, reboot] = await Promise.all([ctx.platform === 'linux' ? linuxOs(ctx) : siOs(ctx), pendingReboot(ctx)]);
    return {
      ...base,
      lastBoot: new Date(ctx.now().getTime() - base.uptimeSeconds * 1000).toISOString(),
      ...reboot,
      user: currentUser(),
    };
  },
});

type OsBase = Omit<Sections['os'], 'lastBoot' | 'pendingReboot' | 'pendingRebootReasons' | 'user'>;

/** Linux: /etc/os-release and Node's own OS calls; systeminformation would spawn several processes. */
async function linuxOs(ctx: ProbeContext): Promise<OsBase> {
  const release_ = parseOsRelease(
    (await ctx.files.readText('/etc/os-release', 64 * 1024)) ??
      (await ctx.files.readText('/usr/lib/os-release', 64 * 1024)) ??
      '',
  );
  return {
    platform: 'linux',
    name: release_.NAME || 'Linux',
    version: release_.VERSION_ID || null,
    build: release_.BUILD_ID || null,
    codename: release_.VERSION_CODENAME || null,
    kernel: release(),
    arch: arch(),
    hostname: hostname() || 'unknown',
    timezone:
      linuxTimezone({
        tz: process.env.TZ,
        localtimeLink: await ctx.files.readLink('/etc/localtime'),
        etcTimezone: await ctx.files.readText('/etc/timezone', 256),
      }) ??
      (Intl.DateTimeFormat().resolvedOptions().timeZone || null),
    uptimeSeconds: Math.max(0, Math.round(uptime())),
  };
}

async function siOs(ctx: ProbeContext): Promise<OsBase> {
  const [info, time] = await Promise.all([ctx.si.osInfo(), ctx.si.time()]);
  return {
    platform: toPlatform(info.platform),
    name: info.distro || info.platform || 'unknown',
    version: info.release || null,
    build: info.build || null,
    codename: info.codename || null,
    kernel: info.kernel || null,
    arch: info.arch || 'unknown',
    hostname: info.hostname || 'unknown',
    timezone: time.timezone || null,
    uptimeSeconds: Math.max(0, Math.round(Number(time.uptime) || 0)),
  };
}

/** Parses os-release(5): KEY=value lines, values optionally quoted. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match?.[1]) continue;
    out[match[1]] = (match[2] ?? '').replace(/^(["'])(.*)\1$/, '$2').replace(/\\(["$`\\])/g, '$1');
  }
  return out;
}

function toPlatform(value: string): Platform {
  const v = value.toLowerCase();
  if (v === 'linux') return 'linux';
  if (v === 'darwin') return 'darwin';
  if (v === 'windows' || v === 'win32') return 'win32';
  return 'other';
}

function currentUser(): string | null {
  try {
    return userInfo().username || null;
  } catch {
    return null;
  }
}

async function pendingReboot(ctx: ProbeContext): Promise<PendingReboot> {
  switch (ctx.platform) {
    case 'linux':
      return linuxPendingReboot(ctx);
    case 'win32': {
      const answers = await Promise.all(
        WINDOWS_REBOOT_KEYS.map(async ([args, reason]) => {
          const result = await ctx.run.run('reg', args, { signal: ctx.signal, timeoutMs: 1500 });
          return result.ok && result.value.exitCode === 0 ? reason : null;
        }),
      );
      const reasons = answers.filter((r): r is string => r !== null);
      return { pendingReboot: reasons.length > 0, pendingRebootReasons: reasons };
    }
    default:
      // macOS has no reliable, documented pending-restart marker.
      return { pendingReboot: null, pendingRebootReasons: [] };
  }
}

async function linuxPendingReboot(ctx: ProbeContext): Promise<PendingReboot> {
  // Debian and Ubuntu: update-notifier and unattended-upgrades write these files.
  const marker = await ctx.files.readText('/var/run/reboot-required', 4096);
  if (marker !== null) {
    const pkgs = await ctx.files.readText('/var/run/reboot-required.pkgs', 64 * 1024);
    const names = [
      ...new Set(
        (pkgs ?? '')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      ),
    ];
    const reasons =
      names.length > 0 ? [`Updated packages: ${names.slice(0, 10).join(', ')}`] : ['System updates installed'];
    return { pendingReboot: true, pendingRebootReasons: reasons };
  }
  // Fedora and RHEL: dnf's needs-restarting exits 1 when a reboot is needed.
  const rhel = await ctx.run.run('needs-restarting', ['-r'], { signal: ctx.signal, timeoutMs: 1500 });
  if (rhel.ok) {
    return rhel.value.exitCode === 1
      ? { pendingReboot: true, pendingRebootReasons: ['Core libraries or kernel updated'] }
      : { pendingReboot: false, pendingRebootReasons: [] };
  }
  const dpkg = await ctx.files.list('/var/lib/dpkg');
  return { pendingReboot: dpkg ? false : null, pendingRebootReasons: [] };
}
