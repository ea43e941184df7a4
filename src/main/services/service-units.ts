import { join } from 'node:path';

/*
 * `deskside agent install | uninstall`: what registers the daemon with the OS's service manager.
 * Pure functions: the unit file, plist or WinSW configuration from a ServiceSpec, and the plan (files
 * to write or copy, commands to run as argument arrays) that service-install.ts carries out.
 */

export type ServiceOs = 'linux' | 'darwin' | 'win32';

export interface ServiceSpec {
  /** The node executable (process.execPath). */
  nodePath: string;
  /** The `deskside` bundle node runs (bin/deskside.js or dist/cli/deskside.js). */
  bundlePath: string;
  dataDir: string;
  serverUrl?: string;
  enrollSecret?: string;
  /** Account the daemon runs as (system services only). */
  user?: string;
  logLevel?: string;
  /** systemd only: a user unit under ~/.config/systemd/user instead of a system unit. */
  userUnit?: boolean;
}

export const SERVICE_NAME = 'deskside-agent';
export const LAUNCHD_LABEL = 'org.deskside.agent';
export const WINDOWS_SERVICE = 'DesksideAgent';
/** The data folder a system-wide daemon uses on Linux when none is given (systemd's StateDirectory). */
export const LINUX_STATE_DIR = '/var/lib/deskside-agent';

/**
 * A small resident footprint: a 1 MiB young generation, V8's size-over-speed heuristics, and lite mode (the
 * interpreter only, no optimizing compilers or their feedback: the daemon waits on the network nearly all
 * the time; its idle RSS is a bench target, scripts/bench/agent-core.bench.ts). Lite mode also turns
 * WebAssembly off, so the daemon never calls fetch (undici compiles a WebAssembly parser; without it the
 * process dies); the snapshot process it forks runs with Node's defaults. Local time comes from the
 * operating system's time zone (as libc gives it) instead of ICU's copy of the time-zone database: the
 * same hours and offsets, about 0.9 MB less RSS (only Date#toString's zone name is shorter: "CEST", not
 * "Central European Summer Time"). And Node boots from its own JavaScript instead of the startup snapshot built
 * into the binary (--no-node-snapshot, a Node flag): the built-in modules the daemon loads beyond a bare Node
 * (http, tls, crypto, zlib, dns, child_process…) then compile from their sources, only the functions that run,
 * where with the snapshot Node reads the code cache it carries for them; 2.5 MB fewer pages of the binary's
 * read-only data stay resident at idle, for about 40 ms more at start.
 */
export const DAEMON_NODE_FLAGS = [
  '--max-semi-space-size=1',
  '--optimize-for-size',
  '--lite-mode',
  '--no-expose-wasm',
  '--no-icu-timezone-data',
  '--no-node-snapshot',
] as const;

/** Seconds the service manager waits after SIGTERM before killing the daemon. */
export const STOP_TIMEOUT_S = 30;

/**
 * Where install puts the server URL and enrollment secret it was given: a managed-config file in the data
 * folder (0600), which the daemon reads with --config. Never on the command line, where `ps` shows it.
 */
export function daemonConfigPath(spec: Pick<ServiceSpec, 'dataDir'>): string {
  return join(spec.dataDir, 'managed-config.json');
}

const hasConfig = (spec: ServiceSpec) => Boolean(spec.serverUrl || spec.enrollSecret);

/** The daemon's command line as an argument array (argv[0] is node). */
export function daemonArgv(spec: ServiceSpec): string[] {
  const argv = [spec.nodePath, ...DAEMON_NODE_FLAGS, spec.bundlePath, 'agent', 'run', '--data-dir', spec.dataDir];
  if (hasConfig(spec)) argv.push('--config', daemonConfigPath(spec));
  argv.push('--log-level', spec.logLevel ?? 'info');
  return argv;
}

/** The managed-config file install writes (the secret stays out of the unit and the process list). */
function configFile(spec: ServiceSpec): ServicePlan['write'] {
  if (!hasConfig(spec)) return [];
  const config = {
    ...(spec.serverUrl ? { serverUrl: spec.serverUrl } : {}),
    ...(spec.enrollSecret ? { enrollSecret: spec.enrollSecret } : {}),
  };
  return [{ path: daemonConfigPath(spec), content: `${JSON.stringify(config, null, 2)}\n`, mode: 0o600 }];
}

function refuseControl(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value))
    throw new Error(`not usable in a service definition: ${JSON.stringify(value)}`);
  return value;
}

/**
 * One word of a systemd command line or path list: bare when plain, else double-quoted with C
 * escapes; `%` (specifiers) and `$` (variable expansion) doubled so they stay literal.
 */
export function systemdWord(value: string): string {
  refuseControl(value);
  const literal = value.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (literal !== '' && /^[A-Za-z0-9_\-+.,/:=@%$]+$/.test(literal)) return literal;
  return `"${literal.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The systemd unit (system unit by default; spec.userUnit for a user unit). */
export function systemdUnit(spec: ServiceSpec): string {
  const execStart = daemonArgv(spec).map(systemdWord).join(' ');
  const service = [
    'Type=exec',
    `ExecStart=${execStart}`,
    'Restart=on-failure',
    // A growing delay between restarts (RestartSteps/RestartMaxDelaySec: systemd 254+, ignored before),
    // and no start limit: a daemon that keeps failing keeps being tried.
    'RestartSec=5s',
    'RestartSteps=5',
    'RestartMaxDelaySec=5min',
    'KillSignal=SIGTERM',
    'KillMode=mixed',
    `TimeoutStopSec=${STOP_TIMEOUT_S}s`,
    'UMask=0077',
    'NoNewPrivileges=yes',
  ];
  if (!spec.userUnit) {
    if (spec.user) service.push(`User=${systemdWord(spec.user)}`);
    if (spec.dataDir === LINUX_STATE_DIR) service.push('StateDirectory=deskside-agent', 'StateDirectoryMode=0700');
    // Hardening that leaves the probes (reading /proc, /sys, /etc, running ip, lsblk…) working. Not
    // MemoryDenyWriteExecute: V8's JIT needs writable executable memory.
    service.push(
      'ProtectSystem=strict',
      `ReadWritePaths=${systemdWord(spec.dataDir)}`,
      'ProtectHome=read-only',
      // A data folder under /tmp would vanish behind a private /tmp.
      ...(/^\/(var\/)?tmp\//.test(spec.dataDir) ? [] : ['PrivateTmp=yes']),
      'PrivateDevices=yes',
      'ProtectKernelTunables=yes',
      'ProtectKernelModules=yes',
      'ProtectKernelLogs=yes',
      'ProtectControlGroups=yes',
      'ProtectClock=yes',
      'ProtectHostname=yes',
      'RestrictSUIDSGID=yes',
      'RestrictRealtime=yes',
      'RestrictNamespaces=yes',
      'LockPersonality=yes',
      'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK',
      'SystemCallArchitectures=native',
    );
  }
  return [
    '# Written by `deskside agent install`; removed by `deskside agent uninstall`.',
    '[Unit]',
    'Description=Deskside agent (help-desk daemon)',
    'Documentation=https://github.com/deskside/deskside#the-headless-daemon',
    ...(spec.userUnit ? [] : ['Wants=network-online.target', 'After=network-online.target']),
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    ...service,
    '',
    '[Install]',
    `WantedBy=${spec.userUnit ? 'default.target' : 'multi-user.target'}`,
    '',
  ].join('\n');
}

const xml = (value: string) =>
  refuseControl(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** The launchd daemon's property list (/Library/LaunchDaemons/org.deskside.agent.plist). */
export function launchdPlist(spec: ServiceSpec, logFile: string): string {
  const strings = (values: string[]) => values.map((v) => `\t\t<string>${xml(v)}</string>`).join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '\t<key>Label</key>',
    `\t<string>${LAUNCHD_LABEL}</string>`,
    '\t<key>ProgramArguments</key>',
    '\t<array>',
    strings(daemonArgv(spec)),
    '\t</array>',
    ...(spec.user ? ['\t<key>UserName</key>', `\t<string>${xml(spec.user)}</string>`] : []),
    '\t<key>RunAtLoad</key>',
    '\t<true/>',
    // Restarted when it exits with an error, not after a clean stop.
    '\t<key>KeepAlive</key>',
    '\t<dict>',
    '\t\t<key>SuccessfulExit</key>',
    '\t\t<false/>',
    '\t</dict>',
    '\t<key>ThrottleInterval</key>',
    '\t<integer>10</integer>',
    // launchd sends SIGTERM, then SIGKILL after this many seconds.
    '\t<key>ExitTimeOut</key>',
    `\t<integer>${STOP_TIMEOUT_S}</integer>`,
    '\t<key>ProcessType</key>',
    '\t<string>Background</string>',
    '\t<key>Umask</key>',
    '\t<integer>63</integer>',
    '\t<key>StandardOutPath</key>',
    `\t<string>${xml(logFile)}</string>`,
    '\t<key>StandardErrorPath</key>',
    `\t<string>${xml(logFile)}</string>`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** One argument of a Windows command line, quoted as CommandLineToArgvW reads it back. */
export function windowsArg(value: string): string {
  refuseControl(value);
  if (value !== '' && !/[\s"]/.test(value)) return value;
  let out = '"';
  let backslashes = 0;
  for (const ch of value) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    if (ch === '"') out += '\\'.repeat(backslashes * 2 + 1) + '"';
    else out += '\\'.repeat(backslashes) + ch;
    backslashes = 0;
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

/*
 * Windows: node.exe does not answer the Service Control Manager, so the service is WinSW 1.17 (the
 * wrapper node-windows ships), copied as deskside-agent.exe beside deskside-agent.xml (WinSW reads
 * the XML named after itself). WinSW starts the daemon, stops it with Ctrl+C (SIGINT to node), then
 * kills it after <stoptimeout>, and reports to the SCM, whose failure actions restart it.
 */

/** The folder the wrapper and its XML go in by default (`programData` is %ProgramData%). */
export function windowsServiceDir(programData: string): string {
  return `${programData}\\Deskside\\service`;
}

/** The wrapper's files in `dir`: WinSW finds `<its base name>.xml`; `.exe.config` picks the .NET runtime. */
export function winswFiles(dir: string): { dir: string; exe: string; config: string; xml: string; logs: string } {
  return {
    dir,
    exe: join(dir, `${SERVICE_NAME}.exe`),
    config: join(dir, `${SERVICE_NAME}.exe.config`),
    xml: join(dir, `${SERVICE_NAME}.xml`),
    logs: join(dir, 'logs'),
  };
}

/** Seconds WinSW waits after Ctrl+C before killing the daemon (under Windows' ~20 s at shutdown). */
export const WINSW_STOP_TIMEOUT_S = 15;

/**
 * A value WinSW 1.x passes on, XML-escaped. WinSW expands %NAME% in it (no escape exists), and joins
 * <argument>s by wrapping one that has a space in double quotes, escaping nothing: so `%`, `"`, an
 * empty value and a spaced value ending in a backslash (it would escape the closing quote) are refused.
 */
export function winswValue(value: string): string {
  refuseControl(value);
  if (value === '' || /["%]/.test(value) || (value.includes(' ') && value.endsWith('\\')))
    throw new Error(`not usable in the Windows service wrapper's configuration: ${JSON.stringify(value)}`);
  return xml(value);
}

/** The WinSW 1.x configuration (deskside-agent.xml): the daemon's argv one <argument> each, logs in `logDir`. */
export function winswXml(spec: ServiceSpec, logDir: string): string {
  const [executable = '', ...args] = daemonArgv(spec);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!-- Written by `deskside agent install`; removed by `deskside agent uninstall`. -->',
    '<service>',
    `  <id>${WINDOWS_SERVICE}</id>`,
    '  <name>Deskside Agent</name>',
    '  <description>Deskside help-desk agent (deskside agent run)</description>',
    `  <executable>${winswValue(executable)}</executable>`,
    ...args.map((arg) => `  <argument>${winswValue(arg)}</argument>`),
    '  <startmode>Automatic</startmode>',
    // The SCM restarts a daemon that exits with an error, after a growing delay (the last one repeats),
    // and forgets past failures after a day. A clean exit (code 0) is a stop, not a failure.
    '  <onfailure action="restart" delay="5 sec"/>',
    '  <onfailure action="restart" delay="30 sec"/>',
    '  <onfailure action="restart" delay="60 sec"/>',
    '  <resetfailure>1 day</resetfailure>',
    // Ctrl+C to the daemon first: it stops its snapshot worker itself.
    '  <stopparentprocessfirst>true</stopparentprocessfirst>',
    `  <stoptimeout>${WINSW_STOP_TIMEOUT_S} sec</stoptimeout>`,
    // deskside-agent.out.log / .err.log / .wrapper.log; `roll` would only rotate at each start, so a
    // daemon that runs for months is rolled by size: 10 MiB, 4 old files kept.
    `  <logpath>${winswValue(logDir)}</logpath>`,
    '  <log mode="roll-by-size">',
    '    <sizeThreshold>10240</sizeThreshold>',
    '    <keepFiles>4</keepFiles>',
    '  </log>',
    '</service>',
    '',
  ].join('\n');
}

/** A command the plan runs: program and argument array, never a shell string. */
export interface PlannedCommand {
  command: string;
  args: string[];
  /** A failure here does not stop the plan (stopping a service that is not running, say). */
  mayFail?: boolean;
}

/** In order: `before`, the folders, then the files written, copied and removed, then `after`. */
export interface ServicePlan {
  before: PlannedCommand[];
  /**
   * Folders created before any file is written, each then locked down by its command (Windows: the
   * wrapper's folder, whose programs run as LocalSystem, writable by Administrators and SYSTEM only).
   */
  folders: Array<{ path: string; restrict: PlannedCommand }>;
  /** Files to write (0600 for the managed-config file with the enrollment secret, else 0644). */
  write: Array<{ path: string; content: string; mode: number }>;
  /** Files to copy (the Windows service wrapper); every `from` is checked before anything is done. */
  copy: Array<{ from: string; to: string }>;
  /** Files to remove. */
  remove: string[];
  after: PlannedCommand[];
}

/**
 * Where the plan puts things. `unitDir` overrides the folder of the unit, plist or (Windows) wrapper;
 * `programData` is %ProgramData% (default C:\ProgramData); `wrapperPath` is WinSW's winsw.exe, with
 * winsw.exe.config beside it (Windows install only).
 */
export interface PlanOptions {
  home: string;
  unitDir?: string;
  userUnit?: boolean;
  programData?: string;
  wrapperPath?: string;
}

const windowsDir = (options: PlanOptions) =>
  options.unitDir ?? windowsServiceDir(options.programData ?? 'C:\\ProgramData');

/** Where the unit, plist or WinSW XML goes by default; `unitDir` overrides the folder. */
export function serviceFilePath(os: ServiceOs, options: PlanOptions): string {
  if (os === 'linux') {
    const dir =
      options.unitDir ?? (options.userUnit ? join(options.home, '.config', 'systemd', 'user') : '/etc/systemd/system');
    return join(dir, `${SERVICE_NAME}.service`);
  }
  if (os === 'darwin') return join(options.unitDir ?? '/Library/LaunchDaemons', `${LAUNCHD_LABEL}.plist`);
  return winswFiles(windowsDir(options)).xml;
}

/**
 * `net stop` waits until the service has stopped (WinSW 1.x's own `stop` returns once asked), so the
 * wrapper is no longer running when it is replaced or removed.
 */
const netStop: PlannedCommand = { command: 'net.exe', args: ['stop', WINDOWS_SERVICE], mayFail: true };

/**
 * Only an administrator may install the service: `net session` answers "Access is denied" to anyone else,
 * before anything is written (a standard user would otherwise leave files behind and fail at install).
 */
const adminCheck: PlannedCommand = { command: 'net.exe', args: ['session'] };

/**
 * The wrapper's folder inherits nothing (%ProgramData% lets every user add files, and a file planted
 * beside a program that runs as LocalSystem is a way to SYSTEM): full control for Administrators
 * (S-1-5-32-544) and SYSTEM (S-1-5-18) only, inherited by what is put in it.
 */
function lockDown(dir: string): PlannedCommand {
  return {
    command: 'icacls.exe',
    args: [dir, '/inheritance:r', '/grant:r', '*S-1-5-32-544:(OI)(CI)F', '*S-1-5-18:(OI)(CI)F'],
  };
}

/** What `agent install` writes and runs on this OS. */
export function planInstall(os: ServiceOs, spec: ServiceSpec, options: PlanOptions): ServicePlan {
  const mode = 0o644;
  if (os === 'linux') {
    const path = serviceFilePath(os, { ...options, userUnit: spec.userUnit });
    const systemctl = (...args: string[]) => ({
      command: 'systemctl',
      args: spec.userUnit ? ['--user', ...args] : args,
    });
    return {
      before: [],
      write: [...configFile(spec), { path, content: systemdUnit(spec), mode }],
      copy: [],
      folders: [],
      remove: [],
      after: [systemctl('daemon-reload'), systemctl('enable', '--now', `${SERVICE_NAME}.service`)],
    };
  }
  if (os === 'darwin') {
    const path = serviceFilePath(os, options);
    return {
      before: [],
      write: [...configFile(spec), { path, content: launchdPlist(spec, '/Library/Logs/Deskside/agent.log'), mode }],
      copy: [],
      folders: [],
      remove: [],
      after: [
        { command: 'mkdir', args: ['-p', '/Library/Logs/Deskside'] },
        { command: 'launchctl', args: ['bootstrap', 'system', path] },
        { command: 'launchctl', args: ['enable', `system/${LAUNCHD_LABEL}`] },
      ],
    };
  }
  if (!options.wrapperPath) throw new Error('planInstall: win32 needs the path of the service wrapper (winsw.exe)');
  const files = winswFiles(windowsDir(options));
  const wrapper = (arg: string, mayFail?: boolean): PlannedCommand => ({
    command: files.exe,
    args: [arg],
    ...(mayFail ? { mayFail } : {}),
  });
  return {
    // A reinstall: the running wrapper cannot be overwritten, and WinSW's install refuses an existing
    // service (also one an older `sc.exe create` made). Both fail harmlessly on a first install.
    before: [adminCheck, netStop, wrapper('uninstall', true)],
    folders: [{ path: files.dir, restrict: lockDown(files.dir) }],
    write: [...configFile(spec), { path: files.xml, content: winswXml(spec, files.logs), mode }],
    copy: [
      { from: options.wrapperPath, to: files.exe },
      { from: `${options.wrapperPath}.config`, to: files.config },
    ],
    remove: [],
    after: [wrapper('install'), wrapper('start')],
  };
}

/** What `agent uninstall` stops, removes and runs. */
export function planUninstall(os: ServiceOs, options: PlanOptions): ServicePlan {
  if (os === 'linux') {
    const path = serviceFilePath(os, options);
    const systemctl = (...args: string[]) => ({
      command: 'systemctl',
      args: options.userUnit ? ['--user', ...args] : args,
    });
    return {
      before: [{ ...systemctl('disable', '--now', `${SERVICE_NAME}.service`), mayFail: true }],
      write: [],
      copy: [],
      folders: [],
      remove: [path],
      after: [systemctl('daemon-reload')],
    };
  }
  if (os === 'darwin') {
    return {
      before: [{ command: 'launchctl', args: ['bootout', `system/${LAUNCHD_LABEL}`], mayFail: true }],
      write: [],
      copy: [],
      folders: [],
      remove: [serviceFilePath(os, options)],
      after: [],
    };
  }
  // The logs folder stays, like the data folder.
  const files = winswFiles(windowsDir(options));
  return {
    before: [netStop, { command: files.exe, args: ['uninstall'] }],
    write: [],
    copy: [],
    folders: [],
    remove: [files.xml, files.exe, files.config],
    after: [],
  };
}
