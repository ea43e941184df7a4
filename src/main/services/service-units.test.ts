import { describe, expect, it } from 'vitest';
import {
  daemonArgv,
  launchdPlist,
  planInstall,
  planUninstall,
  systemdUnit,
  systemdWord,
  windowsArg,
  type ServiceSpec,
} from './service-units';

const spec: ServiceSpec = {
  nodePath: '/opt/node 20/bin/node',
  bundlePath: '/opt/Deskside $HOME-%h"App/bin/deskside.js',
  dataDir: '/srv/deskside agent',
  serverUrl: 'https://help.example.com',
  enrollSecret: 'secret-with-$HOME-and-%h"quote',
  user: 'deskside',
};

/** The values of `key=` lines in a unit. */
const directives = (unit: string, key: string) =>
  unit
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));

/** Reads an ExecStart= line back the way systemd splits it (double quotes, C escapes, %% and $$). */
function splitSystemd(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) {
    const raw = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!;
    words.push(raw.replace(/%%/g, '%').replace(/\$\$/g, '$'));
  }
  return words;
}

describe('daemonArgv', () => {
  it('runs node with the small-footprint flags, then the bundle, then agent run with its flags', () => {
    expect(daemonArgv(spec)).toEqual([
      '/opt/node 20/bin/node',
      '--max-semi-space-size=1',
      '--optimize-for-size',
      '--lite-mode',
      '--no-expose-wasm',
      '--no-icu-timezone-data',
      '--no-node-snapshot',
      '/opt/Deskside $HOME-%h"App/bin/deskside.js',
      'agent',
      'run',
      '--data-dir',
      '/srv/deskside agent',
      '--config',
      '/srv/deskside agent/managed-config.json',
      '--log-level',
      'info',
    ]);
    // The server URL and the secret travel in the managed-config file install writes, never on the command line.
    expect(daemonArgv(spec).join(' ')).not.toContain('secret-with');
    expect(daemonArgv({ ...spec, serverUrl: undefined, enrollSecret: undefined })).not.toContain('--config');
  });
});

describe('systemdUnit', () => {
  const unit = systemdUnit(spec);

  it('has ExecStart with every argument quoted so systemd reads back the same argument array', () => {
    const [execStart] = directives(unit, 'ExecStart');
    expect(splitSystemd(execStart!)).toEqual(daemonArgv(spec));
    expect(execStart).toContain('"/opt/node 20/bin/node" --max-semi-space-size=1 --optimize-for-size');
    // No specifier or variable expansion survives: % and $ are doubled.
    expect(execStart).toContain('"/opt/Deskside $$HOME-%%h\\"App/bin/deskside.js"');
    expect(execStart).not.toMatch(/\/bin\/sh|bash -c/);
  });

  it('restarts on failure with a back-off and never gives up; stops with SIGTERM and a timeout', () => {
    expect(directives(unit, 'Restart')).toEqual(['on-failure']);
    expect(directives(unit, 'RestartSec')).toEqual(['5s']);
    expect(directives(unit, 'RestartSteps')).toEqual(['5']);
    expect(directives(unit, 'RestartMaxDelaySec')).toEqual(['5min']);
    expect(directives(unit, 'StartLimitIntervalSec')).toEqual(['0']);
    expect(directives(unit, 'KillSignal')).toEqual(['SIGTERM']);
    expect(directives(unit, 'TimeoutStopSec')).toEqual(['30s']);
  });

  it('is hardened, with only the data folder writable', () => {
    for (const [key, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ReadWritePaths', '"/srv/deskside agent"'],
      ['PrivateTmp', 'yes'],
      ['ProtectHome', 'read-only'],
      ['User', 'deskside'],
      ['WantedBy', 'multi-user.target'],
      ['After', 'network-online.target'],
    ])
      expect(directives(unit, key!), key).toEqual([value]);
    // V8's JIT needs writable executable memory.
    expect(unit).not.toContain('MemoryDenyWriteExecute');
  });

  it('uses systemd’s state directory for the default data folder and keeps /tmp data folders visible', () => {
    const system = systemdUnit({ ...spec, dataDir: '/var/lib/deskside-agent' });
    expect(directives(system, 'StateDirectory')).toEqual(['deskside-agent']);
    expect(directives(system, 'ReadWritePaths')).toEqual(['/var/lib/deskside-agent']);
    expect(directives(systemdUnit({ ...spec, dataDir: '/tmp/agent' }), 'PrivateTmp')).toEqual([]);
  });

  it('a user unit wants default.target and leaves out what needs a system manager', () => {
    const user = systemdUnit({ ...spec, userUnit: true });
    expect(directives(user, 'WantedBy')).toEqual(['default.target']);
    expect(directives(user, 'NoNewPrivileges')).toEqual(['yes']);
    expect(directives(user, 'User')).toEqual([]);
    expect(directives(user, 'ProtectSystem')).toEqual([]);
  });

  it('refuses a value with a newline (it would end the directive)', () => {
    expect(() => systemdUnit({ ...spec, dataDir: '/srv/a\nExecStartPre=/bin/rm' })).toThrow(/not usable/);
    expect(systemdWord('plain/path-1.2')).toBe('plain/path-1.2');
    expect(systemdWord('')).toBe('""');
  });
});

describe('launchdPlist', () => {
  const plist = launchdPlist(spec, '/Library/Logs/Deskside/agent.log');

  it('lists the program arguments one string each, XML-escaped, never a shell command', () => {
    const args = [...plist.matchAll(/^\t\t<string>(.*)<\/string>$/gm)].map((m) =>
      m[1]!
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    );
    expect(args).toEqual(daemonArgv(spec));
    expect(plist).toContain('<string>org.deskside.agent</string>');
    expect(plist).toContain('/opt/Deskside $HOME-%h&quot;App/bin/deskside.js');
    expect(plist).not.toContain('secret-with');
  });

  it('starts at load, restarts after a failure only, runs as the user, logs to a file', () => {
    expect(plist).toMatch(/<key>RunAtLoad<\/key>\s*<true\/>/);
    expect(plist).toMatch(/<key>KeepAlive<\/key>\s*<dict>\s*<key>SuccessfulExit<\/key>\s*<false\/>/);
    expect(plist).toMatch(/<key>UserName<\/key>\s*<string>deskside<\/string>/);
    expect(plist).toMatch(/<key>ExitTimeOut<\/key>\s*<integer>30<\/integer>/);
    expect(plist).toMatch(/<key>StandardOutPath<\/key>\s*<string>\/Library\/Logs\/Deskside\/agent.log<\/string>/);
  });
});

describe('windowsArg', () => {
  it('quotes as CommandLineToArgvW reads it back', () => {
    expect(windowsArg('C:\\Program Files\\nodejs\\node.exe')).toBe('"C:\\Program Files\\nodejs\\node.exe"');
    expect(windowsArg('plain')).toBe('plain');
    expect(windowsArg('a"b')).toBe('"a\\"b"');
    expect(windowsArg('C:\\dir with space\\')).toBe('"C:\\dir with space\\\\"');
    expect(windowsArg('')).toBe('""');
  });
});

describe('planInstall / planUninstall', () => {
  // Windows: service-units.winsw.test.ts.
  it('Linux: the secret in a 0600 managed-config file, the unit (0644), then daemon-reload and enable --now', () => {
    const plan = planInstall('linux', spec, { home: '/home/ann' });
    expect(plan.write).toEqual([
      {
        path: '/srv/deskside agent/managed-config.json',
        content: `${JSON.stringify({ serverUrl: 'https://help.example.com', enrollSecret: spec.enrollSecret }, null, 2)}\n`,
        mode: 0o600,
      },
      { path: '/etc/systemd/system/deskside-agent.service', content: systemdUnit(spec), mode: 0o644 },
    ]);
    expect(systemdUnit(spec)).not.toContain('secret-with');
    expect(plan.after).toEqual([
      { command: 'systemctl', args: ['daemon-reload'] },
      { command: 'systemctl', args: ['enable', '--now', 'deskside-agent.service'] },
    ]);
    const nothing = planInstall(
      'linux',
      { ...spec, serverUrl: undefined, enrollSecret: undefined },
      { home: '/home/ann' },
    );
    expect(nothing.write.map((w) => [w.path, w.mode])).toEqual([['/etc/systemd/system/deskside-agent.service', 0o644]]);
  });

  it('Linux --user: the user unit folder and systemctl --user; --unit-dir overrides the folder', () => {
    const plan = planInstall('linux', { ...spec, userUnit: true }, { home: '/home/ann' });
    expect(plan.write.at(-1)!.path).toBe('/home/ann/.config/systemd/user/deskside-agent.service');
    expect(plan.after.map((c) => c.args[0])).toEqual(['--user', '--user']);
    expect(planInstall('linux', spec, { home: '/h', unitDir: '/tmp/u' }).write.at(-1)!.path).toBe(
      '/tmp/u/deskside-agent.service',
    );
  });

  it('Linux uninstall: disable --now (may fail), remove the unit, daemon-reload', () => {
    const plan = planUninstall('linux', { home: '/home/ann' });
    expect(plan.before).toEqual([
      { command: 'systemctl', args: ['disable', '--now', 'deskside-agent.service'], mayFail: true },
    ]);
    expect(plan.remove).toEqual(['/etc/systemd/system/deskside-agent.service']);
    expect(plan.after).toEqual([{ command: 'systemctl', args: ['daemon-reload'] }]);
  });

  it('macOS: the LaunchDaemons plist and launchctl bootstrap; uninstall boots it out', () => {
    const plan = planInstall('darwin', spec, { home: '/Users/ann' });
    expect(plan.write.map((w) => w.path)).toEqual([
      '/srv/deskside agent/managed-config.json',
      '/Library/LaunchDaemons/org.deskside.agent.plist',
    ]);
    expect(plan.after).toContainEqual({
      command: 'launchctl',
      args: ['bootstrap', 'system', '/Library/LaunchDaemons/org.deskside.agent.plist'],
    });
    const un = planUninstall('darwin', { home: '/Users/ann' });
    expect(un.before).toEqual([
      { command: 'launchctl', args: ['bootout', 'system/org.deskside.agent'], mayFail: true },
    ]);
    expect(un.remove).toEqual(['/Library/LaunchDaemons/org.deskside.agent.plist']);
  });
});
