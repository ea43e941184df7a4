import { createRequire } from 'node:module';
import type { Result } from '../../shared/result';

/** Port for running PowerShell scripts on Windows. */
export interface PowerShell {
  run(script: string, options: { timeoutMs: number }): Promise<Result<string>>;
}

type SiUtil = { powerShell(cmd: string): Promise<string> };
type SiSession = { powerShellStart(): void; powerShellRelease(): void };

/**
 * Runs scripts through systeminformation's persistent PowerShell session, so the many
 * PowerShell calls of one snapshot (si's and ours) share one process instead of one each.
 */
export function createPowerShell(): PowerShell & { release(): void } {
  let started = false;
  // Loaded on the first script only, so other platforms never load systeminformation for it.
  const require = createRequire(import.meta.url);
  const session = () => require('systeminformation') as SiSession;
  // Not part of si's typed API, but exported by its util module since 5.x; pinned by our tests on Windows.
  const util = () => require('systeminformation/lib/util') as SiUtil;
  return {
    async run(script, { timeoutMs }) {
      if (process.platform !== 'win32') {
        return { ok: false, error: { code: 'unsupported', message: 'PowerShell runs only on Windows' } };
      }
      if (!started) {
        session().powerShellStart();
        started = true;
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
      });
      const output = await Promise.race([util().powerShell(script), timeout]);
      clearTimeout(timer);
      if (output === null)
        return { ok: false, error: { code: 'timeout', message: `PowerShell did not answer within ${timeoutMs} ms` } };
      return { ok: true, value: output };
    },
    release() {
      if (started) session().powerShellRelease();
      started = false;
    },
  };
}
