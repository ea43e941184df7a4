import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { homedir, userInfo } from 'node:os';
import type { Collector } from '../diagnostics/collector';
import type { PowerShell } from '../diagnostics/powershell';
import type { Platform } from '../diagnostics/probe';
import type { SystemInfo } from '../diagnostics/system-info';

/*
 * The real diagnostics engine for the agent, loaded on the first snapshot. It composes the same parts
 * as diagnostics/index.ts (collector, probes, command runner, file reader, redaction salt from the
 * machine id), but imports systeminformation and node-machine-id with import(). The reason is the
 * bundle: the app and the CLI are one ESM file each (esbuild, no code splitting), where
 * `import('../diagnostics/index')` becomes inline code and the packages that module imports
 * statically are hoisted to the top of the bundle, so they loaded at start (about 5 MB of RSS for a
 * tray agent that may never take a snapshot). A package's import() stays a real dynamic import.
 * Keep this in step with diagnostics/index.ts.
 */

type SiModule = SystemInfo & { powerShellStart(): void; powerShellRelease(): void };
type SiUtil = { powerShell(cmd: string): Promise<string> };

function currentPlatform(): Platform {
  const p = process.platform;
  return p === 'linux' || p === 'darwin' || p === 'win32' ? p : 'other';
}

function currentUserName(): string | null {
  try {
    return userInfo().username || null;
  } catch {
    return null;
  }
}

/** systeminformation's persistent PowerShell session, as diagnostics/powershell.ts runs it. */
function sessionPowerShell(si: SiModule): PowerShell & { release(): void } {
  let started = false;
  let util: SiUtil | null = null;
  return {
    async run(script, { timeoutMs }) {
      if (process.platform !== 'win32') return { ok: false, error: { code: 'unsupported', message: 'PowerShell runs only on Windows' } };
      // Not part of si's typed API, but exported by its util module since 5.x (see diagnostics/powershell.ts).
      util ??= createRequire(import.meta.url)('systeminformation/lib/util') as SiUtil;
      if (!started) {
        si.powerShellStart();
        started = true;
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
      const output = await Promise.race([util.powerShell(script), timeout]);
      clearTimeout(timer);
      if (output === null) return { ok: false, error: { code: 'timeout', message: `PowerShell did not answer within ${timeoutMs} ms` } };
      return { ok: true, value: output };
    },
    release() {
      if (started) si.powerShellRelease();
      started = false;
    },
  };
}

/** Loads and builds the collector for this machine; `dispose` ends the Windows PowerShell session. */
export async function loadDiagnostics(agent: { name: string; version: string }): Promise<Collector & { dispose(): void }> {
  const [siModule, machineIdModule, { createCollector }, { ALL_PROBES }, { createCommandRunner }, { createFileReader }] = await Promise.all([
    import('systeminformation'),
    import('node-machine-id'),
    import('../diagnostics/collector'),
    import('../diagnostics/probes'),
    import('../diagnostics/command-runner'),
    import('../diagnostics/file-reader'),
  ]);
  // Both are CommonJS: their exports object is the namespace's default.
  const si = siModule.default as unknown as SiModule;
  let deviceKey = '';
  try {
    deviceKey = machineIdModule.default.machineIdSync(false);
  } catch {
    // No machine id (containers, some VMs): redaction hashes stay keyed, by the empty key as before.
  }
  const run = createCommandRunner();
  const files = createFileReader();
  const powershell = sessionPowerShell(si);
  const platform = currentPlatform();
  const salt = createHash('sha256').update(`deskside-redaction:${deviceKey}`).digest('hex');
  const collector = createCollector({
    probes: ALL_PROBES,
    platform,
    agent,
    privacy: { homeDirs: [homedir()], userName: currentUserName(), salt },
    context: (signal, settings) => ({ platform, signal, run, files, si, powershell, settings, now: () => new Date() }),
  });
  return { collect: (options) => collector.collect(options), dispose: () => powershell.release() };
}
