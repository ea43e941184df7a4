import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, hostname, userInfo } from 'node:os';
import type MachineId from 'node-machine-id';
import { createCollector, type Collector } from './collector';
import { createCommandRunner } from './command-runner';
import { createFileReader } from './file-reader';
import { createPowerShell } from './powershell';
import type { Platform } from './probe';
import { ALL_PROBES } from './probes';
import { createSystemInfo } from './system-info';

export { DEFAULT_PROBE_SETTINGS, type CollectOptions, type Collector } from './collector';
export type { ProbeSettings } from './probe';

/** The platform as the probes know it. */
export function currentPlatform(): Platform {
  const p = process.platform;
  return p === 'linux' || p === 'darwin' || p === 'win32' ? p : 'other';
}

/** A stable, non-reversible device key: the OS machine id, hashed. Empty when unreadable. */
export function deviceKey(): string {
  try {
    if (process.platform === 'linux') return linuxMachineIdHash();
    // Loaded only here: on Linux the files are read directly (node-machine-id runs a shell synchronously).
    const machineId = createRequire(import.meta.url)('node-machine-id') as typeof MachineId;
    return machineId.machineIdSync(false);
  } catch {
    return '';
  }
}

/**
 * What node-machine-id's machineIdSync(false) answers on Linux, without its synchronous shell
 * (`( cat /var/lib/dbus/machine-id /etc/machine-id || hostname ) | head -n 1`, then whitespace
 * removed, lower case, SHA-256), so the redaction keys of existing snapshots stay the same.
 */
export function linuxMachineIdHash(read = (path: string) => readFileSync(path, 'utf8'), host = hostname): string {
  let output = '';
  let failed = false;
  for (const path of ['/var/lib/dbus/machine-id', '/etc/machine-id']) {
    try {
      output += read(path);
    } catch {
      failed = true;
    }
  }
  if (failed) output += `${host()}\n`;
  const id = (output.split('\n')[0] ?? '').replace(/\s+/g, '').toLowerCase();
  return createHash('sha256').update(id).digest('hex');
}

function currentUserName(): string | null {
  try {
    return userInfo().username || null;
  } catch {
    return null;
  }
}

/** Builds the real collector for this machine; `dispose` ends the Windows PowerShell session. */
export function createDiagnostics(agent: { name: string; version: string }): Collector & { dispose(): void } {
  const run = createCommandRunner();
  const files = createFileReader();
  const si = createSystemInfo();
  const powershell = createPowerShell();
  const platform = currentPlatform();
  const user = currentUserName();
  const gatewayOverride = process.env.DESKSIDE_PROBE_GATEWAY || null;
  const salt = createHash('sha256').update(`deskside-redaction:${deviceKey()}`).digest('hex');
  const collector = createCollector({
    probes: ALL_PROBES,
    platform,
    agent,
    privacy: { homeDirs: [homedir()], userName: user, salt },
    context: (signal, settings, shared) => ({
      platform,
      signal,
      run,
      files,
      si,
      powershell,
      // DESKSIDE_PROBE_GATEWAY replaces the route's gateway: test suites and benches set it to loopback so
      // that no test pings a real gateway.
      settings: gatewayOverride ? { ...settings, gatewayTarget: settings.gatewayTarget ?? gatewayOverride } : settings,
      shared,
      now: () => new Date(),
    }),
  });
  return { collect: (options) => collector.collect(options), dispose: () => powershell.release() };
}
