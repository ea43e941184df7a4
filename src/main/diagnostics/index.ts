import { createHash } from 'node:crypto';
import { homedir, userInfo } from 'node:os';
import machineId from 'node-machine-id';
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
    return machineId.machineIdSync(false);
  } catch {
    return '';
  }
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
      settings,
      shared,
      now: () => new Date(),
    }),
  });
  return { collect: (options) => collector.collect(options), dispose: () => powershell.release() };
}
